import type { Report, reportResolutionSchema } from "@vergewis/sdk";
import type { z } from "zod";
import { auditLog } from "../audit/append.ts";
import { blockContent } from "../content-block/store.ts";
import type { Tx } from "../db/client.ts";
import type { Effects } from "../db/transaction.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import { publicationSignal } from "../publication/signal.ts";
import { acknowledgeTakedown } from "../takedown/acknowledge.ts";
import { assertRemovedAt } from "../takedown/removed-at.ts";
import { requestTakedown } from "../takedown/request.ts";
import { getReport } from "./read.ts";
import { reportMachine } from "./state.ts";

/**
 * The platform decides on a report with a statement of reasons (DSA art. 17). `removed` and
 * `access_disabled` uphold it: a published publication is taken down at once (takedown requested
 * and acknowledged with the given removal time; an open revocation takedown is acknowledged), and
 * its content is blocked (blockContent): refused by `POST /v1/check`, by new publication requests
 * and by consent signing, for good, as an upheld report is final. `no_action` rejects it and the
 * check no longer refuses the content for it.
 */
export async function resolveReport(
  tx: Tx,
  effects: Effects,
  platformId: string,
  id: string,
  resolution: z.output<typeof reportResolutionSchema>,
): Promise<Report> {
  const report = await tx.report.findFirst({
    where: { id, platformId },
    select: { status: true, publicationId: true, receivedAt: true, publication: { select: { status: true } } },
  });
  if (!report) throw new NotFoundError("report");
  if (report.status !== "open") throw new ConflictError("already_resolved", "This report was already resolved.");
  const to = reportMachine.assert("open", resolution.decision === "no_action" ? "rejected" : "upheld");
  const { removedAt: stated, ...statement } = resolution;
  // The removal answers the report: it may predate the takedown requested below, not the report.
  const since = { at: report.receivedAt, what: "the report was received" };
  const removedAt = stated ? new Date(stated) : new Date();
  if (stated) assertRemovedAt(removedAt, since);

  if (to === "upheld") {
    // The publication first, then its content, in the order consent signing takes them.
    await tx.$executeRaw`SELECT 1 FROM "Publication" WHERE "id" = ${report.publicationId}::uuid FOR UPDATE`;
    await blockContent(tx, effects, report.publicationId, { source: "report", reportId: id });
  }
  let takedownId: string | undefined;
  const published = report.publication.status === "cleared" || report.publication.status === "takedown_required";
  if (to === "upheld" && published) {
    ({ takedownId } = await requestTakedown(tx, effects, {
      publicationId: report.publicationId,
      reason: "report",
      reportId: id,
      notify: false,
    }));
    await acknowledgeTakedown(tx, effects, platformId, takedownId, {
      removedAt,
      note: `Report ${id}: ${resolution.decision}`,
      since,
    });
  }
  const { count } = await tx.report.updateMany({
    where: { id, status: "open" },
    data: {
      status: to,
      resolvedAt: new Date(),
      resolution: statement,
      takedownId: takedownId ?? null,
      nextNoticeAt: null,
    },
  });
  if (count !== 1) throw new ConflictError("concurrent_change", "The report changed meanwhile; try again.");
  effects.signal(await publicationSignal(tx, [report.publicationId]));
  effects.write(auditLog, {
    type: "report.resolved",
    platformId,
    publicationId: report.publicationId,
    data: { reportId: id, decision: resolution.decision, ...(takedownId && { takedownId }) },
  });
  return getReport(tx, platformId, id);
}
