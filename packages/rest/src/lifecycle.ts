/**
 * Process lifecycle of the app's REST dependencies, started from apps/web/instrumentation.ts:
 *
 * - the dependencies are created at start-up, so the `REST API v1 ready` line (rate-limit
 *   backend, key-notice transport, ...) is logged when the server starts, not at the first request;
 * - the socket address of each request is stamped for the per-address limits (./client-address);
 * - graceful shutdown: on SIGTERM/SIGINT, `next start` stops accepting connections, lets the
 *   in-flight requests finish and then calls `process.exit`. That exit is held until the buffered
 *   usage counters and lastUsed times are flushed (`close()` of the dependencies), bounded by
 *   `timeoutMs`. With `NEXT_MANUAL_SIG_HANDLE` set, Next installs no handler: the flush runs at
 *   once and the process exits after it.
 */
import http from "node:http";
import { describeError } from "./failures";
import { installPeerAddressHeader } from "./client-address";
import type { RestDependencies } from "./operation";

export interface GracefulShutdownOptions {
  /** Upper bound for the flush once the server has drained (default 10 s). */
  timeoutMs?: number;
}

const installed = Symbol.for("twx.rest.lifecycle");

export function startRestLifecycle(getDependencies: () => RestDependencies, options: GracefulShutdownOptions = {}): void {
  const global = globalThis as Record<symbol, unknown>;
  if (global[installed]) return;
  global[installed] = true;

  installPeerAddressHeader(http.Server.prototype);
  const deps = getDependencies();
  const timeoutMs = options.timeoutMs ?? 10_000;

  let flushing: Promise<void> | undefined;
  const flush = (): Promise<void> => {
    flushing ??= (async () => {
      const started = performance.now();
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          deps.close?.(),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`flush did not finish within ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
        deps.logger.info({ durationMs: Math.round(performance.now() - started) }, "REST API v1 stopped: usage flushed");
      } catch (error) {
        deps.logger.error({ error: describeError(error) }, "REST API v1 stopped: usage flush failed");
      } finally {
        clearTimeout(timer);
      }
    })();
    return flushing;
  };

  const onSignal = (signal: NodeJS.Signals) => {
    deps.logger.info({ signal }, "shutting down: no new connections, finishing in-flight requests");
    if (process.env.NEXT_MANUAL_SIG_HANDLE) {
      void flush().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
      return;
    }
    // Next's handler calls process.exit once the HTTP server has closed (in-flight requests
    // answered): flush first, then exit with the code it asked for.
    const exit = process.exit.bind(process);
    process.exit = ((code?: number | string | null) => {
      void flush().finally(() => exit(code ?? undefined));
      return undefined as never;
    }) as typeof process.exit;
  };
  process.once("SIGTERM", onSignal);
  process.once("SIGINT", onSignal);
}
