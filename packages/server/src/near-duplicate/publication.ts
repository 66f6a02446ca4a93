import type { Fingerprint } from "@vergewis/sdk";
import type { Tx } from "../db/client.ts";
import { indexPerceptualHashes } from "./store.ts";

/**
 * The quality recorded for a PDQ hash a platform sends with a publication request: the API's
 * fingerprint carries none, and platforms send PDQ only at or above the quality floor
 * (docs/fingerprints.md), so the hash is indexed as fit to match.
 */
const SENT_PDQ_QUALITY = 100;

/** Indexes a new publication's PDQ fingerprints for near-duplicate search, in its transaction. */
export async function indexPublicationFingerprints(
  tx: Tx,
  platformId: string,
  fingerprints: ReadonlyArray<Fingerprint & { id: string }>,
): Promise<void> {
  for (const f of fingerprints) {
    if (f.alg !== "pdq") continue;
    await indexPerceptualHashes(
      tx,
      { platformId, fingerprintId: f.id },
      { alg: "pdq", value: f.value, quality: SENT_PDQ_QUALITY },
    );
  }
}
