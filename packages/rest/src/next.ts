/**
 * Route-file helpers for Next.js: a route file names its path and gets one handler per method
 * (the path's operations, and 405 method_not_allowed for the rest).
 *
 *   // app/api/v1/conversations/route.ts
 *   export const dynamic = "force-dynamic";
 *   export const { GET, POST, PUT, PATCH, DELETE } = restRoute("/conversations");
 */
import { createRestHandler, methodNotAllowed, unknownPath, type RouteHandler } from "./handler";
import type { RestDependencies } from "./operation";
import { operationsAt } from "./registry";
import { getDefaultDependencies } from "./runtime";

export type RouteMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
const METHODS: RouteMethod[] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

export function restRoute(
  path: string,
  dependencies: () => RestDependencies = getDefaultDependencies,
): Record<RouteMethod, RouteHandler> {
  const operations = operationsAt(path);
  if (operations.length === 0) throw new Error(`No /api/v1 operation is declared for ${path}`);
  const allowed = operations.map((operation) => operation.method);
  const notAllowed = methodNotAllowed(allowed);
  return Object.fromEntries(
    METHODS.map((method) => {
      const operation = operations.find((candidate) => candidate.method === method);
      return [method, operation ? createRestHandler(operation, dependencies) : notAllowed];
    }),
  ) as Record<RouteMethod, RouteHandler>;
}

/** For the catch-all route: any method on an unknown /api/v1 path is 404 not_found. */
export function unknownApiPath(): Record<RouteMethod, RouteHandler> {
  const handler = unknownPath();
  return Object.fromEntries(METHODS.map((method) => [method, handler])) as Record<RouteMethod, RouteHandler>;
}
