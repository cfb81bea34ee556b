/**
 * `pnpm bench [micro|http|exact|growth|all]`: runs the parts, prints each table and the targets
 * with PASS or the shortfall, and keeps the whole report in bench/.results/latest-<part>.md.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { benchDir, DATABASE_URL, describeUrl, REDIS_URL } from "./lib/env";
import { loadAverage, machineLines, Report } from "./lib/report";
import { runMicro } from "./micro";

const PARTS = ["micro", "http", "exact", "growth"] as const;
type Part = (typeof PARTS)[number];

async function runPart(part: Part, report: Report, logDir: string): Promise<void> {
  switch (part) {
    case "micro":
      return runMicro(report, logDir);
    case "http":
      return (await import("./http")).runHttp(report, logDir);
    case "exact":
      return (await import("./exact")).runExact(report, logDir);
    case "growth":
      return (await import("./growth")).runGrowth(report, logDir);
  }
}

async function main(): Promise<void> {
  const arg = process.argv[2] ?? "all";
  const parts: Part[] = arg === "all" ? [...PARTS] : PARTS.includes(arg as Part) ? [arg as Part] : [];
  if (parts.length === 0) {
    console.error(`usage: bench [${PARTS.join("|")}|all]`);
    process.exit(2);
  }
  const resultsDir = path.join(benchDir, ".results");
  const logDir = path.join(resultsDir, "logs");
  mkdirSync(logDir, { recursive: true });

  const started = new Date();
  const report = new Report();
  const header = [
    `# Benchmark report (${parts.join(", ")}), ${started.toISOString()}`,
    "",
    ...machineLines().map((l) => `- ${l}`),
    `- postgres ${describeUrl(DATABASE_URL)}, redis ${describeUrl(REDIS_URL)}`,
    "",
  ];
  console.log(header.join("\n"));
  let failed: unknown;
  for (const part of parts) {
    try {
      await runPart(part, report, logDir);
    } catch (error) {
      failed = error;
      console.error(`\n${part} failed:`, error);
      report.note(`**${part} failed**: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const seconds = Math.round((Date.now() - started.getTime()) / 1000);
  report.table(report.targetsTable());
  const footer = `Took ${seconds} s; load average at the end ${loadAverage()}. Logs: ${path.relative(process.cwd(), logDir)}`;
  console.log(`\n${footer}`);
  const file = path.join(resultsDir, `latest-${arg}.md`);
  writeFileSync(file, [...header, ...report.sections, footer, ""].join("\n"));
  console.log(`report written to ${path.relative(process.cwd(), file)}`);
  process.exit(failed ? 1 : 0);
}

void main();
