import type { NextRequest } from "next/server";
import { handlers } from "@/auth";

export const { GET } = handlers;

/**
 * Auth.js reports a sign-in refused by the rate limit as a redirect carrying `code=rate_limited`.
 * Clients of this HTTP endpoint get the status that says so instead. (The portal's own forms
 * sign in through a server action, which shows the wait in the form.)
 */
export async function POST(request: NextRequest) {
  const response = await handlers.POST(request);
  const location = response.headers.get("location");
  if (location && new URL(location, request.url).searchParams.get("code") === "rate_limited") {
    return Response.json(
      { error: "rate_limited", message: "Too many sign-in attempts. Wait a few minutes, then try again." },
      { status: 429, headers: { "Cache-Control": "no-store" } },
    );
  }
  return response;
}
