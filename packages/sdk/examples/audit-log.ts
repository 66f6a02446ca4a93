import {
  auditEventListSchema,
  hashLeaf,
  inclusionProofSchema,
  LogVerificationError,
  verifyCheckpoint,
  verifyInclusion,
} from "@vergewis/sdk";

// An auditor checks one entry without trusting the server: its hash, its path to the root, and
// the root's signature by the key pinned out of band (the one GET /v1/log/key shows).
const url = process.env.VERGEWIS_URL!;
const headers = { authorization: `Bearer ${process.env.VERGEWIS_AUDITOR_TOKEN!}` };
const pinnedKey = process.env.VERGEWIS_LOG_KEY!;
const bytes = (base64: string) => Uint8Array.from(Buffer.from(base64, "base64"));

const page = auditEventListSchema.parse(await (await fetch(`${url}/v1/audit/events?limit=1`, { headers })).json());
const event = page.items[0]!;
const proof = inclusionProofSchema.parse(
  await (await fetch(`${url}/v1/audit/proofs/inclusion?index=${event.index}`, { headers })).json(),
);

try {
  const checkpoint = await verifyCheckpoint(proof.checkpoint!, pinnedKey);
  verifyInclusion({
    index: event.index,
    treeSize: checkpoint.treeSize,
    leafHash: hashLeaf(event.entry), // the hash of the entry as served, not the hash the server claims
    proof: proof.proof.map(bytes),
    rootHash: checkpoint.rootHash,
  });
  console.log(
    `entry ${event.index} (${event.type}) is in the log of ${checkpoint.treeSize} entries signed by ${checkpoint.origin}`,
  );
} catch (error) {
  if (!(error instanceof LogVerificationError)) throw error;
  console.log(`not verified: ${error.code}`);
}
