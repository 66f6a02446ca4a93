import type { Fingerprint, ReportCategory, ReportReceipt, reportRequestSchema } from "@vergewis/sdk";
import type { z } from "zod";
import { auditLog } from "../audit/append.ts";
import type { Config } from "../config/schema.ts";
import type { Tx } from "../db/client.ts";
import type { Effects } from "../db/transaction.ts";
import { perceptualHashesOf } from "../near-duplicate/input.ts";
import { publicationSignal } from "../publication/signal.ts";
import { enqueueEvent } from "../webhook/outbox.ts";
import { matchPublications, type ContentQuery, type Match } from "./match.ts";
import { effectOf, type Reporter } from "./reporter.ts";

export interface SubmitContext {
  /** Deadline for trusted flaggers' reports (ms), when shorter than the platform's SLA. */
  trustedFlaggerSla: number;
  nearDuplicates: Config["nearDuplicates"];
}

/** A notice as it is recorded: what it names the content by, why, and how to reach the reporter. */
export interface NoticeInput {
  /** The fingerprint the notice keeps (and the platform sees); the query may name more. */
  fingerprint?: Fingerprint;
  url?: string;
  category: ReportCategory;
  description?: string;
  contact?: string;
}

/**
 * Records a notice (DSA art. 16) from the public API: its fingerprint is matched exactly and, a
 * perceptual one (PDQ with its quality, vPDQ), as near duplicates too, by the rule publication
 * requests follow (`perceptualHashesOf`). All in the caller's transaction.
 */
export async function submitNotice(
  tx: Tx,
  effects: Effects,
  ctx: SubmitContext,
  request: z.output<typeof reportRequestSchema>,
  reporter: Reporter,
): Promise<ReportReceipt> {
  const { fingerprint, url, category, description, contact } = request;
  const exact = fingerprint && { alg: fingerprint.alg, value: fingerprint.value };
  const perceptual = fingerprint && perceptualHashesOf(fingerprint);
  const query: ContentQuery = {
    ...(exact && { fingerprints: [exact] }),
    ...(perceptual && { perceptual: [perceptual] }),
    ...(url && { url }),
  };
  const matches = await matchPublications(tx, ctx.nearDuplicates, query);
  const input: NoticeInput = { category, description, ...(exact && { fingerprint: exact }), ...(url && { url }) };
  return recordNotice(tx, effects, ctx, { ...input, ...(contact && { contact }) }, matches, reporter);
}

/**
 * Records a notice and opens a report for each of the matched publications, on whichever
 * platform: each platform gets `report.received` with its own deadline, the report's matchedBy,
 * algorithm and distance, who reported and what the report does meanwhile (`effect`): an
 * anonymous report puts the content under review; a trusted flagger's or a depicted person's
 * makes `POST /v1/check` refuse the content until the report is resolved.
 */
export async function recordNotice(
  tx: Tx,
  effects: Effects,
  ctx: SubmitContext,
  input: NoticeInput,
  matches: readonly Match[],
  reporter: Reporter,
): Promise<ReportReceipt> {
  const flagger = reporter.kind === "trusted_flagger" ? reporter.flagger : undefined;
  const notice = await tx.notice.create({
    data: {
      fingerprintAlg: input.fingerprint?.alg ?? null,
      fingerprintValue: input.fingerprint?.value ?? null,
      url: input.url ?? null,
      category: input.category,
      description: input.description ?? null,
      contact: input.contact ?? null,
      flaggerId: flagger?.id ?? null,
      reporter: reporter.kind,
    },
  });
  const effect = effectOf(reporter.kind);
  for (const match of matches) await openReport(tx, effects, ctx, { notice, input, match, reporter });
  // A blocking report: the publish check refuses the content from now on.
  if (matches.length > 0)
    effects.signal(
      await publicationSignal(
        tx,
        matches.map((m) => m.publicationId),
      ),
    );
  effects.write(auditLog, {
    type: "notice.received",
    ...(reporter.kind === "depicted_person" && { performerPseudonym: reporter.pseudonym }),
    data: {
      noticeId: notice.id,
      category: input.category,
      reporter: reporter.kind,
      ...(flagger && { trustedFlaggerId: flagger.id }),
      ...(input.fingerprint && { fingerprint: input.fingerprint }),
      matches: matches.length,
    },
  });
  return {
    id: notice.id,
    receivedAt: notice.receivedAt.toISOString(),
    trustedFlagger: flagger !== undefined,
    reporter: reporter.kind,
    effect,
  };
}

async function openReport(
  tx: Tx,
  effects: Effects,
  ctx: SubmitContext,
  args: { notice: { id: string; receivedAt: Date }; input: NoticeInput; match: Match; reporter: Reporter },
): Promise<void> {
  const { notice, input, match, reporter } = args;
  const trusted = reporter.kind === "trusted_flagger";
  const sla = match.slaSeconds * 1000;
  const dueAt = new Date(notice.receivedAt.getTime() + (trusted ? Math.min(sla, ctx.trustedFlaggerSla) : sla));
  const effect = effectOf(reporter.kind);
  const report = await tx.report.create({
    data: {
      noticeId: notice.id,
      platformId: match.platformId,
      publicationId: match.publicationId,
      matchedBy: match.matchedBy,
      algorithm: match.algorithm,
      distance: match.distance,
      trusted,
      blocking: effect === "blocked",
      receivedAt: notice.receivedAt,
      dueAt,
      nextNoticeAt: dueAt,
    },
  });
  const how = {
    matchedBy: match.matchedBy,
    ...(match.algorithm && { algorithm: match.algorithm, distance: match.distance! }),
  };
  effects.write(auditLog, {
    type: "report.received",
    platformId: match.platformId,
    publicationId: match.publicationId,
    data: {
      reportId: report.id,
      noticeId: notice.id,
      ...how,
      trusted,
      reporter: reporter.kind,
      effect,
      dueAt: dueAt.toISOString(),
    },
  });
  await enqueueEvent(tx, effects, {
    platformId: match.platformId,
    type: "report.received",
    payload: {
      reportId: report.id,
      publicationId: match.publicationId,
      externalId: match.externalId,
      category: input.category,
      ...how,
      ...(input.fingerprint && { fingerprint: input.fingerprint }),
      ...(input.url && { url: input.url }),
      trustedFlagger: reporter.kind === "trusted_flagger" ? reporter.flagger : null,
      reporter: reporter.kind,
      effect,
      receivedAt: notice.receivedAt.toISOString(),
      dueAt: dueAt.toISOString(),
    },
  });
}
