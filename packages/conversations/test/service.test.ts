import { createTestDatabase, type TestDatabase } from "@twx/db/testing";
import { demoTwins, seedDatabase } from "@twx/seed";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createConversation,
  createOfflineResponder,
  encodeCursor,
  getConversation,
  getTwin,
  InvalidCursorError,
  listConversations,
  listMessages,
  listTwins,
  NotFoundError,
  sendMessage,
  type TwinResponder,
} from "../src";

let t: TestDatabase;
let alice: string;
let bob: string;
let aliceTwin: string;
let bobTwin: string;
let responder: TwinResponder;

beforeAll(async () => {
  t = await createTestDatabase();
  await seedDatabase(t.db, { demoAccount: false });
  alice = (await t.db.user.create({ data: { email: "alice@example.com" } })).id;
  bob = (await t.db.user.create({ data: { email: "bob@example.com" } })).id;
  const own = (ownerId: string, slug: string) =>
    t.db.twin.create({
      data: { slug, name: `Twin of ${slug}`, expertise: "Testing", description: "Private twin.", ownerId, knowledge: "Tests are good." },
    });
  aliceTwin = (await own(alice, "alice-own")).id;
  bobTwin = (await own(bob, "bob-own")).id;
  responder = createOfflineResponder(t.db);
});
afterAll(async () => {
  await t?.drop();
});

async function walk<T extends { id: string }>(fetchPage: (cursor?: string) => Promise<{ items: T[]; nextCursor: string | null; hasMore: boolean }>) {
  const seen: T[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 50; i++) {
    const page = await fetchPage(cursor);
    seen.push(...page.items);
    expect(page.hasMore).toBe(page.nextCursor !== null);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return seen;
}

describe("twins", () => {
  it("lists the shared twins and the account's own, never another account's, across pages", async () => {
    const all = await walk((cursor) => listTwins(t.db, alice, { limit: 2, cursor }));
    const ids = all.map((tw) => tw.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(demoTwins.length + 1);
    expect(ids).toContain(aliceTwin);
    expect(ids).not.toContain(bobTwin);
    expect(Object.keys(all[0]!).sort()).toEqual(["avatarUrl", "description", "expertise", "id", "name"]);

    const one = await listTwins(t.db, alice, { limit: 100 });
    expect(one.items.map((tw) => tw.id)).toEqual(ids);
    expect(one).toMatchObject({ hasMore: false, nextCursor: null });
  });

  it("gets a visible twin and hides another account's", async () => {
    await expect(getTwin(t.db, alice, aliceTwin)).resolves.toMatchObject({ id: aliceTwin });
    await expect(getTwin(t.db, alice, bobTwin)).rejects.toBeInstanceOf(NotFoundError);
    await expect(getTwin(t.db, alice, "not-a-uuid")).rejects.toBeInstanceOf(NotFoundError);
  });

  it("refuses malformed cursors and cursors of another list", async () => {
    for (const cursor of ["%%%", "abc", Buffer.from("[1,2]").toString("base64url"), "x".repeat(500)]) {
      await expect(listTwins(t.db, alice, { limit: 5, cursor })).rejects.toBeInstanceOf(InvalidCursorError);
    }
    const foreign = encodeCursor("conversations", { createdAt: new Date(), id: aliceTwin });
    await expect(listTwins(t.db, alice, { limit: 5, cursor: foreign })).rejects.toBeInstanceOf(InvalidCursorError);
  });
});

describe("conversations and messages", () => {
  it("creates conversations with a title in the twin's language and lists them newest first", async () => {
    const vi = await t.db.twin.findUniqueOrThrow({ where: { slug: "nguyen-minh-anh-cardiology" } });
    const en = await t.db.twin.findUniqueOrThrow({ where: { slug: "sarah-chen-security" } });
    const first = await createConversation(t.db, alice, { twinId: vi.id });
    expect(first.title).toBe(`Trò chuyện với ${vi.name}`);
    const second = await createConversation(t.db, alice, { twinId: en.id, title: "  Keys  " });
    expect(second.title).toBe("Keys");
    const third = await createConversation(t.db, alice, { twinId: aliceTwin });

    const listed = await walk((cursor) => listConversations(t.db, alice, { limit: 2, cursor }));
    expect(listed.map((c) => c.id)).toEqual([third.id, second.id, first.id]);
    expect((await listConversations(t.db, bob, { limit: 20 })).items).toEqual([]);
  });

  it("refuses a conversation with another account's twin or an unknown twin", async () => {
    await expect(createConversation(t.db, alice, { twinId: bobTwin })).rejects.toBeInstanceOf(NotFoundError);
    await expect(createConversation(t.db, alice, { twinId: "missing" })).rejects.toBeInstanceOf(NotFoundError);
  });

  it("stores the message and the reply, bumps updatedAt, and lists history oldest first", async () => {
    const twin = await t.db.twin.findUniqueOrThrow({ where: { slug: "nguyen-minh-anh-cardiology" } });
    const conversation = await createConversation(t.db, alice, { twinId: twin.id });
    const first = await sendMessage(t.db, alice, conversation.id, { content: "Huyết áp bình thường là bao nhiêu?" }, { responder });
    expect(first.message).toMatchObject({ role: "user", content: "Huyết áp bình thường là bao nhiêu?", conversationId: conversation.id });
    expect(first.reply.role).toBe("twin");
    expect(first.reply.content).toContain("120/80 mmHg");
    expect(first.reply.content).toContain(twin.name);
    expect(first.reply.createdAt.getTime()).toBeGreaterThan(first.message.createdAt.getTime());

    const after = await getConversation(t.db, alice, conversation.id);
    expect(after.updatedAt.getTime()).toBe(first.reply.createdAt.getTime());

    const second = await sendMessage(t.db, alice, conversation.id, { content: "Đau ngực thì làm gì?" }, { responder });
    expect(second.reply.content).toContain("115");

    const history = await walk((cursor) => listMessages(t.db, alice, conversation.id, { limit: 3, cursor }));
    expect(history.map((m) => m.id)).toEqual([first.message.id, first.reply.id, second.message.id, second.reply.id]);
    expect(history.map((m) => m.role)).toEqual(["user", "twin", "user", "twin"]);
  });

  it("keeps the same order when both messages land in the same millisecond", async () => {
    const conversation = await createConversation(t.db, alice, { twinId: aliceTwin });
    const frozen = new Date("2030-01-01T00:00:00.000Z");
    const sent = await sendMessage(t.db, alice, conversation.id, { content: "tests?" }, { responder, now: () => frozen });
    expect(sent.reply.createdAt.getTime()).toBe(frozen.getTime() + 1);
    const history = await listMessages(t.db, alice, conversation.id, { limit: 10 });
    expect(history.items.map((m) => m.role)).toEqual(["user", "twin"]);
  });

  it("hides another account's conversation everywhere", async () => {
    const conversation = await createConversation(t.db, alice, { twinId: aliceTwin });
    await expect(getConversation(t.db, bob, conversation.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(listMessages(t.db, bob, conversation.id, { limit: 20 })).rejects.toBeInstanceOf(NotFoundError);
    await expect(sendMessage(t.db, bob, conversation.id, { content: "hi" }, { responder })).rejects.toBeInstanceOf(NotFoundError);
    expect(await t.db.message.count({ where: { conversationId: conversation.id } })).toBe(0);
  });

  it("stores nothing when the reply cannot be produced", async () => {
    const conversation = await createConversation(t.db, alice, { twinId: aliceTwin });
    const failing: TwinResponder = { name: "failing", reply: () => Promise.reject(new Error("boom")) };
    await expect(sendMessage(t.db, alice, conversation.id, { content: "hi" }, { responder: failing })).rejects.toThrow("boom");
    expect(await t.db.message.count({ where: { conversationId: conversation.id } })).toBe(0);
  });
});
