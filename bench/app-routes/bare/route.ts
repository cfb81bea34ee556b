// Benchmark-only (see ../_lib/bench.ts): Next.js's own per-request cost, with no wrapper, no
// database and no Redis.
export const dynamic = "force-dynamic";

export function GET(): Response {
  return Response.json({ success: true, data: [] });
}
