/**
 * Keeps signed-out visitors out of the portal: `/dashboard/**` without a valid session
 * redirects to sign-in, remembering where they were going. Only the session cookie is read
 * (no database); pages and tRPC procedures check the session again themselves.
 */
import NextAuth from "next-auth";
import { NextResponse } from "next/server";
import { baseAuthConfig } from "./auth.config";

const { auth } = NextAuth(() => baseAuthConfig());

export default auth((request) => {
  if (request.auth?.user) return NextResponse.next();
  const signIn = new URL("/sign-in", request.nextUrl.origin);
  signIn.searchParams.set("callbackUrl", `${request.nextUrl.pathname}${request.nextUrl.search}`);
  return NextResponse.redirect(signIn);
});

export const config = {
  matcher: ["/dashboard", "/dashboard/:path*"],
};
