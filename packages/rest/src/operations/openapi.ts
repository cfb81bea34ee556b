import { z } from "zod";
import { defineOperation, type AnyOperation } from "../operation";

/** Serves the document built from every operation (itself included), computed once per process. */
export function openApiOperation(document: () => Record<string, unknown>): AnyOperation {
  return defineOperation({
    operationId: "getOpenApiDocument",
    method: "GET",
    path: "/openapi.json",
    tag: "Meta",
    summary: "This OpenAPI 3.1 document",
    auth: { kind: "none" },
    success: { status: 200, description: "The OpenAPI document.", schema: z.object({}).loose(), raw: true },
    examples: { response: { openapi: "3.1.0" } },
    async handle() {
      return { data: document(), headers: { "Cache-Control": "public, max-age=300" } };
    },
  });
}
