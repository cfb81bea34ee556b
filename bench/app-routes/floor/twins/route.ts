// Benchmark-only (see ../../_lib/bench.ts): the unauthenticated GET twins plus the floor of a
// key check (one SHA-256 and one Redis round trip), to tell our own cost from the machine's.
import { createRestHandler, getDefaultDependencies } from "@twx/rest";
import { floorWork, unauthenticatedListTwins } from "../../_lib/bench";

export const dynamic = "force-dynamic";

export const GET = createRestHandler(unauthenticatedListTwins(floorWork), getDefaultDependencies);
