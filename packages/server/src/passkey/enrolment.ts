import type { PortalSession } from "../session/store.ts";
import { ReverificationRequiredError } from "./errors.ts";

/**
 * How long after verifying at the identity provider a session may add a passkey to an account
 * that already has one. Long enough to create the passkey, short enough that a session left open
 * on a shared or stolen device cannot add one later.
 */
export const REVERIFICATION_WINDOW_MS = 10 * 60_000;

/** The session was logged in by verifying at the identity provider, moments ago. */
export const freshlyVerified = (session: PortalSession, now = Date.now()): boolean =>
  session.authMethod === "oidc" &&
  session.authenticatedAt !== null &&
  now - session.authenticatedAt.getTime() < REVERIFICATION_WINDOW_MS;

/**
 * Who may add a passkey: anyone logged in to an account without one (onboarding, right after the
 * identity check that made the account), a passkey login, and — on a device without the passkey —
 * a fresh identity check of the same person: re-verification is what authorises a new passkey.
 */
export function assertMayAddPasskey(session: PortalSession, existingPasskeys: number): void {
  if (existingPasskeys === 0 || session.authMethod === "passkey" || freshlyVerified(session)) return;
  throw new ReverificationRequiredError();
}
