/**
 * A second app whose database cannot be reached: 503 service_unavailable with Retry-After,
 * never a stack trace, while requests that need no database still work.
 */
import { randomBytes } from "node:crypto";
import { generateKey } from "@twx/keys";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp } from "./global-setup";

let app: { baseUrl: string; stop(): Promise<void> };

beforeAll(async () => {
  app = await startApp(
    {
      // Port 9 (discard) on loopback: nothing listens, connections are refused at once.
      DATABASE_URL: "postgresql://root@127.0.0.1:9/unreachable",
      AUTH_SECRET: randomBytes(32).toString("base64url"),
      JWT_SECRET: randomBytes(32).toString("base64url"),
      NODE_ENV: "production",
    },
    process.env.TWX_E2E_LOG!,
  );
}, 90_000);
afterAll(async () => {
  await app?.stop();
});

describe("database unreachable", () => {
  it("answers 503 service_unavailable with Retry-After and no internals", async () => {
    const response = await fetch(`${app.baseUrl}/api/v1/twins`, { headers: { "X-API-Key": generateKey() } });
    const text = await response.text();
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
    expect(response.headers.get("x-request-id")).toMatch(/^req_/);
    expect(JSON.parse(text).error.code).toBe("service_unavailable");
    expect(text).not.toMatch(/prisma|127\.0\.0\.1|ECONNREFUSED|\.ts:\d+/i);
  });

  it("still refuses malformed keys with 401 (no database needed) and serves the OpenAPI document", async () => {
    const malformed = await fetch(`${app.baseUrl}/api/v1/twins`, { headers: { "X-API-Key": "twx_nope" } });
    expect(malformed.status).toBe(401);
    expect(((await malformed.json()) as { error: { code: string } }).error.code).toBe("invalid_api_key");
    expect((await fetch(`${app.baseUrl}/api/v1/openapi.json`)).status).toBe(200);
  });
});
