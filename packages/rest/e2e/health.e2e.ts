/**
 * GET /api/health: 200 with the database up, 503 (not a hang, not a 500) with it down.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp } from "./global-setup";
import { baseUrl } from "./helpers";

let down: { baseUrl: string; stop(): Promise<void> };

beforeAll(async () => {
  down = await startApp(
    {
      // Nothing listens on loopback port 9: connections are refused at once.
      DATABASE_URL: "postgresql://root@127.0.0.1:9/unreachable",
      AUTH_SECRET: randomBytes(32).toString("base64url"),
      NODE_ENV: "production",
    },
    process.env.TWX_E2E_LOG!,
  );
}, 90_000);
afterAll(async () => {
  await down?.stop();
});

describe("GET /api/health", () => {
  it("answers 200 with the database up", async () => {
    const response = await fetch(`${baseUrl}/api/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({ status: "ok", database: "up" });
  });

  it("answers 503 with the database down, within the ping timeout", async () => {
    const started = Date.now();
    const response = await fetch(`${down.baseUrl}/api/health`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: "degraded", database: "down" });
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
