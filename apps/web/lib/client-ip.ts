/**
 * The client's address for per-address limits and the audit trail.
 *
 * Behind a proxy that the operator trusts (`TRUST_PROXY=true`), the first X-Forwarded-For hop
 * is the client. Reached directly, `next start` fills X-Forwarded-For from the socket when the
 * request has none, so the last hop is the socket's address unless the client sent its own
 * header; such a spoofed value can only spread one client's attempts over several budgets, and
 * the per-account budget still holds.
 */
export function clientIpFromHeaders(headers: Headers, trustProxy: boolean): string | null {
  const hops = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((h) => h.trim())
    .filter(Boolean);
  const ip = trustProxy ? hops[0] : hops.at(-1);
  // Bounded: a header is attacker-controlled and ends up in a rate-limit key and the audit log.
  return ip ? ip.slice(0, 64) : null;
}
