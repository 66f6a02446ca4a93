import { rm } from "node:fs/promises";
import path from "node:path";
import { ConflictError, type Gate, type Vergewis } from "@vergewis/sdk";
import type { UploadStore } from "../store.ts";

/** What a takedown names: from a `takedown.requested` webhook or from `GET /v1/takedowns`. */
export interface TakedownNotice {
  takedownId: string;
  publicationId: string;
  /** The upload's id, which this platform gave Vergewis as `externalId`. */
  externalId: string;
}

export interface TakeDownOptions {
  vergewis: Pick<Vergewis, "takedowns">;
  store: UploadStore;
  gate: Pick<Gate, "forget">;
  filesDir: string;
}

/**
 * Removes an upload and confirms it to Vergewis: delete the file, record the takedown (from then
 * on `/media/:id` answers 410 without asking Vergewis), then acknowledge with the time of removal.
 * Safe to run again for the same takedown, e.g. from the webhook and from the poll at once.
 */
export function takeDown(options: TakeDownOptions) {
  const { vergewis, store, gate, filesDir } = options;
  return async (notice: TakedownNotice): Promise<void> => {
    const upload = await store.get(notice.externalId);
    let removedAt = new Date();
    let note = "Not hosted on this platform.";
    if (upload && upload.publicationId === notice.publicationId) {
      // Unlisted first, then deleted: once the row says so no request serves the file any more.
      const marked = await store.markTakenDown(upload.id, notice.takedownId, removedAt);
      await rm(path.join(filesDir, upload.id), { force: true });
      gate.forget({ fingerprint: { alg: "sha-256", value: upload.sha256 } });
      removedAt = marked?.takenDownAt ?? removedAt;
      note = "File deleted from storage; the page answers 410 Gone.";
    } else if (!upload && UUID.test(notice.externalId)) {
      // Registered with Vergewis but not recorded here (a crash in between): the file may be there.
      await rm(path.join(filesDir, notice.externalId), { force: true });
    }
    try {
      // The takedown's id as the key: a retry after a crash replays the first acknowledgement.
      await vergewis.takedowns.ack(
        notice.takedownId,
        { removedAt: removedAt.toISOString(), note },
        { idempotencyKey: `ack-${notice.takedownId}` },
      );
    } catch (error) {
      if (error instanceof ConflictError && error.code === "already_acknowledged") return;
      throw error;
    }
  };
}

export type TakeDown = ReturnType<typeof takeDown>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
