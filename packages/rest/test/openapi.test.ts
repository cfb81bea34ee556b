import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { ERROR_CODES, errorCodesOf, openApiDocument, operations, schemas } from "../src";

const routesRoot = path.resolve(import.meta.dirname, "../../../apps/web/app/api/v1");

type Json = Record<string, any>;
const doc = openApiDocument() as Json;

async function routeFiles(dir = routesRoot): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await routeFiles(full)));
    else if (entry.name === "route.ts") files.push(full);
  }
  return files;
}

/** `apps/web/app/api/v1/conversations/[id]/messages/route.ts` → `/conversations/{id}/messages`. */
function apiPathOf(file: string): string {
  const relative = path.relative(routesRoot, path.dirname(file)).split(path.sep).filter(Boolean);
  return `/${relative.map((segment) => segment.replace(/^\[(\w+)\]$/, "{$1}")).join("/")}`;
}

describe("route files and operations", () => {
  it("has a route file for every operation and an operation for every route file", async () => {
    const files = (await routeFiles()).filter((file) => !file.includes("[...path]"));
    const filePaths = new Set(files.map(apiPathOf));
    const documented = new Set(Object.keys(doc.paths));
    expect([...filePaths].sort()).toEqual([...documented].sort());

    for (const file of files) {
      const source = await readFile(file, "utf8");
      const apiPath = apiPathOf(file);
      // The file serves exactly the path its folder names, through the shared wrapper.
      expect(source, file).toContain(`restRoute("${apiPath}")`);
      // Every documented method is exported (the others answer 405 through the same helper).
      for (const method of Object.keys(doc.paths[apiPath])) {
        expect(source, `${file} exports ${method.toUpperCase()}`).toMatch(new RegExp(`export const \\{[^}]*\\b${method.toUpperCase()}\\b`));
      }
      // Thin: no logic of its own.
      expect(source.split("\n").filter((line) => line.trim() && !line.trim().startsWith("//")).length).toBeLessThanOrEqual(4);
    }
  });

  it("keeps a catch-all that answers unknown /api/v1 paths with the error envelope", async () => {
    const source = await readFile(path.join(routesRoot, "[...path]/route.ts"), "utf8");
    expect(source).toContain("unknownApiPath()");
  });

  it("covers every endpoint of API.md", () => {
    const listed = operations.map((op) => `${op.method} ${op.path}`).sort();
    expect(listed).toEqual(
      [
        "POST /auth/api-keys",
        "GET /auth/api-keys",
        "PATCH /auth/api-keys/{id}",
        "DELETE /auth/api-keys/{id}",
        "GET /twins",
        "GET /twins/{id}",
        "GET /conversations",
        "GET /conversations/{id}",
        "GET /conversations/{id}/messages",
        "POST /conversations",
        "POST /conversations/{id}/messages",
        "GET /openapi.json",
      ].sort(),
    );
    expect(new Set(operations.map((op) => op.operationId)).size).toBe(operations.length);
  });
});

function collectRefs(value: unknown, refs: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => collectRefs(v, refs));
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k === "$ref" && typeof v === "string") refs.push(v);
      else collectRefs(v, refs);
    }
  }
  return refs;
}

function resolve(ref: string): unknown {
  expect(ref.startsWith("#/")).toBe(true);
  return ref
    .slice(2)
    .split("/")
    .reduce<any>((node, part) => node?.[part.replaceAll("~1", "/").replaceAll("~0", "~")], doc);
}

describe("OpenAPI document", () => {
  it("validates against the official OpenAPI 3.1 schema", async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc));
    expect(result.errors ?? [], JSON.stringify(result.errors, null, 2)).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  it("is OpenAPI 3.1 with security schemes and resolvable references", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(["ApiKeyBearer", "ApiKeyHeader", "UserAccessToken"]);
    for (const ref of collectRefs(doc)) expect(resolve(ref), ref).toBeDefined();
    expect(JSON.stringify(doc)).not.toContain("$defs");
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(["ApiKey", "Twin", "Conversation", "Message", "Error", "Pagination"]),
    );
  });

  it("documents credentials, scope, limits, examples and errors on every operation", () => {
    for (const operation of operations) {
      const entry = doc.paths[operation.path][operation.method.toLowerCase()];
      expect(entry.operationId).toBe(operation.operationId);
      const success = entry.responses[String(operation.success.status)];
      expect(success, operation.operationId).toBeDefined();
      if (!operation.success.raw) expect(success.content["application/json"].example).toBeDefined();
      if (operation.body) expect(entry.requestBody.content["application/json"].example).toBeDefined();

      for (const code of errorCodesOf(operation)) {
        const response = entry.responses[String(ERROR_CODES[code].status)];
        expect(response, `${operation.operationId} ${code}`).toBeDefined();
        expect(response.content["application/json"].examples[code].value.error.code).toBe(code);
      }
      if (operation.auth.kind === "api_key") {
        expect(entry.security).toEqual([{ ApiKeyBearer: [operation.auth.scope] }, { ApiKeyHeader: [operation.auth.scope] }]);
        expect(entry["x-required-scope"]).toBe(operation.auth.scope);
        expect(entry.responses["429"].headers["Retry-After"]).toBeDefined();
        expect(entry.description).toContain("200/hour");
      }
      if (operation.auth.kind === "user_token") {
        expect(entry.security).toEqual([{ UserAccessToken: [] }]);
        expect(entry.responses["403"].content["application/json"].examples.api_key_not_allowed).toBeDefined();
      }
    }
    const sendMessage = doc.paths["/conversations/{id}/messages"].post;
    expect(sendMessage.responses["403"].content["application/json"].examples.insufficient_scope).toBeDefined();
    expect(doc.paths["/twins"].get.responses["403"]).toBeUndefined();
  });

  it("describes request bodies and parameters with the same schemas that validate them", () => {
    const body = doc.paths["/conversations/{id}/messages"].post.requestBody.content["application/json"].schema;
    expect(body).toMatchObject({
      type: "object",
      required: ["content"],
      additionalProperties: false,
      properties: { content: { type: "string", minLength: 1, maxLength: 8000 } },
    });
    const createKey = doc.paths["/auth/api-keys"].post.requestBody.content["application/json"].schema;
    expect(createKey.properties.scope.enum).toEqual(["read_only", "full_access"]);
    expect(createKey.properties.name).toMatchObject({ minLength: 1, maxLength: 64 });
    const limit = doc.paths["/twins"].get.parameters.find((p: Json) => p.name === "limit");
    expect(limit).toMatchObject({ in: "query", required: false, schema: { type: "integer", minimum: 1, maximum: 100, default: 20 } });
    const id = doc.paths["/twins/{id}"].get.parameters[0];
    expect(id).toMatchObject({ name: "id", in: "path", required: true });
  });

  it("has examples that satisfy the response schemas", () => {
    for (const operation of operations) {
      if (operation.success.raw) continue;
      const envelope = schemas.successEnvelope(operation.success.schema, operation.success.list);
      const example = doc.paths[operation.path][operation.method.toLowerCase()].responses[String(operation.success.status)]
        .content["application/json"].example;
      expect(envelope.safeParse(example).success, operation.operationId).toBe(true);
    }
  });
});
