import { z } from "zod";
import { authenticationResponseSchema } from "../passkey/schemas.ts";

/** Request bodies of the performer API (`/portal/api`); the portal pages are its only client. */
export const signBodySchema = z.strictObject({
  /** The document exactly as received from the options step. */
  document: z.record(z.string(), z.unknown()),
  response: authenticationResponseSchema,
});

export const claimBodySchema = z.strictObject({
  /** A typed invitation code; without it, the invitation opened by link in this session. */
  code: z.string().trim().min(1).max(64).optional(),
});

export const uuidParam = z.uuid();
