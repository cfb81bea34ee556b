/**
 * Runs once when the server starts: validate the environment before serving anything, so a
 * missing or malformed variable stops the process with a message that names it.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { loadEnvOrExit } = await import("@twx/config");
  loadEnvOrExit();
}
