import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { envSchema } from "../src/index";

// turbo's strict env mode hides undeclared variables from tasks: a variable the app validates
// but turbo.json does not declare would silently vanish under `pnpm start` / `pnpm test`.
describe("turbo.json", () => {
  it("declares every variable of the environment schema", () => {
    const turbo = JSON.parse(readFileSync(path.resolve(import.meta.dirname, "../../../turbo.json"), "utf8")) as {
      globalEnv: string[];
    };
    const declared = new Set(turbo.globalEnv);
    const schemaKeys = Object.keys(envSchema.shape);
    expect(schemaKeys.filter((name) => !declared.has(name))).toEqual([]);
  });
});
