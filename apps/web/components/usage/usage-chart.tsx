"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis, type TooltipContentProps } from "recharts";

export interface ChartPoint {
  label: string;
  fullLabel: string;
  requests: number;
  rateLimited: number;
}

const REQUESTS_COLOR = "#2f6fed";
const LIMITED_COLOR = "#ea580c";

function ChartTooltip({ active, payload }: Partial<TooltipContentProps<number, string>>) {
  if (!active || !payload?.length) return null;
  const point = payload[0]!.payload as ChartPoint;
  return (
    <div className="rounded-lg border border-zinc-200 bg-white px-3 py-2 text-xs shadow-md dark:border-zinc-700 dark:bg-zinc-900">
      <p className="mb-1 font-medium">{point.fullLabel}</p>
      {payload.map((entry) => (
        <p key={String(entry.dataKey)} className="flex items-center gap-2 tabular-nums">
          <span aria-hidden="true" className="inline-block size-2 rounded-sm" style={{ background: entry.color }} />
          {entry.name}: {entry.value}
        </p>
      ))}
    </div>
  );
}

/** Stacked bars: requests served, and on top of them the rate-limited ones (429) in orange. */
export function UsageChart({ points, requestsLabel, rateLimitedLabel }: { points: ChartPoint[]; requestsLabel: string; rateLimitedLabel: string }) {
  return (
    <div
      className="h-72 w-full text-zinc-600 [--grid:var(--color-zinc-200)] dark:text-zinc-400 dark:[--grid:var(--color-zinc-800)]"
      data-testid="usage-chart"
    >
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: -16 }} accessibilityLayer>
          <CartesianGrid vertical={false} stroke="var(--grid)" />
          <XAxis dataKey="label" tick={{ fill: "currentColor", fontSize: 11 }} tickLine={false} axisLine={{ stroke: "var(--grid)" }} interval="preserveStartEnd" minTickGap={12} />
          <YAxis allowDecimals={false} tick={{ fill: "currentColor", fontSize: 11 }} tickLine={false} axisLine={false} width={48} />
          <Tooltip content={<ChartTooltip />} cursor={{ fill: "var(--grid)", opacity: 0.5 }} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar dataKey="requests" name={requestsLabel} stackId="usage" fill={REQUESTS_COLOR} isAnimationActive={false} />
          <Bar dataKey="rateLimited" name={rateLimitedLabel} stackId="usage" fill={LIMITED_COLOR} radius={[3, 3, 0, 0]} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
