/**
 * The `start` script's preload: requests Node's HTTP parser refuses before any route runs are
 * answered in the API's error envelope, over a real socket.
 */
import { createRequire } from "node:module";
import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { ERROR_CODES } from "@twx/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

createRequire(import.meta.url)("../server/client-errors.cjs");

let server: http.Server;
let port: number;

beforeAll(async () => {
  // Short timeouts so a stalled client is refused within the test (Node's defaults are minutes).
  server = http.createServer({ headersTimeout: 300, requestTimeout: 300, connectionsCheckingInterval: 50 }, (_request, response) => {
    response.end("served");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Writes `raw` as it is, then reads until the server closes the connection. */
function exchange(raw: string): Promise<{ head: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("close", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const split = text.indexOf("\r\n\r\n");
      resolve({ head: text.slice(0, split), body: text.slice(split + 4) });
    });
    socket.write(raw);
  });
}

function expectEnvelope(reply: { head: string; body: string }, status: number, code: keyof typeof ERROR_CODES) {
  expect(reply.head.split("\r\n")[0]).toBe(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}`);
  expect(reply.head).toMatch(/^Content-Type: application\/json; charset=utf-8$/im);
  expect(reply.head).toMatch(/^X-Request-Id: req_[0-9a-f]{32}$/im);
  expect(reply.head).toMatch(new RegExp(`^Content-Length: ${Buffer.byteLength(reply.body)}$`, "im"));
  const body = JSON.parse(reply.body);
  expect(body).toEqual({ success: false, error: { code, message: expect.any(String) } });
  // The code is one the API documents, with the status it documents.
  expect(ERROR_CODES[code].status).toBe(status);
}

describe("HTTP-level refusals", () => {
  it("answers headers over Node's limit with 431 headers_too_large", async () => {
    const reply = await exchange(`GET /api/v1/twins HTTP/1.1\r\nHost: x\r\nX-API-Key: ${"x".repeat(20_000)}\r\n\r\n`);
    expectEnvelope(reply, 431, "headers_too_large");
    expect(JSON.parse(reply.body).error.message).toContain(`${http.maxHeaderSize / 1024} KiB`);
  });

  it("answers a malformed header line with 400 malformed_request, echoing nothing of it", async () => {
    const reply = await exchange("GET /api/v1/twins HTTP/1.1\r\nHost: x\r\nX-API-Key twx_secret_without_colon\r\n\r\n");
    expectEnvelope(reply, 400, "malformed_request");
    expect(reply.head + reply.body).not.toContain("twx_secret");
  });

  it("answers headers that never finish with 408 request_timeout", async () => {
    const reply = await exchange("GET /api/v1/twins HTTP/1.1\r\nHost: x\r\n");
    expectEnvelope(reply, 408, "request_timeout");
  });

  it("leaves well-formed requests to the application", async () => {
    const reply = await exchange("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    expect(reply.head.split("\r\n")[0]).toBe("HTTP/1.1 200 OK");
    expect(reply.body).toContain("served");
  });
});
