/**
 * Two jobs, each on its own matcher (see `config`):
 *
 * 1. REST paths with percent-escapes that are not UTF-8 get the API's 404 envelope (below).
 * 2. Keeps signed-out visitors out of the portal: `/dashboard/**` without a valid session
 * redirects to sign-in, remembering where they were going. The dashboard layout and every
 * tRPC procedure check the session again themselves.
 *
 * The session cookie is only read here, never written. Auth.js's own middleware wrapper
 * re-issues the cookie on every request it sees; a link prefetch that was in flight while the
 * user signed out would then bring the deleted session back.
 */
import { resolveAuthSecret } from "@twx/accounts";
import { getEnv } from "@twx/config";
import { getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";

async function hasSession(request: NextRequest): Promise<boolean> {
  const secret = resolveAuthSecret(getEnv());
  // The cookie is named `__Secure-…` when the portal is served over HTTPS; try both names
  // rather than guess the scheme behind a TLS-terminating proxy. Each name is also the
  // token's salt, so neither can stand in for the other.
  for (const secureCookie of [true, false]) {
    const token = await getToken({ req: request, secret, secureCookie });
    if (token?.sub) return true;
  }
  return false;
}

/**
 * A REST path whose percent-escapes are not UTF-8 (`/api/v1/twins/%ED%A0%80`) would make Next's
 * route parameter decoding throw a plain-text 500 before any route code runs. Answer it here
 * in the API's own error envelope instead; only paths with a `%` are routed through this.
 */
function undecodableApiPath(request: NextRequest): NextResponse | undefined {
  const { pathname } = request.nextUrl;
  if (!pathname.startsWith("/api/")) return undefined;
  try {
    decodeURIComponent(pathname);
    return undefined;
  } catch {
    return NextResponse.json(
      { success: false, error: { code: "not_found", message: "No such resource." } },
      { status: 404, headers: { "X-Request-Id": `req_${crypto.randomUUID().replaceAll("-", "")}`, "Cache-Control": "no-store" } },
    );
  }
}

export async function proxy(request: NextRequest) {
  const undecodable = undecodableApiPath(request);
  if (undecodable) return undecodable;
  if (!request.nextUrl.pathname.startsWith("/dashboard")) return NextResponse.next();
  if (await hasSession(request)) return NextResponse.next();
  const signIn = new URL("/sign-in", request.nextUrl.origin);
  signIn.searchParams.set("callbackUrl", `${request.nextUrl.pathname}${request.nextUrl.search}`);
  return NextResponse.redirect(signIn);
}

export const config = {
  matcher: ["/dashboard", "/dashboard/:path*", "/api/:path(.*%.*)"],
};
