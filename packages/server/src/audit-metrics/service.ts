import type { AuditMetrics, auditMetricsQuerySchema, monthlyReportQuerySchema } from "@vergewis/sdk";
import type { z } from "zod";
import type { Db } from "../db/client.ts";
import { ValidationError } from "../errors.ts";
import { publishCheckpoint, type LogSigner } from "../audit/checkpoint.ts";
import { dailyCounts, openTakedowns, requestedTakedowns, slaOutcome } from "./facts.ts";
import { buildMetrics } from "./metrics.ts";
import { monthlyReport, type MonthlyReport } from "./monthly.ts";
import { scopedPlatform, type AuditorScope } from "../audit/scope.ts";

// What the auditor API and the console both serve: one implementation, two presentations.

interface AuditContext {
  db: Db;
  logSigner: LogSigner;
}

const DAY = 86_400_000;
const MAX_DAYS = 366;

/** Metrics for a period (default: the last 30 days), from the entries of a fresh checkpoint. */
export async function metricsFor(
  ctx: AuditContext,
  scope: AuditorScope,
  query: z.output<typeof auditMetricsQuerySchema>,
  now = new Date(),
): Promise<AuditMetrics> {
  const platformId = scopedPlatform(scope, query.platform);
  const to = query.to ? new Date(query.to) : now;
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * DAY);
  if (from >= to) throw new ValidationError([{ pointer: "/query/from", reason: "must be before to" }]);
  if (to.getTime() - from.getTime() > MAX_DAYS * DAY) {
    throw new ValidationError([{ pointer: "/query/from", reason: `the period may span at most ${MAX_DAYS} days` }]);
  }
  const checkpoint = await publishCheckpoint(ctx.db, ctx.logSigner);
  const period = { platformId, from, to, treeSize: Number(checkpoint.treeSize) };
  const [counts, takedowns] = [await dailyCounts(ctx.db, period), await requestedTakedowns(ctx.db, period)];
  return buildMetrics({ ...period, counts, takedowns }, now);
}

/** A platform's monthly report, computed from the entries of a fresh checkpoint. */
export async function monthlyReportFor(
  ctx: AuditContext,
  scope: AuditorScope,
  query: z.output<typeof monthlyReportQuerySchema>,
  now = new Date(),
): Promise<MonthlyReport> {
  const platformId = scopedPlatform(scope, query.platform)!;
  const checkpoint = await publishCheckpoint(ctx.db, ctx.logSigner);
  return monthlyReport(ctx.db, { platformId, month: query.month, checkpoint, now });
}

/** Takedowns past their deadline and not yet removed, in the scope, most overdue first. */
export async function overdueTakedowns(ctx: AuditContext, scope: AuditorScope, treeSize: number, now = new Date()) {
  const open = await openTakedowns(ctx.db, { platformId: scopedPlatform(scope, undefined), treeSize });
  return open
    .filter((t) => slaOutcome(t, now) === "breached")
    .sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt));
}
