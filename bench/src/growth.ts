import type { Report } from "./lib/report";

export async function runGrowth(_report: Report, _logDir: string): Promise<void> {
  throw new Error("the growth part is not written yet");
}
