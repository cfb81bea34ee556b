import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter, createTRPCContext } from "@twx/api";
import { auth } from "@/auth";

export const dynamic = "force-dynamic";

function handler(req: Request) {
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: async () => createTRPCContext({ headers: req.headers, session: await auth() }),
    onError({ error, path }) {
      // Client mistakes are answered to the client; only server faults belong in the log.
      if (error.code === "INTERNAL_SERVER_ERROR") console.error(`tRPC ${path ?? "?"}:`, error.cause ?? error);
    },
    responseMeta() {
      // Every answer is about one signed-in user: never let a shared cache keep it.
      return { headers: new Headers({ "Cache-Control": "no-store" }) };
    },
  });
}

export { handler as GET, handler as POST };
