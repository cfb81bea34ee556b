// Benchmark-only (see ../_lib/bench.ts): GET /api/v1/twins' work without authentication — the
// same wrapper and handler, the API-key requirement replaced by none and the account fixed.
// Its throughput against /api/v1/twins is the cost of authentication, scope and rate limiting.
import { createRestHandler, getDefaultDependencies } from "@twx/rest";
import { unauthenticatedListTwins } from "../_lib/bench";

export const dynamic = "force-dynamic";

export const GET = createRestHandler(unauthenticatedListTwins(), getDefaultDependencies);
