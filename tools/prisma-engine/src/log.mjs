// Logging, on stderr only: stdout carries the JSON-RPC protocol.
//
// Lines are JSON in the shape of the native engine's tracing output, because the Prisma CLI
// parses the engine's stderr that way: it keeps each line's `fields.message` and reports the
// last `"level": "ERROR"` line when the engine exits unexpectedly; the one-shot `cli` commands
// are answered entirely through such lines (see cli.mjs).

const LEVELS = /** @type {const} */ (["TRACE", "DEBUG", "INFO", "WARN", "ERROR"]);

/** Minimum level, from RUST_LOG as the CLI sets it (default "info"); only its global level counts. */
function threshold() {
  const spec = (process.env.RUST_LOG ?? "info").toLowerCase();
  const global = spec.split(",").find((part) => !part.includes("=")) ?? "info";
  const index = LEVELS.findIndex((l) => l.toLowerCase() === global.trim());
  return index === -1 ? 2 : index;
}
const minLevel = threshold();

/**
 * @param {(typeof LEVELS)[number]} level
 * @param {string} message
 * @param {Record<string, unknown>} [fields]
 * @param {string} [target]
 */
export function log(level, message, fields = {}, target = "schema_engine_wasm_host") {
  if (LEVELS.indexOf(level) < minLevel) return;
  writeLine({ timestamp: new Date().toISOString(), level, fields: { message, ...fields }, target });
}

/** @param {unknown} value */
export function writeLine(value) {
  process.stderr.write(`${JSON.stringify(value)}\n`);
}

/**
 * Forwards a log line produced inside the wasm engine (already JSON from its tracing layer, or
 * plain text), honouring the level threshold.
 * @param {unknown} line
 */
export function forwardEngineLog(line) {
  const text = String(line);
  try {
    const parsed = JSON.parse(text);
    const level = String(parsed?.level ?? "INFO").toUpperCase();
    const index = LEVELS.indexOf(/** @type {any} */ (level));
    if (index !== -1 && index < minLevel) return;
    writeLine(parsed);
  } catch {
    log("DEBUG", text, {}, "schema_engine_wasm");
  }
}
