import type { ReportReceipt, reportRequestSchema } from "@vergewis/sdk";
import type { z } from "zod";
import { auditLog } from "../audit/append.ts";
import type { Tx } from "../db/client.ts";
import type { Effects } from "../db/transaction.ts";
import { publicationSignal } from "../publication/signal.ts";
import { enqueueEvent } from "../webhook/outbox.ts";
import type { TrustedFlagger } from "./flagger.ts";
import { matchPublications } from "./match.ts";

export interface SubmitContext {
  /** Deadline for trusted flaggers' reports (ms), when shorter than the platform's SLA. */
  trustedFlaggerSla: number;
}

/**
 * Records a notice (DSA art. 16) and opens a report for every publication it names, on whichever
 * platform: each platform gets `report.received` with its own deadline, and `POST /v1/check`
 * refuses the content until the report is resolved. All in the caller's transaction.
 */
export async function submitNotice(
  tx: Tx,
  effects: Effects,
  ctx: SubmitContext,
  request: z.output<typeof reportRequestSchema>,
  flagger: TrustedFlagger | undefined,
): Promise<ReportReceipt> {
  const notice = await tx.notice.create({
    data: {
      fingerprintAlg: request.fingerprint?.alg ?? null,
      fingerprintValue: request.fingerprint?.value ?? null,
      url: request.url ?? null,
      category: request.category,
      description: request.description,
      contact: request.contact ?? null,
      flaggerId: flagger?.id ?? null,
    },
  });
  const matches = await matchPublications(tx, request);
  for (const match of matches) {
    const sla = match.slaSeconds * 1000;
    const dueAt = new Date(notice.receivedAt.getTime() + (flagger ? Math.min(sla, ctx.trustedFlaggerSla) : sla));
    const report = await tx.report.create({
      data: {
        noticeId: notice.id,
        platformId: match.platformId,
        publicationId: match.publicationId,
        matchedBy: match.matchedBy,
        trusted: flagger !== undefined,
        receivedAt: notice.receivedAt,
        dueAt,
        nextNoticeAt: dueAt,
      },
    });
    effects.write(auditLog, {
      type: "report.received",
      platformId: match.platformId,
      publicationId: match.publicationId,
      data: {
        reportId: report.id,
        noticeId: notice.id,
        matchedBy: match.matchedBy,
        trusted: flagger !== undefined,
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
        category: request.category,
        matchedBy: match.matchedBy,
        ...(request.fingerprint && { fingerprint: request.fingerprint }),
        ...(request.url && { url: request.url }),
        trustedFlagger: flagger ?? null,
        receivedAt: notice.receivedAt.toISOString(),
        dueAt: dueAt.toISOString(),
      },
    });
  }
  // Reported content is refused by the publish check from now on.
  if (matches.length > 0)
    effects.signal(
      await publicationSignal(
        tx,
        matches.map((m) => m.publicationId),
      ),
    );
  effects.write(auditLog, {
    type: "notice.received",
    data: {
      noticeId: notice.id,
      category: request.category,
      ...(flagger && { trustedFlaggerId: flagger.id }),
      ...(request.fingerprint && { fingerprint: request.fingerprint }),
      matches: matches.length,
    },
  });
  return { id: notice.id, receivedAt: notice.receivedAt.toISOString(), trustedFlagger: flagger !== undefined };
}
