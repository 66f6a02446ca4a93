import { freeTextSchema, REPORT_CATEGORIES } from "@vergewis/sdk";
import { z } from "zod";
import { MAX_CONTENT_ITEMS } from "@vergewis/sdk";
import { authenticationResponseSchema } from "../passkey/schemas.ts";

/** Request bodies of the performer API (`/portal/api`); the portal pages are its only client. */
export const signBodySchema = z.strictObject({
  /** The document exactly as received from the options step. */
  document: z.record(z.string(), z.unknown()),
  response: authenticationResponseSchema,
});

export const consentOptionsBodySchema = z.strictObject({
  /**
   * The content items (sha-256) this browser fetched, showed and checked against their
   * fingerprints: the document names these as verified. Without it, every item of the request
   * (a client that shows no items answers for that itself); the consent is refused at signing
   * unless the document names every item.
   */
  verified: z
    .array(z.string().regex(/^[0-9a-f]{64}$/, "must be a lower-case sha-256 in hex"))
    .max(MAX_CONTENT_ITEMS)
    .optional(),
});

export const claimBodySchema = z.strictObject({
  /** A typed invitation code; without it, the invitation opened by link in this session. */
  code: z.string().trim().min(1).max(64).optional(),
});

export const uuidParam = z.uuid();

/** Withdraw one consent, or "withdraw everywhere" (every matching consent, and reports elsewhere). */
export const revocationOptionsBodySchema = z.strictObject({ everywhere: z.boolean().optional() });

const hex256 = z
  .string()
  .regex(/^[0-9a-fA-F]{64}$/, "must be 64 hexadecimal characters (256 bits)")
  .transform((v) => v.toLowerCase());

/** A report by hash: what the portal's page computed in the browser, and why. */
export const hashReportBodySchema = z.strictObject({
  sha256: hex256,
  pdq: z.strictObject({ value: hex256, quality: z.number().int().min(0).max(100) }).optional(),
  category: z.enum(REPORT_CATEGORIES),
  description: freeTextSchema(10, 5000),
  contact: freeTextSchema(3, 320).optional(),
});
