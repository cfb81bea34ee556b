/**
 * Keeps signed-out visitors out of the portal: `/dashboard/**` without a valid session
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

export async function proxy(request: NextRequest) {
  if (await hasSession(request)) return NextResponse.next();
  const signIn = new URL("/sign-in", request.nextUrl.origin);
  signIn.searchParams.set("callbackUrl", `${request.nextUrl.pathname}${request.nextUrl.search}`);
  return NextResponse.redirect(signIn);
}

export const config = {
  matcher: ["/dashboard", "/dashboard/:path*"],
};
