/**
 * Twins, conversations and messages as an account sees them.
 *
 * Every function takes the acting account's user id and filters by it in the query itself, so
 * another account's ids are indistinguishable from ids that never existed ({@link NotFoundError}).
 */
import type { Database } from "@twx/db";
import {
  afterCursor,
  clampLimit,
  decodeCursor,
  toPage,
  type Page,
  type PageRequest,
} from "./cursor";
import type { TwinResponder } from "./responder";

export interface TwinDto {
  id: string;
  name: string;
  expertise: string;
  description: string;
  avatarUrl: string | null;
}

export interface ConversationDto {
  id: string;
  twinId: string;
  title: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface MessageDto {
  id: string;
  conversationId: string;
  role: "user" | "twin";
  content: string;
  createdAt: Date;
}

export class NotFoundError extends Error {
  constructor(readonly resource: "twin" | "conversation") {
    super(`No ${resource} with this id.`);
    this.name = "NotFoundError";
  }
}

export const MAX_TITLE_LENGTH = 200;
export const MAX_MESSAGE_LENGTH = 8_000;
/** Earlier messages handed to the responder as context. */
const HISTORY_FOR_REPLY = 20;

const twinSelect = { id: true, name: true, expertise: true, description: true, avatarUrl: true, createdAt: true } as const;
const conversationSelect = { id: true, twinId: true, title: true, createdAt: true, updatedAt: true } as const;
const messageSelect = { id: true, conversationId: true, role: true, content: true, createdAt: true } as const;

function toTwin(row: TwinDto & { createdAt: Date }): TwinDto {
  return { id: row.id, name: row.name, expertise: row.expertise, description: row.description, avatarUrl: row.avatarUrl };
}
const toConversation = (row: ConversationDto): ConversationDto => ({ ...row });
const toMessage = (row: MessageDto): MessageDto => ({ ...row });

/** Twins an account may use: the shared ones (no owner) and its own. */
function visibleTwins(userId: string) {
  return { OR: [{ ownerId: null }, { ownerId: userId }] };
}

/** Twins visible to the account, oldest first. */
export async function listTwins(db: Database, userId: string, page: PageRequest): Promise<Page<TwinDto>> {
  const limit = clampLimit(page.limit);
  const position = page.cursor ? decodeCursor("twins", page.cursor) : undefined;
  const rows = await db.twin.findMany({
    where: { AND: [visibleTwins(userId), afterCursor(position, "asc")] },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: limit + 1,
    select: twinSelect,
  });
  return toPage("twins", rows, limit, toTwin);
}

export async function getTwin(db: Database, userId: string, twinId: string): Promise<TwinDto> {
  const row = await db.twin.findFirst({ where: { id: twinId, ...visibleTwins(userId) }, select: twinSelect });
  if (!row) throw new NotFoundError("twin");
  return toTwin(row);
}

/** The account's conversations, newest first. */
export async function listConversations(
  db: Database,
  userId: string,
  page: PageRequest,
): Promise<Page<ConversationDto>> {
  const limit = clampLimit(page.limit);
  const position = page.cursor ? decodeCursor("conversations", page.cursor) : undefined;
  const rows = await db.conversation.findMany({
    where: { userId, ...afterCursor(position, "desc") },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    select: conversationSelect,
  });
  return toPage("conversations", rows, limit, toConversation);
}

export async function getConversation(db: Database, userId: string, conversationId: string): Promise<ConversationDto> {
  const row = await db.conversation.findFirst({ where: { id: conversationId, userId }, select: conversationSelect });
  if (!row) throw new NotFoundError("conversation");
  return row;
}

export async function createConversation(
  db: Database,
  userId: string,
  input: { twinId: string; title?: string | undefined },
): Promise<ConversationDto> {
  const twin = await db.twin.findFirst({
    where: { id: input.twinId, ...visibleTwins(userId) },
    select: { id: true, name: true, language: true },
  });
  if (!twin) throw new NotFoundError("twin");
  const title = input.title?.trim() || defaultTitle(twin);
  return db.conversation.create({
    data: { userId, twinId: twin.id, title: title.slice(0, MAX_TITLE_LENGTH) },
    select: conversationSelect,
  });
}

function defaultTitle(twin: { name: string; language: string }): string {
  return twin.language.toLowerCase().startsWith("vi") ? `Trò chuyện với ${twin.name}` : `Conversation with ${twin.name}`;
}

/** Messages of one of the account's conversations, oldest first. */
export async function listMessages(
  db: Database,
  userId: string,
  conversationId: string,
  page: PageRequest,
): Promise<Page<MessageDto>> {
  const limit = clampLimit(page.limit);
  const position = page.cursor ? decodeCursor("messages", page.cursor) : undefined;
  await getConversation(db, userId, conversationId);
  const rows = await db.message.findMany({
    where: { conversationId, ...afterCursor(position, "asc") },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: limit + 1,
    select: messageSelect,
  });
  return toPage("messages", rows, limit, toMessage);
}

export interface SendMessageOptions {
  responder: TwinResponder;
  /** Clock, for tests. */
  now?: () => Date;
}

/**
 * Stores the user's message and the twin's reply in one transaction, and moves the
 * conversation's `updatedAt` to the reply. The reply is produced first, outside the transaction:
 * a provider call can take seconds and must not hold a database transaction open. Both messages
 * or neither are stored.
 */
export async function sendMessage(
  db: Database,
  userId: string,
  conversationId: string,
  input: { content: string },
  options: SendMessageOptions,
): Promise<{ message: MessageDto; reply: MessageDto }> {
  const now = options.now ?? (() => new Date());
  const receivedAt = now();
  const conversation = await db.conversation.findFirst({
    where: { id: conversationId, userId },
    select: {
      id: true,
      twin: { select: { id: true, name: true, expertise: true, description: true, language: true, knowledge: true } },
    },
  });
  if (!conversation) throw new NotFoundError("conversation");

  const recent = await db.message.findMany({
    where: { conversationId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: HISTORY_FOR_REPLY,
    select: { role: true, content: true },
  });
  const content = input.content;
  const replyText = await options.responder.reply({
    twin: conversation.twin,
    history: recent.reverse(),
    message: content,
  });

  // The reply is strictly later than the question, so "oldest first" never swaps them even when
  // both are written within the same millisecond (timestamps have millisecond precision).
  const replyAt = new Date(Math.max(now().getTime(), receivedAt.getTime() + 1));
  try {
    const [message, reply] = await db.$transaction([
      db.message.create({ data: { conversationId, role: "user", content, createdAt: receivedAt }, select: messageSelect }),
      db.message.create({
        data: { conversationId, role: "twin", content: replyText, createdAt: replyAt },
        select: messageSelect,
      }),
      db.conversation.update({ where: { id: conversationId }, data: { updatedAt: replyAt }, select: { id: true } }),
    ]);
    return { message, reply };
  } catch (error) {
    // Deleted while the reply was being written: the same answer as if it had never existed.
    const code = (error as { code?: unknown }).code;
    if (code === "P2025" || code === "P2003") throw new NotFoundError("conversation");
    throw error;
  }
}
