/**
 * The portal's API: one router per domain, each in `routers/<domain>/_router.ts`.
 * Adding a domain is one line here.
 */
import { accountRouter } from "./routers/account/_router";
import { keysRouter } from "./routers/keys/_router";
import { tokensRouter } from "./routers/tokens/_router";
import { createCallerFactory, router } from "./trpc";

export const appRouter = router({
  account: accountRouter,
  keys: keysRouter,
  tokens: tokensRouter,
});

export type AppRouter = typeof appRouter;

/** Server-side caller (React Server Components, tests) that skips HTTP. */
export const createCaller = createCallerFactory(appRouter);
