// Benchmark-only (see ../../_lib/bench.ts): GET /api/v1/twins on the naive peer key path.
import { createRestHandler, operationsAt } from "@twx/rest";
import { naiveDependencies } from "../../_lib/bench";

export const dynamic = "force-dynamic";

export const GET = createRestHandler(operationsAt("/twins").find((operation) => operation.method === "GET")!, naiveDependencies);
