import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@twx/api";

type Outputs = inferRouterOutputs<AppRouter>;

/** One row of the key table, as `keys.list` returns it (dates as Date through superjson). */
export type KeyRow = Outputs["keys"]["list"][number];
export type KeyScope = KeyRow["scope"];
export type KeyStatus = KeyRow["status"];

export const SCOPES = ["read_only", "full_access"] as const satisfies readonly KeyScope[];
