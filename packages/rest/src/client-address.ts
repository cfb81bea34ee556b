/**
 * The client's address, for the per-address limit of failed key attempts.
 *
 * - `TRUST_PROXY=true` (the app runs behind a proxy the operator controls, which sets
 *   `X-Forwarded-For`): the first hop of `X-Forwarded-For`.
 * - Otherwise the TCP peer. Route handlers of Next.js see no socket, so `installPeerAddressHeader`
 *   (called at start-up from apps/web/instrumentation.ts) writes the socket's address into
 *   `X-Twx-Peer-Address` of every incoming request, replacing any value a client sent.
 * - Fallback when that header is absent (a server started without the instrumentation hook):
 *   the last `X-Forwarded-For` hop, which `next start` fills from the socket when the client sent
 *   none. A client that sends its own header can then spread its attempts over several
 *   addresses; run behind a proxy with `TRUST_PROXY=true`, or keep the instrumentation hook.
 */
import type { IncomingMessage, Server } from "node:http";

export const PEER_ADDRESS_HEADER = "x-twx-peer-address";

/** Bounded: headers are client-controlled and the address ends up in a rate-limit key. */
const MAX_ADDRESS_LENGTH = 64;

export function clientAddress(headers: Headers, trustProxy: boolean): string | null {
  const hops = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((hop) => hop.trim())
    .filter(Boolean);
  const address = trustProxy ? hops[0] : (headers.get(PEER_ADDRESS_HEADER)?.trim() || hops.at(-1));
  return address ? address.slice(0, MAX_ADDRESS_LENGTH) : null;
}

const installed = Symbol.for("twx.rest.peerAddressHeader");

/**
 * Stamps every request received by any `http.Server` of this process with its socket address
 * (`X-Twx-Peer-Address`), overwriting a client-sent value. Idempotent.
 */
export function installPeerAddressHeader(httpServerPrototype: Server): void {
  const proto = httpServerPrototype as unknown as Record<symbol, unknown> & { emit: (event: string | symbol, ...args: unknown[]) => boolean };
  if (proto[installed]) return;
  proto[installed] = true;
  const emit = proto.emit;
  proto.emit = function stampPeerAddress(this: unknown, event: string | symbol, ...args: unknown[]) {
    if (event === "request") {
      const request = args[0] as IncomingMessage;
      const address = request.socket?.remoteAddress;
      if (address) request.headers[PEER_ADDRESS_HEADER] = address;
      else delete request.headers[PEER_ADDRESS_HEADER];
    }
    return emit.call(this, event, ...args);
  };
}
