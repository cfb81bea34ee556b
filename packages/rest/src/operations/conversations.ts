import {
  createConversation,
  getConversation,
  listConversations,
  listMessages,
  sendMessage,
} from "@twx/conversations";
import { accountOf, defineOperation } from "../operation";
import {
  Conversation,
  CreateConversationBody,
  IdParams,
  Message,
  MessageExchange,
  PageQuery,
  SendMessageBody,
} from "../schemas";
import { exampleConversation, exampleMessage, exampleReply } from "./examples";

export const listConversationsOperation = defineOperation({
  operationId: "listConversations",
  method: "GET",
  path: "/conversations",
  tag: "Conversations",
  summary: "List conversations",
  description: "The account's conversations, newest first.",
  auth: { kind: "api_key", scope: "read_only" },
  query: PageQuery,
  success: { status: 200, description: "A page of conversations.", schema: Conversation, list: true },
  errors: ["validation_error"],
  examples: { response: [exampleConversation] },
  async handle({ query, caller, deps }) {
    const page = await listConversations(deps.db, accountOf(caller), query);
    return { data: page.items, pagination: { nextCursor: page.nextCursor, hasMore: page.hasMore } };
  },
});

export const createConversationOperation = defineOperation({
  operationId: "createConversation",
  method: "POST",
  path: "/conversations",
  tag: "Conversations",
  summary: "Start a conversation",
  description: "Starts a conversation with a twin from `GET /twins`. An unknown twin, or another account's, answers 404.",
  auth: { kind: "api_key", scope: "full_access" },
  body: CreateConversationBody,
  success: { status: 201, description: "The new conversation.", schema: Conversation },
  errors: ["not_found"],
  examples: {
    request: { twinId: exampleConversation.twinId },
    response: { ...exampleConversation, updatedAt: exampleConversation.createdAt },
  },
  async handle({ body, caller, deps }) {
    return { data: await createConversation(deps.db, accountOf(caller), body) };
  },
});

export const getConversationOperation = defineOperation({
  operationId: "getConversation",
  method: "GET",
  path: "/conversations/{id}",
  tag: "Conversations",
  summary: "Get a conversation",
  auth: { kind: "api_key", scope: "read_only" },
  params: IdParams,
  success: { status: 200, description: "The conversation.", schema: Conversation },
  errors: ["not_found"],
  examples: { response: exampleConversation },
  async handle({ params, caller, deps }) {
    return { data: await getConversation(deps.db, accountOf(caller), params.id) };
  },
});

export const listMessagesOperation = defineOperation({
  operationId: "listMessages",
  method: "GET",
  path: "/conversations/{id}/messages",
  tag: "Conversations",
  summary: "Read a conversation's messages",
  description: "Oldest first: the first page starts at the beginning of the conversation.",
  auth: { kind: "api_key", scope: "read_only" },
  params: IdParams,
  query: PageQuery,
  success: { status: 200, description: "A page of messages.", schema: Message, list: true },
  errors: ["not_found", "validation_error"],
  examples: { response: [exampleMessage, exampleReply] },
  async handle({ params, query, caller, deps }) {
    const page = await listMessages(deps.db, accountOf(caller), params.id, query);
    return { data: page.items, pagination: { nextCursor: page.nextCursor, hasMore: page.hasMore } };
  },
});

export const sendMessageOperation = defineOperation({
  operationId: "sendMessage",
  method: "POST",
  path: "/conversations/{id}/messages",
  tag: "Conversations",
  summary: "Send a message",
  description:
    "Stores the message and the twin's reply together (both or neither) and moves the conversation's `updatedAt`. The twin answers from its own profile and knowledge, in its own language.",
  auth: { kind: "api_key", scope: "full_access" },
  params: IdParams,
  body: SendMessageBody,
  success: { status: 201, description: "The stored message and the twin's reply.", schema: MessageExchange },
  errors: ["not_found"],
  examples: { request: { content: exampleMessage.content }, response: { message: exampleMessage, reply: exampleReply } },
  async handle({ params, body, caller, deps }) {
    return { data: await sendMessage(deps.db, accountOf(caller), params.id, body, { responder: deps.responder }) };
  },
});
