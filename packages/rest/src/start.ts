/** For apps/web/instrumentation.ts: the production dependencies, created and hooked at start-up. */
import { startRestLifecycle } from "./lifecycle";
import { getDefaultDependencies } from "./runtime";

export function startRestRuntime(): void {
  startRestLifecycle(getDefaultDependencies);
}
