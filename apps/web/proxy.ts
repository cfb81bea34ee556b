/**
 * Keeps signed-out visitors out of the portal: `/dashboard/**` without a valid session
 * redirects to sign-in, remembering where they were going. Only the session cookie is read
 * (no database); pages and tRPC procedures check the session again themselves.
 */
import NextAuth from "next-auth";
import { NextResponse, type NextFetchEvent, type NextRequest } from "next/server";
import { baseAuthConfig } from "./auth.config";

const { auth } = NextAuth(() => baseAuthConfig());

const guard = auth((request) => {
  if (request.auth?.user) return NextResponse.next();
  const signIn = new URL("/sign-in", request.nextUrl.origin);
  signIn.searchParams.set("callbackUrl", `${request.nextUrl.pathname}${request.nextUrl.search}`);
  return NextResponse.redirect(signIn);
});

export async function proxy(request: NextRequest, event: NextFetchEvent) {
  // With a lazily built config (env is read per request, never at build time), Auth.js hands
  // back the wrapped handler as a promise.
  const handler = await guard;
  return handler(request, event as never);
}

export const config = {
  matcher: ["/dashboard", "/dashboard/:path*"],
};
