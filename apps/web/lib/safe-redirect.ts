/** Where the portal sends a user after signing in when nothing else was asked for. */
export const DEFAULT_SIGNED_IN_PATH = "/dashboard/keys";

/**
 * A same-site path to return to after sign-in, or the default. Anything that could leave the
 * site (`https://…`, `//host`, `/\host`) or is not a string is refused: `callbackUrl` comes from
 * the query string and must not become an open redirect.
 */
export function safeCallbackPath(value: unknown, fallback: string = DEFAULT_SIGNED_IN_PATH): string {
  if (typeof value !== "string" || value.length > 2048) return fallback;
  if (!value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return fallback;
  // Control characters (including the tab and newline browsers strip) could smuggle a host in.
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(value)) return fallback;
  try {
    const url = new URL(value, "http://portal.invalid");
    if (url.origin !== "http://portal.invalid") return fallback;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return fallback;
  }
}
