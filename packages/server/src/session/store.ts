import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Db, Tx } from "../db/client.ts";
import type { Prisma } from "../db/generated/client.ts";

/** Idle timeout: a session unused for this long is over. */
export const IDLE_TIMEOUT_MS = 30 * 60_000;
/** Absolute lifetime, however active the session. */
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60_000;
// Writing lastSeenAt on every request would turn each read into a write; a minute's slack is fine.
const TOUCH_INTERVAL_MS = 60_000;

export interface PortalSession {
  id: string;
  performerId: string | null;
  authMethod: "passkey" | "oidc" | null;
  authenticatedAt: Date | null;
  pendingSlotId: string | null;
  lastSeenAt: Date;
}

export interface IssuedSession {
  session: PortalSession;
  /** The cookie value: 256 random bits, stored only as SHA-256. */
  token: string;
}

const hashToken = (token: string) => new Uint8Array(createHash("sha256").update(token).digest());

const select = {
  id: true,
  performerId: true,
  authMethod: true,
  authenticatedAt: true,
  pendingSlotId: true,
  lastSeenAt: true,
  expiresAt: true,
} satisfies Prisma.PortalSessionSelect;

type Row = Prisma.PortalSessionGetPayload<{ select: typeof select }>;

const toSession = ({ expiresAt: _, ...row }: Row): PortalSession => ({
  ...row,
  authMethod: row.authMethod as PortalSession["authMethod"],
});

/** A new anonymous session. */
export async function createSession(
  db: Db | Tx,
  carry: { pendingSlotId?: string | null } = {},
): Promise<IssuedSession> {
  const token = randomBytes(32).toString("base64url");
  const now = new Date();
  const row = await db.portalSession.create({
    data: {
      tokenHash: hashToken(token),
      pendingSlotId: carry.pendingSlotId ?? null,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + ABSOLUTE_TIMEOUT_MS),
    },
    select,
  });
  return { session: toSession(row), token };
}

/** The live session behind a cookie value, or undefined when unknown, idle too long or expired. */
export async function loadSession(db: Db, token: string): Promise<PortalSession | undefined> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
  const row = await db.portalSession.findUnique({ where: { tokenHash: hashToken(token) }, select });
  if (!row) return undefined;
  const now = Date.now();
  if (row.expiresAt.getTime() <= now || row.lastSeenAt.getTime() + IDLE_TIMEOUT_MS <= now) {
    await db.portalSession.deleteMany({ where: { id: row.id } });
    return undefined;
  }
  if (now - row.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    row.lastSeenAt = new Date(now);
    await db.portalSession.updateMany({ where: { id: row.id }, data: { lastSeenAt: row.lastSeenAt } });
  }
  return toSession(row);
}

/**
 * Logs a session in as `performerId`: a new session (new token, new CSRF token) replaces the old
 * one, so that a token planted before login is worthless after it (session fixation).
 */
export async function rotateSession(
  tx: Tx,
  old: PortalSession | undefined,
  login: { performerId: string; authMethod: "passkey" | "oidc" },
): Promise<IssuedSession> {
  if (old) await tx.portalSession.deleteMany({ where: { id: old.id } });
  const issued = await createSession(tx, { pendingSlotId: old?.pendingSlotId ?? null });
  const authenticatedAt = new Date();
  await tx.portalSession.update({
    where: { id: issued.session.id },
    data: { performerId: login.performerId, authMethod: login.authMethod, authenticatedAt },
  });
  return { token: issued.token, session: { ...issued.session, ...login, authenticatedAt } };
}

export async function destroySession(db: Db, session: PortalSession): Promise<void> {
  await db.portalSession.deleteMany({ where: { id: session.id } });
}

/** Removes sessions past their idle or absolute timeout (their challenges and OIDC requests go with them). */
export async function purgeExpiredSessions(db: Db): Promise<void> {
  const now = Date.now();
  await db.portalSession.deleteMany({
    where: { OR: [{ expiresAt: { lte: new Date(now) } }, { lastSeenAt: { lte: new Date(now - IDLE_TIMEOUT_MS) } }] },
  });
}

/** The session's CSRF token (synchronizer token derived from the session id; changes with it). */
export const csrfToken = (secret: Buffer, session: PortalSession) =>
  createHmac("sha256", secret).update(`csrf:${session.id}`).digest("base64url");

export function csrfTokenMatches(secret: Buffer, session: PortalSession, presented: string | undefined): boolean {
  if (presented === undefined) return false;
  const expected = Buffer.from(csrfToken(secret, session));
  const given = Buffer.from(presented);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
