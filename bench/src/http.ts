import type { Report } from "./lib/report";

export async function runHttp(_report: Report, _logDir: string): Promise<void> {
  throw new Error("the http part is not written yet");
}
