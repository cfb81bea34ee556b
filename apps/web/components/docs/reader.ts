/** What the docs page knows about its reader, read through the portal's tRPC procedures. */
import { createCaller, createTRPCContext } from "@twx/api";
import type { Session } from "next-auth";
import type { DocsReader } from "./docs-reference";

const TWINS_SHOWN = 5;

export async function loadDocsReader(session: Session | null, headers: Headers): Promise<DocsReader> {
  const userId = session?.user?.id;
  if (!session || !userId) return { signedIn: false, key: null, twins: [], moreTwins: 0 };
  const caller = createCaller(createTRPCContext({ headers, session }));
  const [keys, twins] = await Promise.all([
    caller.keys.list({ includeRevoked: false }),
    caller.twins.list({ limit: 100 }),
  ]);
  const key = keys.find((k) => k.status === "active" || k.status === "expiring") ?? null;
  return {
    signedIn: true,
    key: key ? { name: key.name, start: key.start } : null,
    twins: twins.items.slice(0, TWINS_SHOWN).map((twin) => ({ id: twin.id, name: twin.name, expertise: twin.expertise })),
    moreTwins: Math.max(0, twins.items.length - TWINS_SHOWN),
  };
}

/** The origin the reader used, for copy-paste-ready URLs. */
export function originOf(headers: Headers): string {
  const host = headers.get("x-forwarded-host") ?? headers.get("host") ?? "localhost:3000";
  const proto = headers.get("x-forwarded-proto") ?? (host.startsWith("localhost") || host.startsWith("127.") ? "http" : "https");
  return `${proto.split(",")[0]!.trim()}://${host.split(",")[0]!.trim()}`;
}
