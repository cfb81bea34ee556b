import { ApiError } from "../errors";
import { defineOperation, userOf, type ApiKeyView } from "../operation";
import { ApiKey, CreateApiKeyBody, CreatedApiKey, IdParams, RenameApiKeyBody, RevokedApiKey } from "../schemas";
import { exampleKey } from "./examples";

function view(key: ApiKeyView): ApiKeyView {
  const { id, name, scope, start, createdAt, lastUsedAt, expiresAt, revokedAt } = key;
  return { id, name, scope, start, createdAt, lastUsedAt, expiresAt, revokedAt };
}

export const createApiKey = defineOperation({
  operationId: "createApiKey",
  method: "POST",
  path: "/auth/api-keys",
  tag: "API keys",
  summary: "Create an API key",
  description:
    "Creates a key for the signed-in user. `data.key` is the full key: it is returned this once and never again (only a hash is stored).",
  auth: { kind: "user_token" },
  body: CreateApiKeyBody,
  success: { status: 201, description: "The key, with its secret.", schema: CreatedApiKey },
  errors: ["key_limit_exceeded"],
  examples: {
    request: { name: "My App", scope: "full_access" },
    response: {
      id: exampleKey.id,
      key: "twx_8fK2aQ0vXb3LmN5pR7sT9uW1yZ4cE6gH1bZ9xQ",
      name: "My App",
      scope: "full_access",
      start: exampleKey.start,
      createdAt: exampleKey.createdAt,
      expiresAt: null,
    },
  },
  async handle({ body, caller, deps }) {
    const expiresAt = body.expiresAt ? new Date(body.expiresAt) : null;
    if (expiresAt && expiresAt.getTime() <= Date.now()) {
      throw new ApiError("validation_error", "expiresAt must be in the future.", {
        details: [{ path: "expiresAt", message: "must be in the future" }],
      });
    }
    const { apiKey, key } = await deps.keys.create(userOf(caller), { name: body.name, scope: body.scope, expiresAt });
    return {
      data: {
        id: apiKey.id,
        key,
        name: apiKey.name,
        scope: apiKey.scope,
        start: apiKey.start,
        createdAt: apiKey.createdAt,
        expiresAt: apiKey.expiresAt,
      },
    };
  },
});

export const listApiKeys = defineOperation({
  operationId: "listApiKeys",
  method: "GET",
  path: "/auth/api-keys",
  tag: "API keys",
  summary: "List API keys",
  description: "Every key of the signed-in user, newest first, revoked ones included. Secrets are never returned.",
  auth: { kind: "user_token" },
  success: { status: 200, description: "The keys.", schema: ApiKey, list: true },
  examples: { response: [exampleKey] },
  async handle({ caller, deps }) {
    const keys = await deps.keys.list(userOf(caller));
    return { data: keys.map(view), pagination: { nextCursor: null, hasMore: false } };
  },
});

export const renameApiKey = defineOperation({
  operationId: "renameApiKey",
  method: "PATCH",
  path: "/auth/api-keys/{id}",
  tag: "API keys",
  summary: "Rename an API key",
  auth: { kind: "user_token" },
  params: IdParams,
  body: RenameApiKeyBody,
  success: { status: 200, description: "The renamed key.", schema: ApiKey },
  errors: ["not_found"],
  examples: { request: { name: "Production" }, response: { ...exampleKey, name: "Production" } },
  async handle({ params, body, caller, deps }) {
    return { data: view(await deps.keys.rename(userOf(caller), params.id, body.name)) };
  },
});

export const revokeApiKey = defineOperation({
  operationId: "revokeApiKey",
  method: "DELETE",
  path: "/auth/api-keys/{id}",
  tag: "API keys",
  summary: "Revoke an API key",
  description: "The key is refused from then on (`401 api_key_revoked`). Revoking a revoked key returns its original revocation time.",
  auth: { kind: "user_token" },
  params: IdParams,
  success: { status: 200, description: "The revoked key.", schema: RevokedApiKey },
  errors: ["not_found"],
  examples: { response: { id: exampleKey.id, revokedAt: "2026-02-01T12:00:00.000Z" } },
  async handle({ params, caller, deps }) {
    const revoked = await deps.keys.revoke(userOf(caller), params.id);
    return { data: { id: revoked.id, revokedAt: revoked.revokedAt } };
  },
});
