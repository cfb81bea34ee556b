/**
 * Exclusive lock of an embedded database folder, held from before PGlite opens it until after
 * PGlite has closed it.
 *
 * PGlite keeps no lock of its own: two processes on one folder both write to it, and a folder
 * used like that was found unrecoverable afterwards. The lock is a pid file next to the folder
 * (`<dataDir>.lock`), created with O_EXCL so only one process can create it. A lock left behind
 * by a process that died without cleaning up (SIGKILL, power loss) is recognised by its pid no
 * longer running and taken over.
 *
 * Why not `proper-lockfile`: it judges staleness by the lock's mtime, which its owner refreshes on
 * a timer. PGlite runs every query synchronously on the event loop, so a long migration or query
 * can starve that timer past the stale limit and let a second process in while the first is alive.
 * A pid check does not depend on the owner's event loop.
 */
import {
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { randomUUID } from "node:crypto";
import os from "node:os";
import path from "node:path";

/** What the lock file records about its owner. */
export interface LockOwner {
  pid: number;
  /** Start time of the owner process (Linux: clock ticks since boot), to detect a reused pid. */
  processStart: string | null;
  hostname: string;
  /** Distinguishes this lock from a later one by a process that happens to get the same pid. */
  token: string;
  dataDir: string;
  acquiredAt: string;
}

/** Another live process holds the folder. */
export class DataDirLockedError extends Error {
  readonly code = "EMBEDDED_DB_LOCKED";
  constructor(
    readonly dataDir: string,
    readonly lockPath: string,
    readonly owner: Pick<LockOwner, "pid" | "hostname" | "acquiredAt">,
  ) {
    super(
      `The embedded database folder ${dataDir} is in use by another process ` +
        `(pid ${owner.pid} on ${owner.hostname}, since ${owner.acquiredAt}). ` +
        `Only one embedded database server may open a folder at a time: stop that process, ` +
        `connect to it instead, or set EMBEDDED_DB_DIR to another folder. (Lock file: ${lockPath})`,
    );
    this.name = "DataDirLockedError";
  }
}

export interface DataDirLock {
  readonly lockPath: string;
  readonly owner: LockOwner;
  /** Removes the lock file if it is still ours. Idempotent, synchronous (safe in `exit`). */
  release(): void;
}

/** A lock file with no readable content older than this was left by a creator that died mid-write. */
const EMPTY_LOCK_GRACE_MS = 5_000;
/** A takeover guard older than this belongs to a process that died during the takeover. */
const TAKEOVER_GUARD_STALE_MS = 10_000;
const MAX_ATTEMPTS = 50;

export function lockPathFor(dataDir: string): string {
  return `${path.resolve(dataDir)}.lock`;
}

/**
 * Start time of a process, or null where it cannot be read cheaply (non-Linux, no /proc).
 * Field 22 of /proc/<pid>/stat; the command name (field 2) may contain spaces and parentheses,
 * so fields are counted from the last ')'.
 */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

function pidIsRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** True when the recorded owner is still the same running process. */
export function ownerIsAlive(owner: Pick<LockOwner, "pid" | "processStart">): boolean {
  if (!Number.isInteger(owner.pid) || owner.pid <= 0) return false;
  if (!pidIsRunning(owner.pid)) return false;
  if (owner.processStart !== null) {
    const current = processStartTime(owner.pid);
    // Same pid, different start time: the owner died and the pid was given to another process.
    if (current !== null && current !== owner.processStart) return false;
  }
  return true;
}

function readOwner(lockPath: string): LockOwner | null {
  try {
    const parsed = JSON.parse(readFileSync(lockPath, "utf8")) as Partial<LockOwner>;
    if (typeof parsed.pid !== "number" || typeof parsed.token !== "string") return null;
    return {
      pid: parsed.pid,
      processStart: typeof parsed.processStart === "string" ? parsed.processStart : null,
      hostname: String(parsed.hostname ?? "unknown host"),
      token: parsed.token,
      dataDir: String(parsed.dataDir ?? ""),
      acquiredAt: String(parsed.acquiredAt ?? "unknown time"),
    };
  } catch {
    return null;
  }
}

function ageMs(file: string): number | null {
  try {
    return Date.now() - statSync(file).mtimeMs;
  } catch {
    return null;
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Removes a lock judged stale, unless someone replaced it meanwhile. The check-and-unlink runs
 * under a mkdir guard so two processes taking over the same stale lock cannot delete each
 * other's fresh lock (A unlinks and recreates, B then unlinks A's new file).
 */
function removeStaleLock(lockPath: string, staleToken: string | null): void {
  const guard = `${lockPath}.takeover`;
  try {
    mkdirSync(guard);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const age = ageMs(guard);
    if (age !== null && age > TAKEOVER_GUARD_STALE_MS) rmSync(guard, { recursive: true, force: true });
    return; // someone else is taking over; the caller retries
  }
  try {
    const current = readOwner(lockPath);
    const unchanged = staleToken === null ? current === null : current?.token === staleToken;
    if (unchanged) rmSync(lockPath, { force: true });
  } finally {
    rmSync(guard, { recursive: true, force: true });
  }
}

/**
 * Takes the lock of `dataDir` or throws {@link DataDirLockedError} naming the live owner.
 * Synchronous on purpose: it runs once at start-up, and `release` must also work in `exit`.
 */
export function acquireDataDirLock(dataDir: string): DataDirLock {
  const absDir = path.resolve(dataDir);
  const lockPath = lockPathFor(absDir);
  mkdirSync(path.dirname(lockPath), { recursive: true });

  const owner: LockOwner = {
    pid: process.pid,
    processStart: processStartTime(process.pid),
    hostname: os.hostname(),
    token: randomUUID(),
    dataDir: absDir,
    acquiredAt: new Date().toISOString(),
  };

  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    // Back off a little between attempts that raced with another starter.
    if (attempt > 0) sleepSync(Math.min(10 * attempt, 100));
    let fd: number;
    try {
      fd = openSync(lockPath, "wx", 0o644);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const existing = readOwner(lockPath);
      if (existing === null) {
        const age = ageMs(lockPath);
        if (age === null) continue; // removed meanwhile: retry the create
        // Its creator may be writing it right now.
        if (age < EMPTY_LOCK_GRACE_MS) continue;
        removeStaleLock(lockPath, null);
        continue;
      }
      if (ownerIsAlive(existing)) throw new DataDirLockedError(absDir, lockPath, existing);
      removeStaleLock(lockPath, existing.token);
      continue;
    }
    try {
      writeSync(fd, `${JSON.stringify(owner, null, 2)}\n`);
    } finally {
      closeSync(fd);
    }
    return makeHandle(lockPath, owner);
  }
  throw new Error(
    `Could not take the lock ${lockPath} of the embedded database folder ${absDir}: it kept changing. ` +
      `Is another process starting on the same folder?`,
  );
}

function makeHandle(lockPath: string, owner: LockOwner): DataDirLock {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.removeListener("exit", release);
    // Only remove our own lock: after a takeover by another process the file is theirs.
    if (readOwner(lockPath)?.token === owner.token) {
      try {
        unlinkSync(lockPath);
      } catch {
        // Already gone.
      }
    }
  };
  // A process that exits without stop() (process.exit in a CLI) leaves no lock behind. A killed
  // one does, and the next start recognises it by the dead pid.
  process.on("exit", release);
  return { lockPath, owner, release };
}
