/**
 * The parts of the OpenAPI 3.1 document (`GET /api/v1/openapi.json`) that the docs page shows:
 * one entry per operation, in the document's order. The document comes from the same function
 * that serves it (`openApiDocument` of `@twx/rest`), so the page and the JSON never disagree.
 */
import { openApiDocument } from "@twx/rest";

type Json = Record<string, unknown>;

export interface DocParameter {
  name: string;
  in: string;
  required: boolean;
  type: string;
  description: string;
  example?: unknown;
}

export interface DocError {
  status: string;
  code: string;
  message: string;
}

export interface DocRateLimit {
  scope?: string;
  limit: number;
  window: string;
  per: string;
}

export interface DocOperation {
  id: string;
  method: string;
  path: string;
  summary: string;
  description: string;
  tag: string;
  auth: { kind: "api_key"; scope: string } | { kind: "user_token" } | { kind: "none" };
  rateLimits: DocRateLimit[];
  parameters: DocParameter[];
  requestExample?: unknown;
  successStatus: string;
  responseExample?: unknown;
  errors: DocError[];
}

export interface DocErrorCode {
  status: string;
  code: string;
  message: string;
}

function obj(value: unknown): Json {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Json) : {};
}

function typeOf(schema: Json): string {
  const type = typeof schema.type === "string" ? schema.type : Array.isArray(schema.type) ? schema.type.join(" | ") : "string";
  const parts = [type];
  if (typeof schema.format === "string") parts.push(`(${schema.format})`);
  if (typeof schema.minimum === "number" && typeof schema.maximum === "number") parts.push(`${schema.minimum}–${schema.maximum}`);
  if (typeof schema.minLength === "number" && typeof schema.maxLength === "number") parts.push(`${schema.minLength}–${schema.maxLength} chars`);
  return parts.join(" ");
}

function jsonContent(value: unknown): Json {
  return obj(obj(obj(value).content)["application/json"]);
}

export function loadDocument(): { title: string; version: string; operations: DocOperation[] } {
  const doc = openApiDocument() as Json;
  const info = obj(doc.info);
  const operations: DocOperation[] = [];
  for (const [path, item] of Object.entries(obj(doc.paths))) {
    for (const [method, raw] of Object.entries(obj(item))) {
      const op = obj(raw);
      const security = Array.isArray(op.security) ? (op.security as Json[]) : [];
      const scheme = Object.keys(security[0] ?? {})[0];
      const auth: DocOperation["auth"] =
        scheme === "UserAccessToken"
          ? { kind: "user_token" }
          : scheme
            ? { kind: "api_key", scope: typeof op["x-required-scope"] === "string" ? op["x-required-scope"] : "read_only" }
            : { kind: "none" };
      const parameters = (Array.isArray(op.parameters) ? (op.parameters as Json[]) : []).map((p) => {
        const schema = obj(p.schema);
        return {
          name: String(p.name),
          in: String(p.in),
          required: p.required === true,
          type: typeOf(schema),
          description: typeof p.description === "string" ? p.description : "",
          ...(schema.example !== undefined ? { example: schema.example } : {}),
        };
      });
      const requestBody = jsonContent(op.requestBody);
      for (const [name, rawSchema] of Object.entries(obj(obj(requestBody.schema).properties))) {
        const schema = obj(rawSchema);
        const required = Array.isArray(obj(requestBody.schema).required) && (obj(requestBody.schema).required as string[]).includes(name);
        const variants = Array.isArray(schema.anyOf) ? (schema.anyOf as Json[]) : null;
        const type = variants ? variants.map(typeOf).join(" | ") : Array.isArray(schema.enum) ? (schema.enum as string[]).map((v) => `"${v}"`).join(" | ") : typeOf(schema);
        parameters.push({ name, in: "body", required, type, description: typeof schema.description === "string" ? schema.description : "" });
      }
      const responses = obj(op.responses);
      const successStatus = Object.keys(responses).find((s) => s.startsWith("2")) ?? "200";
      const errors: DocError[] = [];
      for (const [status, response] of Object.entries(responses)) {
        if (status.startsWith("2")) continue;
        for (const [code, example] of Object.entries(obj(jsonContent(response).examples))) {
          const error = obj(obj(obj(example).value).error);
          errors.push({ status, code, message: typeof error.message === "string" ? error.message : "" });
        }
      }
      operations.push({
        id: typeof op.operationId === "string" ? op.operationId : `${method}-${path}`,
        method: method.toUpperCase(),
        path,
        summary: typeof op.summary === "string" ? op.summary : path,
        description: typeof op.description === "string" ? op.description : "",
        tag: Array.isArray(op.tags) ? String(op.tags[0]) : "",
        auth,
        rateLimits: (Array.isArray(op["x-rate-limit"]) ? (op["x-rate-limit"] as Json[]) : []).map((r) => ({
          ...(typeof r.scope === "string" ? { scope: r.scope } : {}),
          limit: Number(r.limit),
          window: String(r.window),
          per: String(r.per),
        })),
        parameters,
        ...(requestBody.example !== undefined ? { requestExample: requestBody.example } : {}),
        successStatus,
        responseExample: jsonContent(responses[successStatus]).example,
        errors,
      });
    }
  }
  return { title: String(info.title ?? "API"), version: String(info.version ?? ""), operations };
}
