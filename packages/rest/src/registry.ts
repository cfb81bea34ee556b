/**
 * Every operation of /api/v1. Route files and the OpenAPI document both read this list, and a
 * test checks that each operation has a route file and each route file an operation.
 */
import type { AnyOperation } from "./operation";
import { buildOpenApiDocument } from "./openapi";
import {
  createConversationOperation,
  getConversationOperation,
  listConversationsOperation,
  listMessagesOperation,
  sendMessageOperation,
} from "./operations/conversations";
import { createApiKey, listApiKeys, renameApiKey, revokeApiKey } from "./operations/keys";
import { openApiOperation } from "./operations/openapi";
import { getTwinOperation, listTwinsOperation } from "./operations/twins";

let document: Record<string, unknown> | undefined;

export const operations: readonly AnyOperation[] = [
  createApiKey,
  listApiKeys,
  renameApiKey,
  revokeApiKey,
  listTwinsOperation,
  getTwinOperation,
  listConversationsOperation,
  createConversationOperation,
  getConversationOperation,
  listMessagesOperation,
  sendMessageOperation,
  openApiOperation(() => openApiDocument()),
];

export function openApiDocument(): Record<string, unknown> {
  document ??= buildOpenApiDocument(operations);
  return document;
}

export function operationsAt(path: string): AnyOperation[] {
  return operations.filter((operation) => operation.path === path);
}
