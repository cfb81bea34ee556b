/**
 * The in-process backend against real Redis: same request sequence, same clock, same decisions
 * (success, limit, remaining, reset, retryAfterSeconds), window boundaries included.
 *
 * `@upstash/ratelimit` reads the time with Date.now() and passes it to the script, so faking
 * Date gives both backends the same "now"; Redis' own clock only drives key expiry (2 windows +
 * 1 s after a key's first increment), which a test run never reaches.
 */
import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import {
  createRateLimiter,
  inProcessBackend,
  redisTcpBackend,
  startUpstashBridge,
  upstashRestBackend,
  type LimitDefinition,
  type LimitKind,
  type RateLimitDecision,
  type RateLimiter,
  type UpstashBridge,
} from "../src";
import { REDIS_URL, countKeys, deleteKeys, recordingLogger, uniquePrefix } from "./helpers";

const W = 10_000;
/** Small limits and short windows, so a few dozen requests cross several windows. */
const limits: Partial<Record<LimitKind, LimitDefinition>> = {
  "user-management": { tokens: 10, window: "10 s", per: "test" },
  "ip-failures": { tokens: 3, window: "2500 ms", per: "test" },
  "sign-in": { tokens: 7, window: "7 s", per: "test" },
};

describe("in-process vs redis: same sequence, same clock, same decisions", () => {
  const prefix = uniquePrefix("diff");
  const token = randomBytes(16).toString("hex");
  const logger = recordingLogger();
  let admin: Redis;
  let bridge: UpstashBridge;
  let memory: RateLimiter;
  let tcp: RateLimiter;
  let rest: RateLimiter;
  // Base time taken before Date is faked; windows of different runs are kept far apart.
  const base = Math.floor(Date.now() / W) * W;

  beforeAll(async () => {
    admin = new Redis(REDIS_URL);
    bridge = await startUpstashBridge({ redisUrl: REDIS_URL, token });
    const options = { limits, logger, timeoutMs: 5_000 };
    // tcp and rest share one Redis: separate prefixes, or they would count each other's requests.
    memory = createRateLimiter(inProcessBackend(), { ...options, keyPrefix: `${prefix}:mem` });
    tcp = createRateLimiter(redisTcpBackend({ url: REDIS_URL }), { ...options, keyPrefix: `${prefix}:tcp` });
    rest = createRateLimiter(upstashRestBackend({ url: bridge.url, token }), { ...options, keyPrefix: `${prefix}:rest` });
  });

  afterAll(async () => {
    await Promise.all([memory.close(), tcp.close(), rest.close()]);
    await bridge.close();
    await deleteKeys(admin, prefix);
    expect(await countKeys(admin, prefix)).toBe(0);
    admin.disconnect();
  });

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
  });
  afterEach(() => {
    vi.useRealTimers();
    expect(logger.entries).toEqual([]);
  });

  async function all(kind: LimitKind, id: string): Promise<RateLimitDecision> {
    const [m, t, r] = await Promise.all([
      memory.limit(kind, id),
      tcp.limit(kind, id),
      rest.limit(kind, id),
    ]);
    expect(t).toEqual(m);
    expect(r).toEqual(m);
    return m;
  }

  it("follows the weighted previous window across boundaries (explicit figures)", async () => {
    const kind = "user-management"; // 10 per 10 s
    const id = "explicit";
    const n = base / W + 1_000;
    const at = (window: number, offset: number) => vi.setSystemTime((n + window) * W + offset);

    // Window n, 90 % through: 10 pass, remaining 9..0, then refused until the window ends.
    at(0, 9_000);
    for (let i = 0; i < 10; i++) {
      expect(await all(kind, id)).toEqual({
        success: true, limit: 10, remaining: 9 - i, reset: (n + 1) * W, retryAfterSeconds: 0,
      });
    }
    expect(await all(kind, id)).toEqual({
      success: false, limit: 10, remaining: 0, reset: (n + 1) * W, retryAfterSeconds: 1,
    });

    // 10 % into window n+1: floor(0.9 * 10) = 9 of the previous window still count → 1 passes.
    at(1, 1_000);
    expect(await all(kind, id)).toMatchObject({ success: true, remaining: 0, reset: (n + 2) * W });
    expect(await all(kind, id)).toMatchObject({ success: false, retryAfterSeconds: 9 });

    // Half-way: floor(0.5 * 10) = 5, plus 1 in this window → 4 more.
    at(1, 5_000);
    const half = [];
    for (let i = 0; i < 5; i++) half.push(await all(kind, id));
    expect(half.map((d) => d.success)).toEqual([true, true, true, true, false]);
    expect(half.map((d) => d.remaining)).toEqual([3, 2, 1, 0, 0]);

    // Start of window n+2: window n+1 holds 5 and counts fully → 5 pass.
    at(2, 0);
    const start = [];
    for (let i = 0; i < 6; i++) start.push(await all(kind, id));
    expect(start.map((d) => d.remaining)).toEqual([4, 3, 2, 1, 0, 0]);
    expect(start[5]!.success).toBe(false);

    // Last millisecond of window n+3: floor(0.0001 * 5) = 0 → the full 10.
    at(3, 9_999);
    const late = [];
    for (let i = 0; i < 11; i++) late.push(await all(kind, id));
    expect(late.filter((d) => d.success)).toHaveLength(10);
    expect(late[0]).toMatchObject({ remaining: 9, reset: (n + 4) * W });
    expect(late[10]).toMatchObject({ success: false, retryAfterSeconds: 1 });

    // Windows later, nothing remains.
    at(10, 1);
    expect(await all(kind, id)).toMatchObject({ success: true, remaining: 9 });
  });

  it("agrees on random sequences (fast-check)", async () => {
    let run = 0;
    const step = fc.record({
      advanceMs: fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 12_000 })),
      kind: fc.constantFrom<LimitKind>("user-management", "ip-failures", "sign-in"),
      id: fc.constantFrom("a", "b"),
      burst: fc.integer({ min: 1, max: 6 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: W - 1 }), fc.array(step, { minLength: 1, maxLength: 40 }), async (startOffset, steps) => {
        run += 1;
        let now = base + run * 1_000 * W + startOffset;
        for (const s of steps) {
          now += s.advanceMs;
          vi.setSystemTime(now);
          for (let i = 0; i < s.burst; i++) {
            const id = `run${run}:${s.id}`;
            const [m, t] = await Promise.all([memory.limit(s.kind, id), tcp.limit(s.kind, id)]);
            expect(t).toEqual(m);
          }
        }
      }),
      { numRuns: 150, seed: 20261204 },
    );
  });
});
