import { changeSignal, topic } from "../db/changes.ts";
import type { Tx } from "../db/client.ts";
import type { Signal } from "../db/transaction.ts";

/**
 * The signal of a change to these publications (their status, or a report about them): it drops
 * the cached publish checks of their content fingerprints, in this process and on every instance.
 * A caller that holds the fingerprints already passes them and saves the read.
 */
export async function publicationSignal(
  tx: Tx,
  publicationIds: readonly string[],
  known?: ReadonlyArray<{ alg: string; value: string }>,
): Promise<Signal> {
  const fingerprints =
    known ??
    (await tx.contentFingerprint.findMany({
      where: { publicationId: { in: [...publicationIds] } },
      select: { alg: true, value: true },
    }));
  return changeSignal([...new Set(fingerprints.map(topic.fingerprint))]);
}
