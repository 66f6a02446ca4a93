import type { Db } from "../db/client.ts";
import { NotFoundError } from "../errors.ts";
import type { AuditCheckpoint } from "../db/generated/client.ts";
import { COUNTER_NAMES, type CounterName } from "./catalogue.ts";
import {
  countedEntries,
  latencySeconds,
  requestedTakedowns,
  slaOutcome,
  type SlaOutcome,
  type TakedownFact,
} from "./facts.ts";
import { sortedLatencies } from "./metrics.ts";
import { nearestRank } from "./percentile.ts";

export type FigureKey =
  | CounterName
  | "takedownsRequested"
  | "takedownsCompleted"
  | "removalTimeMedian"
  | "removalTimeP95"
  | "slaMet"
  | "slaBreached"
  | "slaPending"
  | "slaCompliance";

/** One figure of the report and the log entries it is computed from. */
export interface ReportFigure {
  key: FigureKey;
  value: number | null;
  unit: "count" | "seconds" | "ratio";
  /** Leaf indexes of the entries behind the figure. */
  sources: number[];
}

export interface ReportTakedown {
  takedownId: string;
  publicationId: string | null;
  reason: string;
  requestedAt: string;
  dueAt: string;
  removedAt: string | null;
  latencySeconds: number | null;
  sla: SlaOutcome;
  /** The `takedown.requested` entry and, once removed, the `takedown.acknowledged` entry. */
  sources: number[];
}

/**
 * A platform's month in the terms of card-network monthly reports and DSA transparency reports.
 * Every figure lists the log entries it counts; the report names the signed checkpoint whose
 * tree holds them all, so an auditor can check each entry with an inclusion proof.
 */
export interface MonthlyReport {
  platform: { id: string; name: string };
  month: string;
  from: string;
  to: string;
  generatedAt: string;
  checkpoint: { treeSize: number; rootHash: string; note: string };
  figures: ReportFigure[];
  takedowns: ReportTakedown[];
}

export function monthBounds(month: string): { from: Date; to: Date } {
  const [year, m] = month.split("-").map(Number) as [number, number];
  return { from: new Date(Date.UTC(year, m - 1, 1)), to: new Date(Date.UTC(year, m, 1)) };
}

const sourcesOf = (t: TakedownFact) =>
  t.acknowledged ? [t.requested.index, t.acknowledged.index] : [t.requested.index];

export async function monthlyReport(
  db: Db,
  args: { platformId: string; month: string; checkpoint: AuditCheckpoint; now: Date },
): Promise<MonthlyReport> {
  const platform = await db.platform.findUnique({ where: { id: args.platformId }, select: { id: true, name: true } });
  if (!platform) throw new NotFoundError("platform");
  const { from, to } = monthBounds(args.month);
  const treeSize = Number(args.checkpoint.treeSize);
  const period = { platformId: platform.id, from, to, treeSize };
  const counted = await countedEntries(db, period);
  const takedowns = await requestedTakedowns(db, period);
  const outcomes = takedowns.map((t) => ({ takedown: t, sla: slaOutcome(t, args.now) }));
  const withSla = (sla: SlaOutcome) => outcomes.filter((o) => o.sla === sla).map((o) => o.takedown);
  const [met, breached, pending] = [withSla("met"), withSla("breached"), withSla("pending")];
  const latencies = sortedLatencies(takedowns);
  const percentile = (key: FigureKey, p: number): ReportFigure => {
    const at = nearestRank(latencies, p);
    return { key, value: at?.seconds ?? null, unit: "seconds", sources: at ? sourcesOf(at.takedown) : [] };
  };
  const count = (key: FigureKey, sources: number[]): ReportFigure => ({
    key,
    value: sources.length,
    unit: "count",
    sources,
  });
  const decided = met.length + breached.length;
  return {
    platform,
    month: args.month,
    from: from.toISOString(),
    to: to.toISOString(),
    generatedAt: args.now.toISOString(),
    checkpoint: {
      treeSize,
      rootHash: Buffer.from(args.checkpoint.rootHash).toString("base64"),
      note: args.checkpoint.note,
    },
    figures: [
      ...COUNTER_NAMES.map((name) =>
        count(
          name,
          counted[name].map((p) => p.index),
        ),
      ),
      count(
        "takedownsRequested",
        takedowns.map((t) => t.requested.index),
      ),
      count(
        "takedownsCompleted",
        takedowns.flatMap((t) => (t.acknowledged ? [t.acknowledged.index] : [])),
      ),
      percentile("removalTimeMedian", 50),
      percentile("removalTimeP95", 95),
      count(
        "slaMet",
        met.map((t) => t.requested.index),
      ),
      count(
        "slaBreached",
        breached.map((t) => t.requested.index),
      ),
      count(
        "slaPending",
        pending.map((t) => t.requested.index),
      ),
      {
        key: "slaCompliance",
        value: decided ? met.length / decided : null,
        unit: "ratio",
        sources: [...met, ...breached].map((t) => t.requested.index).sort((a, b) => a - b),
      },
    ],
    takedowns: outcomes.map(({ takedown: t, sla }) => ({
      takedownId: t.takedownId,
      publicationId: t.publicationId,
      reason: t.reason,
      requestedAt: t.requested.time,
      dueAt: t.dueAt,
      removedAt: t.acknowledged?.removedAt ?? null,
      latencySeconds: latencySeconds(t) ?? null,
      sla,
      sources: sourcesOf(t),
    })),
  };
}
