/**
 * Figures, tables and targets. Every figure printed is the median of several rounds; ratios are
 * computed inside each round (both sides measured back to back on the same noisy machine) and
 * their median is printed, never a ratio of medians.
 */
import { cpus, freemem, loadavg, totalmem } from "node:os";

export function median(values: number[]): number {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return Number.NaN;
  const sorted = [...finite].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function fmtInt(value: number): string {
  if (!Number.isFinite(value)) return "–";
  return Math.round(value).toLocaleString("en-US");
}

export function fmtNum(value: number, digits = 2): string {
  if (!Number.isFinite(value)) return "–";
  return value.toFixed(digits);
}

/** Milliseconds, with more digits for small values. */
export function fmtMs(value: number): string {
  if (!Number.isFinite(value)) return "–";
  if (Math.abs(value) < 0.01) return `${(value * 1000).toFixed(2)} µs`;
  if (Math.abs(value) < 1) return `${value.toFixed(3)} ms`;
  if (Math.abs(value) < 100) return `${value.toFixed(2)} ms`;
  return `${Math.round(value)} ms`;
}

export function fmtMb(bytes: number): string {
  return Number.isFinite(bytes) ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : "–";
}

/** A markdown table, columns padded so it also reads well in a terminal. */
export class Table {
  readonly rows: string[][] = [];
  constructor(
    readonly title: string,
    readonly header: string[],
  ) {}

  add(...cells: Array<string | number>): this {
    this.rows.push(cells.map(String));
    return this;
  }

  render(): string {
    const all = [this.header, ...this.rows];
    const widths = this.header.map((_, i) => Math.max(3, ...all.map((row) => (row[i] ?? "").length)));
    const line = (row: string[]) => `| ${widths.map((w, i) => (row[i] ?? "").padEnd(w)).join(" | ")} |`;
    return [
      `### ${this.title}`,
      "",
      line(this.header),
      `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`,
      ...this.rows.map(line),
      "",
    ].join("\n");
  }
}

export interface TargetResult {
  target: string;
  measured: string;
  pass: boolean;
  /** What is missing, when not passed. */
  shortfall?: string;
}

export class Report {
  readonly sections: string[] = [];
  readonly targets: TargetResult[] = [];

  table(table: Table): void {
    const text = table.render();
    this.sections.push(text);
    console.log(`\n${text}`);
  }

  note(text: string): void {
    this.sections.push(text, "");
    console.log(text);
  }

  /** Records a target; `shortfall` explains the gap when `pass` is false. */
  target(target: string, measured: string, pass: boolean, shortfall?: string): void {
    const result: TargetResult = { target, measured, pass, ...(pass ? {} : { shortfall: shortfall ?? "missed" }) };
    this.targets.push(result);
    console.log(`  target: ${target} — ${measured} — ${pass ? "PASS" : `SHORT: ${result.shortfall}`}`);
  }

  targetsTable(): Table {
    const table = new Table("Targets", ["target", "measured", "result"]);
    for (const t of this.targets) table.add(t.target, t.measured, t.pass ? "PASS" : `short: ${t.shortfall}`);
    return table;
  }
}

export function machineLines(): string[] {
  const cpu = cpus();
  const load = loadavg().map((l) => l.toFixed(2)).join(" ");
  return [
    `machine: ${cpu.length} cores (${cpu[0]?.model.trim() ?? "unknown cpu"}), ${fmtMb(totalmem())} RAM, ${fmtMb(freemem())} free`,
    `node ${process.version} on ${process.platform}/${process.arch}; load average ${load}`,
  ];
}

export function loadAverage(): string {
  return loadavg().map((l) => l.toFixed(2)).join(" ");
}
