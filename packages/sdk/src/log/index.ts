// Offline verification of the Vergewis audit log: RFC 9162 Merkle trees and proofs, C2SP signed
// checkpoints. Runs in Node and in browsers: no Node built-ins, WebCrypto for Ed25519.
export {
  formatCheckpoint,
  parseCheckpoint,
  verifyCheckpoint,
  type Checkpoint,
  type VerifyCheckpointOptions,
} from "./checkpoint.ts";
export { findFirstDivergence, type ServedInclusion } from "./divergence.ts";
export {
  CheckpointError,
  ConsistencyProofError,
  InclusionProofError,
  LogDivergenceError,
  LogVerificationError,
  VerifierKeyError,
  type LogVerificationErrorCode,
} from "./errors.ts";
export { emptyRoot, hashChildren, hashLeaf, type Hash } from "./hash.ts";
export {
  formatVerifierKey,
  noteKeyId,
  parseSignedNote,
  parseVerifierKey,
  signatureLine,
  verifyNote,
  type NoteSignature,
  type SignedNote,
  type VerifierKey,
} from "./note.ts";
export { consistencyPlan, decompose, inclusionPlan, rootPlan, type NodeRef, type RangePlan } from "./plan.ts";
export {
  rootFromInclusionProof,
  verifyConsistency,
  verifyInclusion,
  type ConsistencyInput,
  type InclusionInput,
} from "./proof.ts";
export { foldNodes, MerkleTree } from "./tree.ts";
