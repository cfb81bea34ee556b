// Benchmark-only (see ../_lib/bench.ts): statement counters and memory of this process.
// POST runs a full garbage collection first (the bench starts the server with --expose-gc).
import { counters } from "../_lib/bench";

export const dynamic = "force-dynamic";

function snapshot(): Response {
  const memory = process.memoryUsage();
  return Response.json({ pid: process.pid, counters: { ...counters() }, memory });
}

export function GET(): Response {
  return snapshot();
}

export function POST(): Response {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
  return snapshot();
}
