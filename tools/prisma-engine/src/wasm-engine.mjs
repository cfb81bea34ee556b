// Loads Prisma's WebAssembly schema engine (@prisma/schema-engine-wasm).
//
// The package's entry point does `import * as wasm from "./schema_engine_bg.wasm"`, an ES module
// import of a .wasm file, which Node 20 only allows behind --experimental-wasm-modules. We do what
// that import would do by hand: compile the module, instantiate it with the wasm-bindgen glue
// (schema_engine_bg.js) as its import object, hand the exports back to the glue and run the start
// function.

import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

/** Version of the wasm engine package this tool is built and tested against (see package.json). */
export const EXPECTED_ENGINE_COMMIT = "0edf323efd1d98336f3f0a68684b56f689b900d3";

/**
 * Records the message of the last Rust panic. The engine's panic hook calls
 * `global.PRISMA_WASM_PANIC_REGISTRY.set_message(...)` before trapping, so it must exist before any
 * engine call; the JSON-RPC layer reads it back to report the panic the way the native engine does.
 */
class PanicRegistry {
  message = "";
  get() {
    return this.message;
  }
  /** @param {string} value */
  set_message(value) {
    this.message = `RuntimeError: ${value}`;
  }
}

/** @type {Promise<typeof import("@prisma/schema-engine-wasm")> | undefined} */
let loading;

/** @returns {Promise<typeof import("@prisma/schema-engine-wasm")>} */
export function loadWasmEngine() {
  loading ??= (async () => {
    const g = /** @type {any} */ (globalThis);
    g.PRISMA_WASM_PANIC_REGISTRY ??= new PanicRegistry();
    // The glue is an exported subpath; the .wasm file sits next to it.
    const glueUrl = import.meta.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const glue = await import(glueUrl);
    const bytes = await readFile(fileURLToPath(new URL("schema_engine_bg.wasm", glueUrl)));
    // (WebAssembly is a Node global; the project's TypeScript libs do not declare it.)
    const { instance } = await /** @type {any} */ (globalThis).WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": glue });
    glue.__wbg_set_wasm(instance.exports);
    /** @type {any} */ (instance.exports).__wbindgen_start();
    return glue;
  })();
  return loading;
}

/** The panic message recorded by the engine, if any. */
export function lastPanicMessage() {
  const g = /** @type {any} */ (globalThis);
  return g.PRISMA_WASM_PANIC_REGISTRY?.get() ?? "";
}
