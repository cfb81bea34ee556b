// JSON-RPC 2.0 over stdio, one JSON message per line, as spoken between the Prisma CLI and its
// schema engine: the CLI writes requests to our stdin and reads responses from our stdout.
// The engine may also send requests to the CLI: `print` ({ content }) asks it to print text;
// the CLI answers with an empty result carrying the same id.

import readline from "node:readline";
import { EngineHost, RpcError } from "./engine-host.mjs";
import { log } from "./log.mjs";
import { lastPanicMessage } from "./wasm-engine.mjs";

/** @param {unknown} message */
function send(message) {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

/**
 * The `error` member of a failed response. The CLI shows `data.message` for ordinary errors, but
 * for panics (`data.is_panic`) it shows the top-level `message`, so a panic's message goes there.
 * @param {import("./engine-host.mjs").RpcErrorData} data
 */
function errorPayload(data) {
  const message = data.is_panic ? data.message : "An error happened. Check the data field for details.";
  return { code: 4466, message, data };
}

/**
 * Serves requests until stdin closes.
 * @param {import("./args.mjs").EngineArgs} args
 * @returns {Promise<number>} exit code
 */
export function serveJsonRpc(args) {
  /** @type {Map<number, () => void>} */
  const pendingPrints = new Map();
  let nextPrintId = 1;

  const host = new EngineHost(args, (content) => {
    const id = nextPrintId++;
    return new Promise((resolve) => {
      pendingPrints.set(id, resolve);
      send({ jsonrpc: "2.0", id, method: "print", params: { content } });
    });
  });

  // Requests run one at a time, in order, like the native engine.
  let queue = Promise.resolve();
  /** @type {unknown} id of the request being handled */
  let current;

  // A Rust panic inside a future that the wasm engine polls from a JS callback surfaces as an
  // unhandled rejection, out of reach of the request's own try/catch. Answer the request in flight
  // as a panic (as the native engine does), then exit with the native panic status 101: the
  // engine instance cannot be trusted after a trap.
  /** @param {unknown} error */
  const fatal = (error) => {
    const e = /** @type {any} */ (error);
    const panic = lastPanicMessage();
    const message = panic || String(e?.message ?? e);
    log("ERROR", message, { backtrace: String(e?.stack ?? "") });
    if (current !== undefined) {
      send({
        jsonrpc: "2.0",
        id: current,
        error: errorPayload({ is_panic: Boolean(panic), message, backtrace: e?.stack ?? null }),
      });
    }
    process.exit(panic ? 101 : 1);
  };
  process.on("unhandledRejection", fatal);
  process.on("uncaughtException", fatal);

  /** @param {any} request */
  const handle = async (request) => {
    const { id, method, params } = request;
    current = id;
    try {
      const result = await host.call(method, params);
      send({ jsonrpc: "2.0", id, result: result ?? null });
    } catch (error) {
      const e = /** @type {any} */ (error);
      if (e?.rpcCode) {
        send({ jsonrpc: "2.0", id, error: { code: e.rpcCode, message: e.message } });
      } else {
        const data = e instanceof RpcError ? e.data : { is_panic: false, message: String(e?.message ?? e) };
        log("ERROR", data.message, data.error_code ? { error_code: data.error_code } : {});
        send({
          jsonrpc: "2.0",
          id,
          error: errorPayload(data),
        });
      }
    } finally {
      current = undefined;
    }
  };

  return new Promise((resolve) => {
    const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
    rl.on("line", (line) => {
      if (!line.trim()) return;
      /** @type {any} */
      let message;
      try {
        message = JSON.parse(line);
      } catch {
        send({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error" } });
        return;
      }
      if (typeof message?.method === "string") {
        queue = queue.then(() => handle(message));
      } else if (message?.id !== undefined && pendingPrints.has(message.id)) {
        // The CLI's answer to one of our `print` requests.
        const done = pendingPrints.get(message.id);
        pendingPrints.delete(message.id);
        done?.();
      } else {
        send({ jsonrpc: "2.0", id: message?.id ?? null, error: { code: -32600, message: "Invalid Request" } });
      }
    });
    rl.on("close", () => {
      // The CLI closes stdin to stop the engine; finish what was asked first. A `print` that will
      // never be answered must not hold the process open.
      for (const done of pendingPrints.values()) done();
      queue.then(() => resolve(0));
    });
  });
}
