/** The Upstash-compatible HTTP bridge of @twx/ratelimit in a process of its own, as Upstash is remote. */
import { randomBytes } from "node:crypto";
import path from "node:path";
import { REDIS_URL, repoRoot } from "./env";
import { freePort, startChild, waitFor, type Child } from "./processes";

export interface BridgeProcess {
  url: string;
  token: string;
  child: Child;
  stop(): Promise<void>;
}

export async function startBridge(logDir: string): Promise<BridgeProcess> {
  const port = await freePort();
  const token = randomBytes(24).toString("base64url");
  const child = startChild(
    process.execPath,
    ["--import", "tsx", "src/bridge/cli.ts", "--port", String(port), "--redis-url", REDIS_URL, "--token", token],
    {
      cwd: path.join(repoRoot, "packages/ratelimit"),
      env: { ...process.env, LOG_LEVEL: "warn" },
      log: path.join(logDir, "bridge.log"),
    },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    "upstash bridge",
    async () => {
      const response = await fetch(url, {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body: JSON.stringify(["PING"]),
      });
      return response.ok;
    },
    child,
    30_000,
  );
  return { url, token, child, stop: () => child.stop() };
}
