import request from "supertest";
import type { PublicationRequest } from "@vergewis/sdk";
import { auditLog, type AnyAuditEvent } from "../../packages/server/src/audit/append.ts";
import { issueAuditorToken } from "../../packages/server/src/audit/auditor-token.ts";
import type { Db } from "../../packages/server/src/db/client.ts";
import { movePublication } from "../../packages/server/src/publication/state.ts";
import { requestTakedown } from "../../packages/server/src/takedown/request.ts";
import { bearer, publicationRequest } from "./fixtures.ts";
import { runTransaction, type Effects } from "../../packages/server/src/db/transaction.ts";

// Audit suites need a history of real log entries: publications through the API, and the later
// steps through the domain functions that append them (consent and acknowledgement have their
// own suites; here only their log entries matter).

/**
 * Appends an entry of another domain's event type (consents are the identity domain's) that may
 * not be in this branch's catalogue yet: the log and the metrics treat every type alike.
 */
const appendOther = (
  effects: Effects,
  event: { type: string; platformId: string; publicationId: string; performerPseudonym?: string; data: object },
) => effects.write(auditLog, event as unknown as AnyAuditEvent);

export const auditorToken = async (db: Db, platformId: string | null) =>
  (await issueAuditorToken(db, { platformId })).token;

export async function publish(url: string, apiKey: string, overrides: Partial<PublicationRequest> = {}) {
  const res = await request(url)
    .post("/v1/publications")
    .set(bearer(apiKey))
    // Consents are stood in for below, so no co-performer is mailed an invitation.
    .send(publicationRequest({ slots: [{ role: "uploader" }], ...overrides }))
    .expect(201);
  return res.body as { id: string; slots: Array<{ id: string }> };
}

/** A cleared publication: every slot consented (the consent entries as the identity domain writes them). */
export async function clearedPublication(db: Db, url: string, apiKey: string, performer = "prf_test") {
  const publication = await publish(url, apiKey);
  await runTransaction(db, async (tx, effects) => {
    const { platformId } = await tx.publication.findUniqueOrThrow({ where: { id: publication.id } });
    for (const slot of publication.slots) {
      appendOther(effects, {
        type: "consent.signed",
        platformId,
        publicationId: publication.id,
        performerPseudonym: performer,
        data: { slotId: slot.id },
      });
    }
    await movePublication(tx, effects, publication.id, "pending", "cleared");
    effects.write(auditLog, { type: "publication.cleared", platformId, publicationId: publication.id, data: {} });
  });
  return publication;
}

/** Revokes by requesting the takedown, as the revocation transaction does. */
export async function takedown(db: Db, publicationId: string, reason: "revocation" | "report" = "revocation") {
  return runTransaction(db, async (tx, effects) => {
    const { platformId } = await tx.publication.findUniqueOrThrow({ where: { id: publicationId } });
    if (reason === "revocation") {
      appendOther(effects, {
        type: "consent.revoked",
        platformId,
        publicationId,
        performerPseudonym: "prf_test",
        data: {},
      });
    }
    return requestTakedown(tx, effects, { publicationId, reason });
  });
}

/** The platform confirms removal at `removedAt`, as the takedown API records it. */
export async function acknowledge(db: Db, takedownId: string, removedAt: Date) {
  await runTransaction(db, async (tx, effects) => {
    const row = await tx.takedown.update({
      where: { id: takedownId },
      data: { acknowledgedAt: new Date(), removedAt },
    });
    await movePublication(tx, effects, row.publicationId, "takedown_required", "taken_down");
    effects.write(auditLog, {
      type: "takedown.acknowledged",
      platformId: row.platformId,
      publicationId: row.publicationId,
      data: { takedownId, removedAt: removedAt.toISOString() },
    });
  });
}

/** RFC 4180 CSV, for reading exports back. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') ((field += '"'), i++);
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") (row.push(field), (field = ""));
    else if (c === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      ((row = []), (field = ""), i++);
    } else field += c;
  }
  return rows;
}
