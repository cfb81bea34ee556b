import { getTwin, listTwins } from "@twx/conversations";
import { accountOf, defineOperation } from "../operation";
import { IdParams, PageQuery, Twin } from "../schemas";
import { exampleTwin } from "./examples";

export const listTwinsOperation = defineOperation({
  operationId: "listTwins",
  method: "GET",
  path: "/twins",
  tag: "Twins",
  summary: "List twins",
  description: "The twins this key's account may talk to: the shared twins and the account's own, oldest first.",
  auth: { kind: "api_key", scope: "read_only" },
  query: PageQuery,
  success: { status: 200, description: "A page of twins.", schema: Twin, list: true },
  errors: ["validation_error"],
  examples: { response: [exampleTwin] },
  async handle({ query, caller, deps }) {
    const page = await listTwins(deps.db, accountOf(caller), query);
    return { data: page.items, pagination: { nextCursor: page.nextCursor, hasMore: page.hasMore } };
  },
});

export const getTwinOperation = defineOperation({
  operationId: "getTwin",
  method: "GET",
  path: "/twins/{id}",
  tag: "Twins",
  summary: "Get a twin",
  auth: { kind: "api_key", scope: "read_only" },
  params: IdParams,
  success: { status: 200, description: "The twin.", schema: Twin },
  errors: ["not_found"],
  examples: { response: exampleTwin },
  async handle({ params, caller, deps }) {
    return { data: await getTwin(deps.db, accountOf(caller), params.id) };
  },
});
