import { signalChange, topic } from "../db/changes.ts";
import type { Tx } from "../db/client.ts";

/**
 * Signals a change to these publications (their status, or a report about them): it drops the
 * cached publish checks of their content fingerprints, in this process and on every instance.
 */
export async function signalPublicationChange(tx: Tx, publicationIds: readonly string[]): Promise<void> {
  const fingerprints = await tx.contentFingerprint.findMany({
    where: { publicationId: { in: [...publicationIds] } },
    select: { alg: true, value: true },
  });
  await signalChange(tx, [...new Set(fingerprints.map(topic.fingerprint))]);
}
