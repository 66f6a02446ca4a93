import { createHash, randomBytes } from "node:crypto";
import type { Request, Response } from "express";

const COOKIE = "example_session";
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/**
 * The example platform's minimal login: a random session token in an HttpOnly cookie, made on a
 * browser's first upload. An upload remembers the hash of its uploader's token, and only that
 * browser is shown the upload's invitations (a real platform has its own accounts instead).
 */
export function sessionOf(req: Request): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [name, value] = part.trim().split("=");
    if (name === COOKIE && value !== undefined && TOKEN.test(value)) return ownerOf(value);
  }
  return undefined;
}

/** The session of this browser, started now when it has none. */
export function ensureSession(req: Request, res: Response): string {
  const existing = sessionOf(req);
  if (existing) return existing;
  const token = randomBytes(32).toString("base64url");
  res.cookie(COOKIE, token, { httpOnly: true, sameSite: "lax", path: "/", secure: req.secure });
  return ownerOf(token);
}

/** What an upload keeps of its uploader's session: the token's SHA-256, never the token. */
const ownerOf = (token: string) => createHash("sha256").update(token).digest("hex");
