import { pingDatabase } from "@twx/db";

export const dynamic = "force-dynamic";

/** Liveness and database reachability, for load balancers and the README's first check. */
export async function GET() {
  const database = (await pingDatabase()) ? "up" : "down";
  return Response.json(
    { status: database === "up" ? "ok" : "degraded", database },
    { status: database === "up" ? 200 : 503, headers: { "Cache-Control": "no-store" } },
  );
}
