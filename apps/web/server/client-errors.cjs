// @ts-check
/**
 * Preloaded into `next start` (`node --require ./server/client-errors.cjs`, see the `start`
 * script): requests that Node's HTTP parser refuses before any route runs get the API's error
 * envelope instead of Node's bare status line.
 *
 * Node answers such requests itself — headers over its 16 KiB limit (`431`), a malformed request
 * line or header (`400`), a client too slow to send its headers (`408`) — with an empty body,
 * which no client of the REST API can read an error code from. Next.js creates its server
 * without a `clientError` listener and offers no option for one, so the listener is attached
 * here, to every HTTP server the process creates.
 */
"use strict";

const http = require("node:http");
const { randomUUID } = require("node:crypto");

/** @type {Record<string, [number, string, string]>} */
const REPLIES = {
  HPE_HEADER_OVERFLOW: [431, "headers_too_large", `The request's headers exceed ${Math.floor(http.maxHeaderSize / 1024)} KiB.`],
  ERR_HTTP_REQUEST_TIMEOUT: [408, "request_timeout", "The request's headers did not arrive in time."],
};
const MALFORMED = /** @type {[number, string, string]} */ ([400, "malformed_request", "The request is not valid HTTP/1.1."]);

/**
 * @param {Error & { code?: string }} error
 * @param {import("node:stream").Duplex & { _httpMessage?: unknown }} socket
 */
function answerClientError(error, socket) {
  // A reset connection, or a response already under way, has nobody left to read a reply.
  if (error.code === "ECONNRESET" || !socket.writable || socket._httpMessage) {
    socket.destroy();
    return;
  }
  const [status, code, message] = REPLIES[error.code ?? ""] ?? MALFORMED;
  const body = JSON.stringify({ success: false, error: { code, message } });
  socket.end(
    [
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}`,
      "Content-Type: application/json; charset=utf-8",
      `Content-Length: ${Buffer.byteLength(body)}`,
      "Cache-Control: no-store",
      `X-Request-Id: req_${randomUUID().replaceAll("-", "")}`,
      "Connection: close",
      "",
      body,
    ].join("\r\n"),
  );
}

const createServer = http.createServer;
/** @type {typeof http.createServer} */
// @ts-expect-error -- one wrapper for both of createServer's overloads
http.createServer = function createServerAnsweringClientErrors(...args) {
  // @ts-expect-error -- forwarded as received
  const server = createServer.apply(this, args);
  server.on("clientError", answerClientError);
  return server;
};
