/**
 * Runs once when the server starts: validate the environment before serving anything, so a
 * missing or malformed variable stops the process with a message that names it; then create the
 * REST API's dependencies (their start-up log line names the rate-limit backend), stamp each
 * request with its socket address (per-address limits) and hook graceful shutdown (on SIGTERM,
 * buffered usage counters and lastUsed times are flushed after the in-flight requests finish).
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { loadEnvOrExit } = await import("@twx/config");
  loadEnvOrExit();
  const { startRestRuntime } = await import("@twx/rest/lifecycle");
  startRestRuntime();
}
