import type { Fingerprint, ReportCategory, ReportReceipt } from "@vergewis/sdk";
import type { Tx } from "../db/client.ts";
import type { Effects } from "../db/transaction.ts";
import { matchPublications } from "./match.ts";
import type { Reporter } from "./reporter.ts";
import { recordNotice, type SubmitContext } from "./submit.ts";

/** A report of a picture by its hashes, made on the reporter's own device: the picture never leaves it. */
export interface HashReport {
  sha256: string;
  pdq?: { value: string; quality: number };
  category: ReportCategory;
  description: string;
  contact?: string;
}

/**
 * Records a report by hash from the portal: the SHA-256 and the PDQ hash are matched exactly, and
 * the PDQ hash as near duplicates on every platform of the instance. The notice keeps the PDQ
 * hash (what finds re-encoded copies), or the SHA-256 when there is none.
 */
export async function submitHashReport(
  tx: Tx,
  effects: Effects,
  ctx: SubmitContext,
  report: HashReport,
  reporter: Reporter,
): Promise<ReportReceipt> {
  const sha: Fingerprint = { alg: "sha-256", value: report.sha256 };
  const pdq: Fingerprint | undefined = report.pdq && { alg: "pdq", value: report.pdq.value };
  const matches = await matchPublications(tx, ctx.nearDuplicates, {
    fingerprints: pdq ? [sha, pdq] : [sha],
    ...(report.pdq && { perceptual: [{ alg: "pdq", ...report.pdq }] }),
  });
  const { category, description, contact } = report;
  return recordNotice(
    tx,
    effects,
    ctx,
    { fingerprint: pdq ?? sha, category, description, ...(contact && { contact }) },
    matches,
    reporter,
  );
}
