import { ValidationError } from "../errors.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** An opaque cursor for lists ordered by (UUIDv7) id: the last id of the page. */
export const encodeCursor = (id: string) => Buffer.from(id).toString("base64url");

export function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, "base64url").toString();
  if (!UUID.test(id)) throw new ValidationError([{ pointer: "/query/cursor", reason: "not a cursor from this API" }]);
  return id;
}
