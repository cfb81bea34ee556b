/**
 * The portal's API: one router per domain, each in `routers/<domain>/_router.ts`.
 * Adding a domain is one line here.
 */
import { accountRouter } from "./routers/account/_router";
import { auditRouter } from "./routers/audit/_router";
import { keysRouter } from "./routers/keys/_router";
import { tokensRouter } from "./routers/tokens/_router";
import { twinsRouter } from "./routers/twins/_router";
import { usageRouter } from "./routers/usage/_router";
import { createCallerFactory, router } from "./trpc";

export const appRouter = router({
  account: accountRouter,
  audit: auditRouter,
  keys: keysRouter,
  tokens: tokensRouter,
  twins: twinsRouter,
  usage: usageRouter,
});

export type AppRouter = typeof appRouter;

/** Server-side caller (React Server Components, tests) that skips HTTP. */
export const createCaller = createCallerFactory(appRouter);
