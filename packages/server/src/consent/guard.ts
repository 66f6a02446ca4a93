import { isFresh } from "../identity/attestation.ts";
import type { Attestation } from "../identity/attestation.ts";
import type { RequestRow } from "./request.ts";
import { ageAtProduction } from "../identity/production-age.ts";
import {
  AgeAtProductionError,
  AgeVerificationRequiredError,
  InvitationExpiredError,
  RequestClosedError,
  RequestNotFoundError,
} from "./errors.ts";

/** The request exists, is addressed to this performer and can still be answered. */
export function assertAnswerable(
  row: RequestRow | undefined,
  performerId: string,
  now = new Date(),
): asserts row is RequestRow {
  if (!row || row.performerId !== performerId) throw new RequestNotFoundError();
  if (row.publication.status !== "pending") {
    throw new RequestClosedError(
      "publication_not_pending",
      `This publication is ${row.publication.status}: it takes no more answers.`,
    );
  }
  if (row.status !== "open")
    throw new RequestClosedError("slot_not_open", `You already answered this request (${row.status}).`);
  if (row.expiresAt <= now) throw new InvitationExpiredError();
}

/**
 * The performer's attestation, if it is fresh enough to sign with (renewed after the configured
 * age) and shows them 18 or older on the day the content was made.
 */
export function freshAttestation(row: RequestRow, maxAgeDays: number): Attestation {
  const { attestation } = row.actor;
  if (!attestation) throw new AgeVerificationRequiredError("missing");
  if (!isFresh(attestation, maxAgeDays)) throw new AgeVerificationRequiredError("expired");
  const age = ageAtProduction(attestation, row.publication.producedAt);
  if (age !== "adult") throw new AgeAtProductionError(age);
  return attestation;
}
