export { appRouter, createCaller, type AppRouter } from "./root";
export { createTRPCContext, type ApiSession, type CreateContextOptions, type TRPCContext } from "./context";
export { protectedProcedure, publicProcedure, router, middleware, type ErrorFacts, type FieldErrors } from "./trpc";
