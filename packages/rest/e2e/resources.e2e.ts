/**
 * The resources over real HTTP: the whole developer flow, pagination, owner isolation, bodies,
 * validation, and the shapes of API.md (checked against the same zod schemas as the OpenAPI
 * document).
 */
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type z } from "zod";
import { schemas } from "../src";
import { api, baseUrl, call, closeDb, createKey, createUser, db, expectError, expectLogsFreeOf, tokenFor } from "./helpers";

const secrets: string[] = [];
let alice: { token: string; key: string; readKey: string; id: string };
let bob: { token: string; key: string; id: string };

/** POST a chunked body of up to `total` bytes, 8 KiB at a time, until the server answers. */
function streamedPost(path: string, key: string, total: number): Promise<{ status: number; body: any; sent: number }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = request(`${api}${path}`, {
      method: "POST",
      headers: { "X-API-Key": key, "Content-Type": "application/json", "Transfer-Encoding": "chunked" },
    });
    req.on("response", (response) => {
      answered = true;
      let text = "";
      response.on("data", (chunk) => (text += chunk));
      response.on("end", () => {
        req.destroy();
        resolve({ status: response.statusCode ?? 0, body: JSON.parse(text), sent });
      });
    });
    req.on("error", (error) => (answered ? undefined : reject(error)));
    const chunk = Buffer.alloc(8 * 1024, " ");
    const pump = () => {
      if (answered) return;
      if (sent >= total) return void req.end();
      sent += chunk.length;
      if (req.write(chunk)) setImmediate(pump);
      else req.once("drain", pump);
    };
    pump();
  });
}

function expectShape(schema: z.ZodType, value: unknown): void {
  const result = schema.safeParse(value);
  expect(result.success, JSON.stringify(result.error?.issues)).toBe(true);
}

beforeAll(async () => {
  const a = await createUser("alice");
  const b = await createUser("bob");
  const aliceToken = await tokenFor(a.id);
  const bobToken = await tokenFor(b.id);
  alice = {
    id: a.id,
    token: aliceToken,
    key: (await createKey(aliceToken, "full_access")).key,
    readKey: (await createKey(aliceToken, "read_only")).key,
  };
  bob = { id: b.id, token: bobToken, key: (await createKey(bobToken, "full_access")).key };
  secrets.push(alice.token, alice.key, alice.readKey, bob.token, bob.key);
});
afterAll(async () => {
  await expectLogsFreeOf(secrets);
  await closeDb();
});

describe("the developer flow", () => {
  it("create key (JWT) → list twins → create conversation → send message → read history", async () => {
    // 1. A key, created with a user access token, exactly as the seed page shows.
    const created = await call("POST", "/auth/api-keys", { token: alice.token, json: { name: "My App", scope: "full_access" } });
    expect(created.status).toBe(201);
    expectShape(schemas.successEnvelope(schemas.CreatedApiKey), created.body);
    const key: string = created.body.data.key;
    secrets.push(key);
    expect(key).toMatch(/^twx_/);
    expect(created.body.data.start).toBe(key.slice(0, 9));

    // 2. Twins, with the key as Bearer.
    const twins = await call("GET", "/twins", { headers: { Authorization: `Bearer ${key}` } });
    expect(twins.status).toBe(200);
    expectShape(schemas.successEnvelope(schemas.Twin, true), twins.body);
    const twin = twins.body.data.find((t: { name: string }) => t.name === "Sarah Chen");
    expect(twin).toBeDefined();
    const single = await call("GET", `/twins/${twin.id}`, { key });
    expect(single.body.data).toEqual(twin);

    // 3. A conversation.
    const conversation = await call("POST", "/conversations", { key, json: { twinId: twin.id, title: "Leaked key" } });
    expect(conversation.status).toBe(201);
    expectShape(schemas.successEnvelope(schemas.Conversation), conversation.body);
    expect(conversation.body.data).toMatchObject({ twinId: twin.id, title: "Leaked key" });
    const conversationId = conversation.body.data.id;

    // 4. A message and the twin's reply.
    const sent = await call("POST", `/conversations/${conversationId}/messages`, {
      key,
      json: { content: "What should I do when an API key is leaked?" },
    });
    expect(sent.status).toBe(201);
    expectShape(schemas.successEnvelope(schemas.MessageExchange), sent.body);
    expect(sent.body.data.message).toMatchObject({ role: "user", conversationId, content: "What should I do when an API key is leaked?" });
    expect(sent.body.data.reply.role).toBe("twin");
    expect(sent.body.data.reply.content).toContain("Rotate a leaked key immediately");

    // 5. The history, oldest first, and the conversation's updatedAt moved to the reply.
    const history = await call("GET", `/conversations/${conversationId}/messages`, { key });
    expect(history.status).toBe(200);
    expectShape(schemas.successEnvelope(schemas.Message, true), history.body);
    expect(history.body.data.map((m: { id: string }) => m.id)).toEqual([sent.body.data.message.id, sent.body.data.reply.id]);
    expect(history.body.pagination).toEqual({ nextCursor: null, hasMore: false });
    const after = await call("GET", `/conversations/${conversationId}`, { key });
    expect(after.body.data.updatedAt).toBe(sent.body.data.reply.createdAt);
    const list = await call("GET", "/conversations", { key });
    expect(list.body.data[0].id).toBe(conversationId);
  });

  it("answers in the twin's language", async () => {
    const twins = await call("GET", "/twins?limit=100", { key: alice.key });
    const doctor = twins.body.data.find((t: { expertise: string }) => t.expertise === "Tim mạch");
    const conversation = await call("POST", "/conversations", { key: alice.key, json: { twinId: doctor.id } });
    expect(conversation.body.data.title).toBe(`Trò chuyện với ${doctor.name}`);
    const sent = await call("POST", `/conversations/${conversation.body.data.id}/messages`, {
      key: alice.key,
      json: { content: "Đau ngực kéo dài thì phải làm gì?" },
    });
    expect(sent.body.data.reply.content).toMatch(/^Chào bạn, tôi là/);
    expect(sent.body.data.reply.content).toContain("115");
  });
});

describe("pagination", () => {
  it("walks messages oldest first with opaque cursors, and validates limit and cursor", async () => {
    const twins = await call("GET", "/twins?limit=1", { key: alice.key });
    const conversation = await call("POST", "/conversations", { key: alice.key, json: { twinId: twins.body.data[0].id } });
    const id = conversation.body.data.id;
    for (const content of ["one", "two", "three"]) {
      expect((await call("POST", `/conversations/${id}/messages`, { key: alice.key, json: { content } })).status).toBe(201);
    }
    const seen: Array<{ role: string; content: string }> = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof call>> = await call("GET", `/conversations/${id}/messages?limit=4${cursor ? `&cursor=${cursor}` : ""}`, { key: alice.readKey });
      expect(page.status).toBe(200);
      seen.push(...page.body.data);
      expect(page.body.pagination.hasMore).toBe(page.body.pagination.nextCursor !== null);
      cursor = page.body.pagination.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(2);
    expect(seen.filter((m) => m.role === "user").map((m) => m.content)).toEqual(["one", "two", "three"]);
    expect(seen.map((m) => m.role)).toEqual(["user", "twin", "user", "twin", "user", "twin"]);

    for (const query of ["limit=0", "limit=101", "limit=abc", "cursor=not-a-cursor"]) {
      const response = await call("GET", `/conversations/${id}/messages?${query}`, { key: alice.key });
      expectError(response, 400, "validation_error");
      expect(response.body.error.details[0].path).toBe(query.split("=")[0]);
    }
  });
});

describe("owner isolation", () => {
  it("answers 404 not_found for another account's conversation, messages, twin and key", async () => {
    const twins = await call("GET", "/twins?limit=1", { key: bob.key });
    const bobsConversation = await call("POST", "/conversations", { key: bob.key, json: { twinId: twins.body.data[0].id } });
    const id = bobsConversation.body.data.id;
    const bobsTwin = await db().twin.create({
      data: { slug: `bob-private-${id}`, name: "Bob's twin", expertise: "Secrets", description: "Private.", ownerId: bob.id },
    });
    const bobsKeys = await call("GET", "/auth/api-keys", { token: bob.token });
    const bobsKeyId = bobsKeys.body.data[0].id;

    expectError(await call("GET", `/conversations/${id}`, { key: alice.key }), 404, "not_found");
    expectError(await call("GET", `/conversations/${id}/messages`, { key: alice.key }), 404, "not_found");
    expectError(await call("POST", `/conversations/${id}/messages`, { key: alice.key, json: { content: "hi" } }), 404, "not_found");
    expectError(await call("GET", `/twins/${bobsTwin.id}`, { key: alice.key }), 404, "not_found");
    expectError(await call("POST", "/conversations", { key: alice.key, json: { twinId: bobsTwin.id } }), 404, "not_found");
    expectError(await call("PATCH", `/auth/api-keys/${bobsKeyId}`, { token: alice.token, json: { name: "mine" } }), 404, "not_found");
    expectError(await call("DELETE", `/auth/api-keys/${bobsKeyId}`, { token: alice.token }), 404, "not_found");
    expectError(await call("GET", "/conversations/does-not-exist", { key: alice.key }), 404, "not_found");

    // Bob still sees his own, and Alice's list has none of Bob's.
    expect((await call("GET", `/twins/${bobsTwin.id}`, { key: bob.key })).status).toBe(200);
    const alicesTwins = await call("GET", "/twins?limit=100", { key: alice.key });
    expect(alicesTwins.body.data.map((t: { id: string }) => t.id)).not.toContain(bobsTwin.id);
    const alicesConversations = await call("GET", "/conversations?limit=100", { key: alice.key });
    expect(alicesConversations.body.data.map((c: { id: string }) => c.id)).not.toContain(id);
    expect((await call("GET", "/auth/api-keys", { token: bob.token })).body.data[0].revokedAt).toBeNull();
  });
});

describe("bodies", () => {
  let conversationPath: string;
  beforeAll(async () => {
    const twins = await call("GET", "/twins?limit=1", { key: alice.key });
    const conversation = await call("POST", "/conversations", { key: alice.key, json: { twinId: twins.body.data[0].id } });
    conversationPath = `/conversations/${conversation.body.data.id}/messages`;
  });

  it("answers 400 invalid_json to broken JSON", async () => {
    const response = await call("POST", conversationPath, {
      key: alice.key,
      headers: { "Content-Type": "application/json" },
      body: '{"content": "unterminated',
    });
    expectError(response, 400, "invalid_json");
  });

  it("answers 400 validation_error with details to bad fields", async () => {
    const empty = await call("POST", conversationPath, { key: alice.key, json: { content: "   " } });
    expectError(empty, 400, "validation_error");
    expect(empty.body.error.details).toEqual([{ path: "content", message: "must be 1 to 8,000 characters" }]);

    const tooLong = await call("POST", conversationPath, { key: alice.key, json: { content: "x".repeat(8001) } });
    expectError(tooLong, 400, "validation_error");

    const wrong = await call("POST", "/conversations", { key: alice.key, json: { twinId: 42, colour: "red" } });
    expectError(wrong, 400, "validation_error");
    expect(wrong.body.error.details).toEqual(
      expect.arrayContaining([
        { path: "twinId", message: expect.any(String) },
        { path: "colour", message: "unknown field" },
      ]),
    );
  });

  it("answers 413 payload_too_large to a body over 64 KiB, declared or streamed", async () => {
    const big = JSON.stringify({ content: "x".repeat(70 * 1024) });
    expectError(await call("POST", conversationPath, { key: alice.key, headers: { "Content-Type": "application/json" }, body: big }), 413, "payload_too_large");

    // Chunked, no Content-Length: the limit must hold on the bytes as they stream in. Written
    // with node:http so the client stops sending as soon as the answer arrives, as curl does.
    const total = 32 * 1024 * 1024;
    const chunked = await streamedPost(conversationPath, alice.key, total);
    expect(chunked.status).toBe(413);
    expect(chunked.body.error.code).toBe("payload_too_large");
    // Answered long before the client was done: the server stopped reading past the limit.
    expect(chunked.sent).toBeLessThan(total / 4);
    // Nothing was stored by the refused requests.
    const history = await call("GET", conversationPath, { key: alice.key });
    expect(history.body.data).toEqual([]);
  });
});

describe("the rest of the surface", () => {
  it("serves the OpenAPI document without credentials", async () => {
    const response = await call("GET", "/openapi.json");
    expect(response.status).toBe(200);
    expect(response.body.openapi).toBe("3.1.0");
    expect(Object.keys(response.body.paths)).toContain("/conversations/{id}/messages");
    expect(response.headers.get("x-request-id")).toMatch(/^req_/);
  });

  it("answers unknown paths and methods with the error envelope", async () => {
    expectError(await call("GET", "/nothing-here", { key: alice.key }), 404, "not_found");
    const wrongMethod = await call("DELETE", "/twins", { key: alice.key });
    expectError(wrongMethod, 405, "method_not_allowed");
    expect(wrongMethod.headers.get("allow")).toBe("GET");
  });

  it("answers curl-style requests as documented", async () => {
    // The seed page's request, byte for byte apart from the host.
    const response = await fetch(`${baseUrl}/api/v1/auth/api-keys`, {
      method: "POST",
      headers: { Authorization: `Bearer ${alice.token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ name: "My App", scope: "full_access" }),
    });
    const data = (await response.json()) as { data: { key: string } };
    secrets.push(data.data.key);
    expect(response.status).toBe(201);
    expect(data.data.key).toMatch(/^twx_/);
  });
});
