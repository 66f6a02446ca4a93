import { ValidationError } from "../errors.ts";

/**
 * A position in a list ordered by a key (keyset pagination), written as an opaque base64url
 * cursor. `pattern` is what a cursor from this API decodes to; anything else is refused.
 */
export interface Cursor<P> {
  encode(position: P): string;
  decode(cursor: string): P;
}

export function cursor<P>(
  pattern: RegExp,
  write: (position: P) => string,
  read: (match: RegExpExecArray) => P,
): Cursor<P> {
  return {
    encode: (position) => Buffer.from(write(position)).toString("base64url"),
    decode(text) {
      const match = pattern.exec(Buffer.from(text, "base64url").toString());
      if (!match) throw new ValidationError([{ pointer: "/query/cursor", reason: "not a cursor from this API" }]);
      return read(match);
    },
  };
}

/** Lists ordered by (UUIDv7) id: the cursor is the last id of the page. */
export const idCursor = cursor<string>(
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  (id) => id,
  (match) => match[0],
);

export interface PageQuery {
  cursor?: string | undefined;
  limit?: number | undefined;
}

export interface KeysetPage<Row> {
  rows: Row[];
  nextCursor: string | null;
}

/**
 * One page after the query's cursor. `fetch` reads up to `take` rows strictly after `after`, in
 * the list's order. A list with an end reads one row more than the page to know whether another
 * page follows; a `feed` (one that grows at its end and is polled) always hands back a cursor, the
 * same one when nothing new came, so that the poller resumes where it stopped.
 */
export async function keysetPage<Row, P>(
  query: PageQuery,
  list: {
    cursor: Cursor<P>;
    defaultLimit: number;
    fetch: (after: P | undefined, take: number) => Promise<Row[]>;
    position: (row: Row) => P;
    feed?: boolean;
  },
): Promise<KeysetPage<Row>> {
  const limit = query.limit ?? list.defaultLimit;
  const after = query.cursor === undefined ? undefined : list.cursor.decode(query.cursor);
  if (list.feed) {
    const rows = await list.fetch(after, limit);
    const last = rows.at(-1);
    return { rows, nextCursor: last ? list.cursor.encode(list.position(last)) : (query.cursor ?? null) };
  }
  const rows = await list.fetch(after, limit + 1);
  const page = rows.slice(0, limit);
  return {
    rows: page,
    nextCursor: rows.length > limit ? list.cursor.encode(list.position(page.at(-1)!)) : null,
  };
}
