import { ValidationError, type FieldIssue } from "../errors.ts";

/**
 * A perceptual hash, a vPDQ frame or a search option that the near-duplicate index cannot take:
 * `issues` point into the value the caller passed (`/value`, `/frames/3/quality`, `/threshold`).
 */
export class InvalidPerceptualHashError extends ValidationError {
  constructor(issues: FieldIssue[]) {
    super(issues, "The perceptual hash is not valid.", "invalid_perceptual_hash");
  }
}
