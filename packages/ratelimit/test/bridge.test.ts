/**
 * The Upstash-compatible bridge, raw (HTTP as @upstash/redis 1.39 sends it) and through
 * @upstash/redis itself.
 */
import { createHash, randomBytes } from "node:crypto";
import { Redis as UpstashRedis } from "@upstash/redis";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startUpstashBridge, type UpstashBridge } from "../src";
import { REDIS_URL, countKeys, deleteKeys, freePort, recordingLogger, uniquePrefix } from "./helpers";

const token = randomBytes(16).toString("hex");
const prefix = uniquePrefix("bridge");
const k = (name: string) => `${prefix}:${name}`;
const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

let bridge: UpstashBridge;
let admin: Redis;
let client: UpstashRedis;

async function post(
  path: string,
  body: unknown,
  headers: Record<string, string> = { authorization: `Bearer ${token}` },
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${bridge.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

const auth = { authorization: `Bearer ${token}` };
const auth64 = { ...auth, "upstash-encoding": "base64" };

beforeAll(async () => {
  bridge = await startUpstashBridge({ redisUrl: REDIS_URL, token, maxBodyBytes: 64 * 1024 });
  admin = new Redis(REDIS_URL);
  client = new UpstashRedis({ url: bridge.url, token, enableTelemetry: false });
});

afterAll(async () => {
  await bridge.close();
  await deleteKeys(admin, prefix);
  expect(await countKeys(admin, prefix)).toBe(0);
  admin.disconnect();
});

describe("authentication", () => {
  it("requires the bearer token", async () => {
    expect(await post("/", ["PING"], {})).toEqual({ status: 401, body: { error: "Unauthorized" } });
    expect(await post("/", ["PING"], { authorization: "Bearer wrong" })).toEqual({
      status: 401,
      body: { error: "Unauthorized" },
    });
    expect(await post("/", ["PING"], { authorization: `Basic ${token}` })).toMatchObject({ status: 401 });
    expect(await post("/pipeline", [["PING"]], {})).toMatchObject({ status: 401 });
    expect(await post("/", ["PING"])).toEqual({ status: 200, body: { result: "PONG" } });
  });

  it("refuses a client with the wrong token with an UpstashError", async () => {
    const wrong = new UpstashRedis({ url: bridge.url, token: "nope", enableTelemetry: false });
    await expect(wrong.get(k("x"))).rejects.toThrow(/Unauthorized/);
  });
});

describe("single commands", () => {
  it("answers plain JSON without the encoding header", async () => {
    expect(await post("/", ["SET", k("plain"), "héllo"])).toEqual({ status: 200, body: { result: "OK" } });
    expect(await post("/", ["GET", k("plain")])).toEqual({ status: 200, body: { result: "héllo" } });
    expect(await post("/", ["INCRBY", k("n"), 5])).toEqual({ status: 200, body: { result: 5 } });
    expect(await post("/", ["GET", k("missing")])).toEqual({ status: 200, body: { result: null } });
  });

  it("base64-encodes every string but OK, through nested arrays", async () => {
    expect(await post("/", ["SET", k("enc"), "OK"], auth64)).toEqual({ status: 200, body: { result: "OK" } });
    // A stored value "OK" comes back verbatim too, which the client decodes to the same "OK".
    expect(await post("/", ["GET", k("enc")], auth64)).toEqual({ status: 200, body: { result: "OK" } });
    expect(await post("/", ["PING"], auth64)).toEqual({ status: 200, body: { result: b64("PONG") } });
    const script = "return {1, {'a', {'ü', 2}}, KEYS[1], false, {}}";
    expect(await post("/", ["EVAL", script, 1, "kéy"], auth64)).toEqual({
      status: 200,
      body: { result: [1, [b64("a"), [b64("ü"), 2]], b64("kéy"), null, []] },
    });
    await admin.rpush(k("list"), "x", "ÿ", "3");
    expect(await post("/", ["LRANGE", k("list"), 0, -1], auth64)).toEqual({
      status: 200,
      body: { result: [b64("x"), b64("ÿ"), b64("3")] },
    });
  });

  it("keeps binary values byte for byte under base64", async () => {
    const bytes = Buffer.from([0, 255, 254, 10, 13, 128]);
    await admin.set(k("bin"), bytes);
    const { body } = await post("/", ["GET", k("bin")], auth64);
    expect(Buffer.from((body as { result: string }).result, "base64")).toEqual(bytes);
  });

  it("round-trips through @upstash/redis (which asks for base64 by default)", async () => {
    await client.set(k("obj"), { a: 1, b: ["é", null] });
    expect(await client.get(k("obj"))).toEqual({ a: 1, b: ["é", null] });
    await client.hset(k("hash"), { f1: "v1", f2: 2 });
    expect(await client.hgetall(k("hash"))).toEqual({ f1: "v1", f2: 2 });
    await client.zadd(k("z"), { score: 1.5, member: "m1" }, { score: 2, member: "m2" });
    expect(await client.zrange(k("z"), 0, -1, { withScores: true })).toEqual(["m1", 1.5, "m2", 2]);
    expect(await client.eval("return {KEYS[1], {ARGV[1], 3}}", [k("e")], ["ü"])).toEqual([k("e"), ["ü", 3]]);
  });
});

describe("errors", () => {
  it("answers Redis errors with 400 {error}", async () => {
    expect(await post("/", ["NOSUCHCOMMAND", "x"])).toMatchObject({
      status: 400,
      body: { error: expect.stringMatching(/^ERR unknown command/) },
    });
    await admin.set(k("str"), "abc");
    expect(await post("/", ["INCR", k("str")])).toEqual({
      status: 400,
      body: { error: "ERR value is not an integer or out of range" },
    });
    await expect(client.incr(k("str"))).rejects.toThrow(/not an integer/);
  });

  it("rejects malformed bodies, unknown paths, oversized bodies and connection-hogging commands", async () => {
    expect(await post("/", "{not json")).toMatchObject({ status: 400, body: { error: expect.any(String) } });
    expect(await post("/", { cmd: "GET" })).toMatchObject({ status: 400 });
    expect(await post("/", [])).toMatchObject({ status: 400 });
    expect(await post("/", ["GET", { nested: 1 }])).toMatchObject({ status: 400 });
    expect(await post("/pipeline", ["GET", "x"])).toMatchObject({ status: 400 });
    expect(await post("/nowhere", ["PING"])).toMatchObject({ status: 404 });
    expect(await post("/", ["SET", k("big"), "x".repeat(70 * 1024)])).toMatchObject({ status: 413 });
    for (const command of [["SUBSCRIBE", "c"], ["BLPOP", "l", 0], ["SELECT", 1], ["MULTI"], ["XREAD", "BLOCK", 0, "STREAMS", "s", "$"]]) {
      expect(await post("/", command)).toMatchObject({ status: 400, body: { error: expect.stringMatching(/not supported/) } });
    }
    const get = await fetch(bridge.url, { headers: auth });
    expect(get.status).toBe(405);
  });
});

describe("pipeline", () => {
  it("returns one {result} or {error} per command, in order", async () => {
    await admin.set(k("p-str"), "abc");
    expect(
      await post("/pipeline", [["SET", k("p1"), "v"], ["INCR", k("p-str")], ["GET", k("p1")], ["LRANGE", k("p-none"), 0, -1]], auth64),
    ).toEqual({
      status: 200,
      body: [
        { result: "OK" },
        { error: "ERR value is not an integer or out of range" },
        { result: b64("v") },
        { result: [] },
      ],
    });
  });

  it("serves @upstash/redis pipelines and its auto-pipelining", async () => {
    const p = client.pipeline();
    p.set(k("p2"), 1);
    p.incr(k("p2"));
    p.get(k("p2"));
    expect(await p.exec()).toEqual(["OK", 2, 2]);
    // Concurrent commands of the default client are batched into /pipeline requests.
    const values = await Promise.all(Array.from({ length: 20 }, (_, i) => client.incrby(k("auto"), i + 1)));
    expect(Math.max(...values)).toBe(210);
  });
});

describe("multi-exec", () => {
  it("runs the commands as one transaction", async () => {
    expect(await post("/multi-exec", [["SET", k("t1"), "1"], ["INCR", k("t1")], ["GET", k("t1")]], auth64)).toEqual({
      status: 200,
      body: [{ result: "OK" }, { result: 2 }, { result: b64("2") }],
    });
    const tx = client.multi();
    tx.set(k("t2"), "a");
    tx.append(k("t2"), "b");
    tx.get(k("t2"));
    expect(await tx.exec()).toEqual(["OK", 2, "ab"]);
  });

  it("reports run-time errors per command and aborts on queue-time errors", async () => {
    await admin.set(k("t-str"), "x");
    expect(await post("/multi-exec", [["INCR", k("t-str")], ["SET", k("t3"), "ok"]])).toEqual({
      status: 200,
      body: [{ error: "ERR value is not an integer or out of range" }, { result: "OK" }],
    });
    const aborted = await post("/multi-exec", [["SET", k("t4"), "v"], ["NOSUCHCOMMAND"]]);
    expect(aborted).toMatchObject({ status: 400, body: { error: expect.stringMatching(/EXECABORT/) } });
    expect(await admin.exists(k("t4"))).toBe(0);
  });
});

describe("scripts with Upstash's shebang flag", () => {
  const script = "#!lua flags=allow-key-locking\nreturn {KEYS[1], tonumber(ARGV[1]) + 1}";
  const originalSha = createHash("sha1").update(script).digest("hex");

  it("runs them on Redis 7.0, which refuses the flag itself", async () => {
    await expect(admin.eval(script, 1, k("s"), 1)).rejects.toThrow(/Unexpected flag/);
    expect(await post("/", ["EVAL", script, 1, k("s"), 41])).toEqual({ status: 200, body: { result: [k("s"), 42] } });
  });

  it("maps EVALSHA of the original hash, as @upstash/ratelimit calls it", async () => {
    expect(await post("/", ["EVALSHA", originalSha, 1, k("s"), 1])).toEqual({ status: 200, body: { result: [k("s"), 2] } });
    expect(await post("/", ["SCRIPT", "LOAD", script])).toEqual({ status: 200, body: { result: originalSha } });
    expect(await post("/", ["SCRIPT", "EXISTS", originalSha])).toEqual({ status: 200, body: { result: [1] } });
    expect(await client.evalsha(originalSha, [k("s")], [2])).toEqual([k("s"), 3]);
  });

  it("answers NOSCRIPT for a script it never saw", async () => {
    expect(await post("/", ["EVALSHA", "0".repeat(40), 0])).toMatchObject({
      status: 400,
      body: { error: expect.stringMatching(/^NOSCRIPT/) },
    });
  });
});

describe("redis unreachable", () => {
  it("answers 503 {error} while its Redis is unreachable, without crashing", async () => {
    const logger = recordingLogger();
    const dead = await startUpstashBridge({
      redisUrl: `redis://127.0.0.1:${await freePort()}`,
      token,
      logger,
    });
    try {
      const reply = await fetch(dead.url, { method: "POST", headers: auth, body: JSON.stringify(["PING"]) });
      expect(reply.status).toBe(503);
      expect(await reply.json()).toEqual({ error: expect.stringMatching(/^ERR redis unavailable/) });
      const pipeline = await fetch(`${dead.url}/pipeline`, { method: "POST", headers: auth, body: JSON.stringify([["PING"]]) });
      expect(pipeline.status).toBe(503);
      expect(logger.entries.filter((e) => e.level === "warn").length).toBeLessThanOrEqual(1);
    } finally {
      await dead.close();
    }
  });
});
