import path from "node:path";
import { defineConfig } from "prisma/config";

// Prisma's CLI would download a native schema engine for migrate commands; this network-free
// build carries its own (tools/prisma-engine, backed by Prisma's WebAssembly engine).
// An explicitly set PRISMA_SCHEMA_ENGINE_BINARY still wins.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.join(
  import.meta.dirname,
  "tools/prisma-engine/bin/schema-engine",
);

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: {
    path: "prisma/migrations",
    seed: "tsx packages/db/src/cli/seed.ts",
  },
  datasource: {
    // Generation needs no database; migrate commands run with DATABASE_URL set
    // (by the embedded database launcher when none is configured).
    url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/unset",
    // `migrate dev` on the embedded database gets a second embedded server (launcher --shadow).
    shadowDatabaseUrl: process.env.SHADOW_DATABASE_URL,
  },
});
