/**
 * The app under test: a production build that contains the benchmark-only routes, made in a
 * private copy of the working tree, and `next start` processes on it.
 *
 * Why a copy: the benchmark-only routes (bench/app-routes → apps/web/app/api/bench) must never
 * be in a normal build, and other people build and run apps/web in the working tree at the same
 * time. So the tree (tracked and untracked files, minus what git ignores) is synchronised with
 * rsync to BENCH_BUILD_DIR (default: <tmp>/twx-bench-<hash of the repo path>), dependencies are
 * installed there from the pnpm store (offline, frozen lockfile), the routes are copied in, and
 * `next build` runs there. The build is reused while nothing changed since the last successful one.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { benchDir, REDIS_URL, repoRoot } from "./env";
import { freePort, startChild, waitFor, type Child } from "./processes";

export interface Build {
  dir: string;
  webDir: string;
  /** Seconds the build took (0 when reused). */
  buildSeconds: number;
}

const EXCLUDES = [
  ".git/",
  "node_modules/",
  ".next/",
  ".next-*/",
  ".turbo/",
  ".data/",
  "test-results/",
  "playwright-report/",
  "blob-report/",
  "coverage/",
  "*.tsbuildinfo",
  ".env",
  ".env.local",
  "bench/.results/",
  "apps/web/app/api/bench/",
  // Written by next build itself.
  "apps/web/next-env.d.ts",
  // This file: the state of the copy's build.
  ".bench-build-stamp",
];

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  const result = spawnSync(command, args, { cwd, env, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} failed (exit ${result.status}) in ${cwd}:\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

export function prepareBuild(log: (line: string) => void): Build {
  const dir =
    process.env.BENCH_BUILD_DIR ??
    path.join(tmpdir(), `twx-bench-${createHash("sha256").update(repoRoot).digest("hex").slice(0, 8)}`);
  const webDir = path.join(dir, "apps/web");
  mkdirSync(dir, { recursive: true });
  const stamp = path.join(dir, ".bench-build-stamp");

  // BENCH_SOURCE=head builds the last commit instead of the working tree (for a tree that is
  // being edited by others and may not build at this moment).
  const fromHead = process.env.BENCH_SOURCE === "head";
  let source = repoRoot;
  if (fromHead) {
    source = `${dir}.head`;
    rmSync(source, { recursive: true, force: true });
    mkdirSync(source, { recursive: true });
    run("sh", ["-c", `git -C "${repoRoot}" archive HEAD | tar -x -C "${source}"`], repoRoot);
  }
  log(`syncing ${fromHead ? `HEAD (${run("git", ["rev-parse", "--short", "HEAD"], repoRoot).trim()})` : "the working tree"} to ${dir}`);
  const excludes = fromHead ? [...EXCLUDES, "packages/db/src/generated/"] : EXCLUDES;
  const changes = run(
    "rsync",
    ["-a", "--delete", "--checksum", "--itemize-changes", ...excludes.map((e) => `--exclude=${e}`), `${source}/`, `${dir}/`],
    repoRoot,
  )
    .split("\n")
    // Lines starting with "." change attributes only (times); they need no rebuild.
    .filter((line) => line && !line.startsWith("."));

  // The benchmark-only routes, copied in after the sync (rsync leaves them alone: excluded).
  const routesDir = path.join(webDir, "app/api/bench");
  rmSync(routesDir, { recursive: true, force: true });
  run("cp", ["-r", path.join(benchDir, "app-routes"), routesDir], dir);
  const routesHash = run("sh", ["-c", "find . -type f | sort | xargs cat | sha256sum"], routesDir).trim();

  const previous = existsSync(stamp) ? readFileSync(stamp, "utf8") : "";
  if (changes.length === 0 && previous === `ok ${routesHash}` && existsSync(path.join(webDir, ".next/BUILD_ID"))) {
    log("build is current (no file changed since the last successful bench build)");
    return { dir, webDir, buildSeconds: 0 };
  }
  writeFileSync(stamp, "building");
  log(`${changes.length} files changed; installing dependencies (offline, frozen lockfile)`);
  const install = (frozen: boolean) =>
    run("pnpm", ["install", "--offline", frozen ? "--frozen-lockfile" : "--no-frozen-lockfile", "--config.confirmModulesPurge=false"], dir, {
      ...process.env,
      CI: "1",
    });
  try {
    install(true);
  } catch (error) {
    // A working tree caught between a package.json edit and its lockfile: resolve from the store.
    log(`frozen install failed (${error instanceof Error ? error.message.split("\n").find((l) => l.includes("ERR_PNPM")) ?? "" : ""}); retrying without a frozen lockfile`);
    install(false);
  }
  // The Prisma client is generated (git-ignored); make it from the synchronised schema.
  run("pnpm", ["run", "db:generate"], dir);
  log("next build (production, with the benchmark-only routes)");
  const started = Date.now();
  try {
    run("pnpm", ["exec", "next", "build"], webDir, {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
    });
  } catch (error) {
    const hint = fromHead ? "" : "\n(The working tree does not build right now; BENCH_SOURCE=head builds the last commit instead.)";
    throw new Error(`${error instanceof Error ? error.message : String(error)}${hint}`);
  }
  const buildSeconds = Math.round((Date.now() - started) / 1000);
  writeFileSync(stamp, `ok ${routesHash}`);
  log(`next build took ${buildSeconds} s`);
  return { dir, webDir, buildSeconds };
}

export interface AppEnv {
  databaseUrl: string;
  upstashUrl: string;
  upstashToken: string;
}

export interface Counters {
  statements: number;
  keyLookups: number;
  usageWrites: number;
}

export interface Stats {
  pid: number;
  counters: Counters;
  memory: NodeJS.MemoryUsage;
}

export interface App {
  url: string;
  child: Child;
  stats(gc?: boolean): Promise<Stats>;
  stop(): Promise<void>;
}

/** `next start` on a free port, with --expose-gc, logs to `<logDir>/<name>.log`. */
export async function startApp(build: Build, env: AppEnv, logDir: string, name: string): Promise<App> {
  const port = await freePort();
  // The file @twx/db's `pg` resolves to in the copy: the stats route patches that module.
  const pgModule = execFileSync(process.execPath, ["-p", "require.resolve('pg')"], {
    cwd: path.join(build.dir, "packages/db"),
    encoding: "utf8",
  }).trim();
  const childEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    NODE_OPTIONS: "--expose-gc",
    DATABASE_URL: env.databaseUrl,
    ...(process.env.BENCH_NO_REDIS ? {} : { REDIS_URL }),
    AUTH_SECRET: randomBytes(32).toString("base64url"),
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "info",
    BENCH_PG_MODULE: realpathSync(pgModule),
    BENCH_UPSTASH_URL: env.upstashUrl,
    BENCH_UPSTASH_TOKEN: env.upstashToken,
  };
  const child = startChild(
    process.execPath,
    [
      // BENCH_CPU_PROF=<dir>: a V8 CPU profile of the server, written when it stops.
      ...(process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
      // The same preload as the `start` script of apps/web.
      "--require", path.join(build.webDir, "server/client-errors.cjs"),
      path.join(build.webDir, "node_modules/next/dist/bin/next"),
      "start", "--port", String(port), "--hostname", "127.0.0.1"],
    { cwd: build.webDir, env: childEnv, log: path.join(logDir, `${name}.log`) },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`next start (${name})`, async () => (await fetch(`${url}/api/bench/stats`)).ok, child, 90_000);
  return {
    url,
    child,
    async stats(gc = false) {
      const response = await fetch(`${url}/api/bench/stats`, { method: gc ? "POST" : "GET" });
      if (!response.ok) throw new Error(`stats: ${response.status}`);
      return (await response.json()) as Stats;
    },
    stop: () => child.stop(),
  };
}
