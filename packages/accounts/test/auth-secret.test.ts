import { describe, expect, it } from "vitest";
import { resolveAuthSecret } from "../src";

describe("resolveAuthSecret", () => {
  it("uses AUTH_SECRET when it is set", () => {
    expect(resolveAuthSecret({ NODE_ENV: "production", AUTH_SECRET: "s".repeat(32) })).toBe("s".repeat(32));
  });

  it("derives a stable secret in development, different per checkout", () => {
    const a = resolveAuthSecret({ NODE_ENV: "development" }, "/srv/a");
    expect(a).toBe(resolveAuthSecret({ NODE_ENV: "development" }, "/srv/a"));
    expect(a).not.toBe(resolveAuthSecret({ NODE_ENV: "development" }, "/srv/b"));
    expect(a.length).toBeGreaterThanOrEqual(32);
  });

  it("never derives one in production", () => {
    expect(() => resolveAuthSecret({ NODE_ENV: "production" })).toThrow(/AUTH_SECRET/);
  });
});
