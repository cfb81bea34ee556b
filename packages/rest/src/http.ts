import { ApiError } from "./errors";

export const MAX_BODY_BYTES = 64 * 1024;

export interface PresentedCredentials {
  /** Value of `Authorization: Bearer <value>` (scheme case-insensitive, white space trimmed). */
  bearer?: string;
  /** Value of `X-API-Key` (trimmed). */
  apiKey?: string;
  /** An `Authorization` header with another scheme (Basic, ...) or no value. */
  unsupportedAuthorization: boolean;
}

const BEARER = /^bearer(?:[ \t]+(.*))?$/i;

/** Reads both credential headers. Never logs or keeps anything beyond the returned values. */
export function readCredentials(headers: Headers): PresentedCredentials {
  const result: PresentedCredentials = { unsupportedAuthorization: false };
  const authorization = headers.get("authorization")?.trim();
  if (authorization) {
    const match = BEARER.exec(authorization);
    const value = match?.[1]?.trim();
    if (value) result.bearer = value;
    else result.unsupportedAuthorization = true;
  }
  const apiKey = headers.get("x-api-key")?.trim();
  if (apiKey) result.apiKey = apiKey;
  return result;
}

/** The single credential of a request, or an error when the two headers disagree. */
export function singleCredential(credentials: PresentedCredentials): string | undefined {
  const { bearer, apiKey } = credentials;
  if (bearer !== undefined && apiKey !== undefined && bearer !== apiKey) {
    throw new ApiError(
      "ambiguous_credentials",
      "Send one credential: the Authorization and X-API-Key headers carry different values.",
    );
  }
  return bearer ?? apiKey;
}

/**
 * The body as parsed JSON. Refuses more than {@link MAX_BODY_BYTES}: first on Content-Length
 * (no byte read), then while streaming, since Content-Length may be absent (chunked) or wrong.
 */
export async function readJsonBody(request: Request, limit = MAX_BODY_BYTES): Promise<unknown> {
  const tooLarge = () =>
    new ApiError("payload_too_large", `The request body must be at most ${limit / 1024} KiB.`, {
      fields: { limitBytes: limit },
    });
  const declared = request.headers.get("content-length");
  if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > limit) throw tooLarge();

  const chunks: Uint8Array[] = [];
  let received = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.byteLength;
      if (received > limit) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge();
      }
      chunks.push(value);
    }
  }
  if (received === 0) {
    throw new ApiError("invalid_json", "The request body is empty; send a JSON object.");
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks, received));
  } catch {
    throw new ApiError("invalid_json", "The request body is not valid UTF-8.");
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError("invalid_json", "The request body is not valid JSON.");
  }
}

export function jsonResponse(status: number, body: unknown, headers: Headers): Response {
  headers.set("content-type", "application/json; charset=utf-8");
  return new Response(JSON.stringify(body), { status, headers });
}
