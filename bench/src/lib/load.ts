/**
 * HTTP load with autocannon (one process, no workers, pipelining 1: each connection is one
 * client waiting for its answer). Latencies are collected from every response at full
 * resolution (autocannon's own histogram keeps whole milliseconds, too coarse for sub-millisecond
 * differences), and only successful (2xx) answers count towards latency and throughput.
 * 429s and other statuses are reported apart.
 */
import type { EventEmitter } from "node:events";
import autocannon from "autocannon";
import type { BenchKey } from "./database";

export interface LoadResult {
  /** 2xx answers per second. */
  rps: number;
  ok: number;
  limited: number;
  /** Non-2xx answers other than 429, socket errors and timeouts. */
  errors: number;
  statuses: Record<string, number>;
  p50: number;
  p90: number;
  p99: number;
  mean: number;
  seconds: number;
}

export interface RequestSpec {
  method?: "GET" | "POST";
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Called before every request of this spec: its headers, path and body. */
  next?: () => { headers?: Record<string, string>; path?: string; body?: string };
}

export interface LoadOptions extends RequestSpec {
  url: string;
  connections: number;
  /** Seconds; or `amount` requests. */
  duration?: number;
  amount?: number;
}

function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index]!;
}

interface Collector {
  latencies: number[];
  statuses: Record<string, number>;
}

function summarise(collector: Collector, seconds: number, socketErrors: number): LoadResult {
  const sorted = Float64Array.from(collector.latencies).sort();
  const ok = sorted.length;
  const limited = collector.statuses["429"] ?? 0;
  const answered = Object.values(collector.statuses).reduce((a, b) => a + b, 0);
  return {
    rps: ok / seconds,
    ok,
    limited,
    errors: answered - ok - limited + socketErrors,
    statuses: collector.statuses,
    p50: percentile(sorted, 0.5),
    p90: percentile(sorted, 0.9),
    p99: percentile(sorted, 0.99),
    mean: ok ? collector.latencies.reduce((a, b) => a + b, 0) / ok : Number.NaN,
    seconds,
  };
}

function toRequest(spec: RequestSpec, onResponse: () => void): autocannon.Request {
  const baseHeaders = { ...(spec.body ? { "content-type": "application/json" } : {}), ...spec.headers };
  const request: autocannon.Request = {
    method: spec.method ?? "GET",
    path: spec.path,
    headers: baseHeaders,
    ...(spec.body ? { body: spec.body } : {}),
    onResponse,
  };
  if (spec.next) {
    const next = spec.next;
    request.setupRequest = (req) => {
      const step = next();
      return {
        ...req,
        ...(step.path ? { path: step.path } : {}),
        headers: { ...baseHeaders, ...step.headers },
        ...(step.body !== undefined ? { body: step.body } : {}),
      };
    };
  }
  return request;
}

/**
 * Runs `specs` interleaved: every connection sends them in turn (A, B, C, A, B, C...), so each
 * kind sees the same moments of a noisy machine. Results per spec; `rps` is each kind's share
 * of the combined run, not what it would do alone.
 */
export async function loadInterleaved(
  options: { url: string; connections: number; duration?: number; amount?: number },
  specs: RequestSpec[],
): Promise<LoadResult[]> {
  const collectors: Collector[] = specs.map(() => ({ latencies: [], statuses: {} }));
  // autocannon calls the request's onResponse right before it emits "response" for it.
  let current = 0;
  const requests = specs.map((spec, i) => toRequest(spec, () => {
    current = i;
  }));
  const started = process.hrtime.bigint();
  let lastAt = started;
  const instance = autocannon({
    url: options.url,
    connections: options.connections,
    pipelining: 1,
    timeout: 10,
    ...(options.amount ? { amount: options.amount } : { duration: options.duration ?? 5 }),
    requests,
    // Without a callback autocannon returns its instance: an event emitter that is also a promise.
  }) as unknown as Promise<autocannon.Result> & EventEmitter;
  instance.on("response", (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    lastAt = process.hrtime.bigint();
    const collector = collectors[current]!;
    collector.statuses[statusCode] = (collector.statuses[statusCode] ?? 0) + 1;
    if (statusCode >= 200 && statusCode < 300) collector.latencies.push(responseTime);
  });
  const result = await instance;
  const seconds = Number(lastAt - started) / 1e9;
  const socketErrors = result.errors + result.timeouts;
  return collectors.map((collector, i) => summarise(collector, seconds, i === 0 ? socketErrors : 0));
}

export async function load(options: LoadOptions): Promise<LoadResult> {
  const [result] = await loadInterleaved(options, [options]);
  return result!;
}

/**
 * Hands out keys so that no key goes past `usesPerKey` requests (under its hourly limit, with
 * the warm-up request and a margin left): one key at a time, or round-robin over a window of
 * `spread` keys. When the pool runs dry it starts over from its first key and says so: the
 * extra requests then show up as 429s, reported apart.
 */
export class KeyPool {
  #cursor = 0;
  #exhausted = false;

  constructor(
    readonly keys: BenchKey[],
    readonly usesPerKey: number,
  ) {}

  get remaining(): number {
    return this.keys.length - this.#cursor;
  }

  get exhausted(): boolean {
    return this.#exhausted;
  }

  /** Takes `count` fresh keys out of the pool. */
  take(count: number): BenchKey[] {
    if (this.#cursor + count > this.keys.length) {
      this.#exhausted = true;
      this.#cursor = 0;
    }
    const taken = this.keys.slice(this.#cursor, this.#cursor + count);
    this.#cursor += count;
    return taken;
  }
}

/** A request source over `keys`: `spread` keys in rotation, each used at most `uses` times. */
export function rotation(keys: BenchKey[], uses: number, spread = 1): { next(): BenchKey; used: number } {
  let n = 0;
  const state = {
    used: 0,
    next(): BenchKey {
      const windowStart = Math.floor(n / (uses * spread)) * spread;
      const key = keys[(windowStart + (n % spread)) % keys.length]!;
      n++;
      state.used = n;
      return key;
    },
  };
  return state;
}
