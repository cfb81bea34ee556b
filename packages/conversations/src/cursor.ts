/**
 * Opaque keyset cursors. A cursor names the last row of a page by its sort key (createdAt, id)
 * and the list it belongs to, encoded as base64url JSON. Clients must treat it as opaque; the
 * list tag makes a cursor of one list a validation error on another instead of a silent skip.
 */
export type CursorList = "twins" | "conversations" | "messages";

export interface CursorPosition {
  createdAt: Date;
  id: string;
}

export class InvalidCursorError extends Error {
  constructor() {
    super("The cursor is not valid for this list. Use the nextCursor value of the previous page as it is.");
    this.name = "InvalidCursorError";
  }
}

const TAGS: Record<CursorList, string> = { twins: "t", conversations: "c", messages: "m" };
const MAX_CURSOR_LENGTH = 200;
const ID = /^[0-9A-Za-z-]{1,64}$/;

export function encodeCursor(list: CursorList, position: CursorPosition): string {
  return Buffer.from(JSON.stringify([TAGS[list], position.createdAt.getTime(), position.id])).toString("base64url");
}

export function decodeCursor(list: CursorList, cursor: string): CursorPosition {
  if (cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw new InvalidCursorError();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw new InvalidCursorError();
  }
  if (!Array.isArray(value) || value.length !== 3) throw new InvalidCursorError();
  const [tag, time, id] = value as unknown[];
  if (tag !== TAGS[list] || typeof time !== "number" || !Number.isSafeInteger(time) || time < 0) {
    throw new InvalidCursorError();
  }
  if (typeof id !== "string" || !ID.test(id)) throw new InvalidCursorError();
  return { createdAt: new Date(time), id };
}

export interface PageRequest {
  /** 1–100; validated by the caller (the REST schema), clamped here as a last line of defence. */
  limit: number;
  cursor?: string | undefined;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
  hasMore: boolean;
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export function clampLimit(limit: number): number {
  if (!Number.isFinite(limit)) return DEFAULT_PAGE_SIZE;
  return Math.min(MAX_PAGE_SIZE, Math.max(1, Math.trunc(limit)));
}

/**
 * Prisma `where` for "after the cursor" in a list sorted by (createdAt, id), ascending or
 * descending: strictly past the cursor's timestamp, or on the same timestamp past its id.
 */
export function afterCursor(position: CursorPosition | undefined, direction: "asc" | "desc") {
  if (!position) return {};
  const { createdAt, id } = position;
  return direction === "asc"
    ? { OR: [{ createdAt: { gt: createdAt } }, { createdAt, id: { gt: id } }] }
    : { OR: [{ createdAt: { lt: createdAt } }, { createdAt, id: { lt: id } }] };
}

/** Rows fetched with `take: limit + 1` → one page and the cursor of its last row. */
export function toPage<R extends { createdAt: Date; id: string }, T>(
  list: CursorList,
  rows: R[],
  limit: number,
  map: (row: R) => T,
): Page<T> {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  const last = pageRows[pageRows.length - 1];
  return {
    items: pageRows.map(map),
    nextCursor: hasMore && last ? encodeCursor(list, last) : null,
    hasMore,
  };
}
