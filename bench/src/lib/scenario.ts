/** Shared steps of the HTTP parts: warming keys, and statement counts around a run. */
import type { App, Counters } from "./app";
import type { BenchKey } from "./database";
import { load, type LoadResult } from "./load";

/** One request per key (the key's first lookup fills the verifier's cache): `count` requests. */
export async function warmKeys(app: App, keys: BenchKey[], path = "/api/v1/twins"): Promise<void> {
  if (keys.length === 0) return;
  let i = 0;
  const result = await load({
    url: app.url,
    connections: Math.min(16, keys.length),
    amount: keys.length,
    path,
    next: () => ({ headers: { authorization: `Bearer ${keys[i++ % keys.length]!.key}` } }),
  });
  if (result.errors > 0 || result.limited > 0) {
    throw new Error(`warm-up of ${keys.length} keys: ${JSON.stringify(result.statuses)}`);
  }
}

export interface CountedRun extends LoadResult {
  /** Statements per 2xx answer, by kind. */
  statementsPerRequest: number;
  keyLookupsPerRequest: number;
  keyLookups: number;
  usageWrites: number;
}

function delta(after: Counters, before: Counters): Counters {
  return {
    statements: after.statements - before.statements,
    keyLookups: after.keyLookups - before.keyLookups,
    usageWrites: after.usageWrites - before.usageWrites,
  };
}

export async function counted(app: App, run: () => Promise<LoadResult>): Promise<CountedRun> {
  const before = (await app.stats()).counters;
  const result = await run();
  const d = delta((await app.stats()).counters, before);
  const answered = Math.max(1, result.ok + result.limited);
  return {
    ...result,
    statementsPerRequest: (d.statements - d.usageWrites) / answered,
    keyLookupsPerRequest: d.keyLookups / answered,
    keyLookups: d.keyLookups,
    usageWrites: d.usageWrites,
  };
}
