import { describe, expect, it } from "vitest";
import { allowAllSignInLimiter, checkSignInAllowed, type SignInLimiter } from "../src";

function recordingLimiter(refuse: (key: string) => number | null) {
  const keys: string[] = [];
  const limiter: SignInLimiter = {
    async limit(key) {
      keys.push(key);
      const reset = refuse(key);
      return reset === null ? { success: true } : { success: false, reset };
    },
  };
  return { limiter, keys };
}

describe("checkSignInAllowed", () => {
  const now = () => 1_000_000;

  it("counts the attempt against the normalised account and the address", async () => {
    const { limiter, keys } = recordingLimiter(() => null);
    await expect(checkSignInAllowed(limiter, { email: " Ana@Example.com", ip: "203.0.113.7" }, now)).resolves.toEqual({
      allowed: true,
    });
    expect(keys.sort()).toEqual(["sign-in:account:ana@example.com", "sign-in:ip:203.0.113.7"]);
  });

  it("skips the address budget when the address is unknown", async () => {
    const { limiter, keys } = recordingLimiter(() => null);
    await checkSignInAllowed(limiter, { email: "a@example.com", ip: null }, now);
    expect(keys).toEqual(["sign-in:account:a@example.com"]);
  });

  it("refuses when either budget is spent, with the later reset as the wait", async () => {
    const { limiter, keys } = recordingLimiter((key) =>
      key.startsWith("sign-in:ip:") ? now() + 90_500 : key.includes("account") ? now() + 10_000 : null,
    );
    await expect(checkSignInAllowed(limiter, { email: "a@example.com", ip: "198.51.100.1" }, now)).resolves.toEqual({
      allowed: false,
      retryAfterSeconds: 91,
    });
    // Both budgets were spent even though either alone refuses.
    expect(keys).toHaveLength(2);
  });

  it("the placeholder limiter allows everything", async () => {
    await expect(checkSignInAllowed(allowAllSignInLimiter, { email: "a@example.com", ip: "::1" })).resolves.toEqual({
      allowed: true,
    });
  });
});
