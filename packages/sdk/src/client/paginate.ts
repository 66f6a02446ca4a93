/** One page of a cursor-paged list of the API: its items and the cursor of the next page. */
export interface Page<T> {
  readonly items: readonly T[];
  /** null on the last page. */
  readonly nextCursor: string | null;
}

/**
 * Every item of a cursor-paged list, in the API's order. `page` fetches one page: the first for
 * `{}`, the following ones for `{ cursor }`. A page is fetched only when the loop asks for its first
 * item, so breaking out of the loop stops fetching.
 */
export async function* paginate<T>(
  page: (at: { cursor?: string }) => Promise<Page<T>>,
): AsyncGenerator<T, void, undefined> {
  let cursor: string | undefined;
  do {
    const current = await page(cursor === undefined ? {} : { cursor });
    yield* current.items;
    cursor = current.nextCursor ?? undefined;
  } while (cursor !== undefined);
}
