/** Child processes of a benchmark: started here, stopped by their own pid, never by name. */
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { onCleanup } from "./database";

import { freePort } from "@twx/db/testing";

export { freePort };

/** Process groups still running: killed if the harness exits without stopping them (a crash). */
const running = new Set<number>();
process.on("exit", () => {
  for (const pid of running) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
});

export interface Child {
  process: ChildProcess;
  pid: number;
  log: string;
  stop(): Promise<void>;
}

/** Spawns a command in its own process group, output to `log`; `stop()` ends that group only. */
export function startChild(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; log: string }): Child {
  // Straight to the file: piping through this process would cost the load generator CPU.
  const out = openSync(options.log, "a");
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ["ignore", out, out] });
  closeSync(out);
  const pid = child.pid!;
  running.add(pid);
  child.once("exit", () => running.delete(pid));
  const stop = async () => {
    unhook();
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    try {
      process.kill(-pid, "SIGTERM");
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-pid, "SIGKILL");
      } catch {
        // already gone
      }
    }, 5_000);
    await exited;
    clearTimeout(timer);
  };
  const unhook = onCleanup(stop);
  return { process: child, pid, log: options.log, stop };
}

/** Polls `probe` until it resolves true, the child exits, or the deadline passes. */
export async function waitFor(what: string, probe: () => Promise<boolean>, child: Child, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null) throw new Error(`${what} exited with code ${child.process.exitCode}; see ${child.log}`);
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} not ready within ${timeoutMs / 1000} s; see ${child.log}`);
}
