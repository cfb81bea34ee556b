import { describe, expect, it } from "vitest";
import { clientIpFromHeaders } from "../lib/client-ip";
import { DEFAULT_SIGNED_IN_PATH, safeCallbackPath } from "../lib/safe-redirect";

describe("safeCallbackPath", () => {
  it("keeps same-site paths with their query and hash", () => {
    expect(safeCallbackPath("/dashboard/usage?key=1#top")).toBe("/dashboard/usage?key=1#top");
  });

  it.each([
    undefined,
    null,
    42,
    "",
    "dashboard",
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "/\tevil",
    "javascript:alert(1)",
    "/".padEnd(3000, "a"),
  ])("refuses %j", (value) => {
    expect(safeCallbackPath(value)).toBe(DEFAULT_SIGNED_IN_PATH);
  });
});

describe("clientIpFromHeaders", () => {
  const headers = (xff?: string) => new Headers(xff ? { "x-forwarded-for": xff } : {});

  it("takes the first hop behind a trusted proxy", () => {
    expect(clientIpFromHeaders(headers("203.0.113.7, 10.0.0.2"), true)).toBe("203.0.113.7");
  });

  it("takes the last hop otherwise", () => {
    expect(clientIpFromHeaders(headers("198.51.100.9, 203.0.113.7"), false)).toBe("203.0.113.7");
  });

  it("answers null without the header", () => {
    expect(clientIpFromHeaders(headers(), false)).toBeNull();
    expect(clientIpFromHeaders(headers(" , "), true)).toBeNull();
  });
});
