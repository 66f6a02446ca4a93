import { describe, expect, test } from "vitest";
import { paginate, type Page } from "./paginate.ts";

/** A list of `items` served `size` at a time, with the index of the next page as its cursor; records each call. */
function pagesOf(items: readonly string[], size: number) {
  const calls: Array<{ cursor?: string }> = [];
  const page = async (at: { cursor?: string }): Promise<Page<string>> => {
    calls.push(at);
    const start = at.cursor === undefined ? 0 : Number(at.cursor);
    const end = start + size;
    return { items: items.slice(start, end), nextCursor: end < items.length ? String(end) : null };
  };
  return { page, calls };
}

const letters = ["a", "b", "c", "d", "e"];

describe("paginate", () => {
  test("yields every item in order, asking for the first page without a cursor, then with each nextCursor", async () => {
    const { page, calls } = pagesOf(letters, 2);
    const seen: string[] = [];
    for await (const item of paginate(page)) seen.push(item);
    expect(seen).toEqual(letters);
    expect(calls).toEqual([{}, { cursor: "2" }, { cursor: "4" }]);
  });

  test("fetches a page only when the loop asks for its first item, and none after a break", async () => {
    const { page, calls } = pagesOf(letters, 2);
    const items = paginate(page);
    expect(calls).toEqual([]);
    for await (const item of items) if (item === "c") break;
    expect(calls).toEqual([{}, { cursor: "2" }]);
  });

  test("an empty list is one request and no items", async () => {
    const { page, calls } = pagesOf([], 2);
    const seen: string[] = [];
    for await (const item of paginate(page)) seen.push(item);
    expect(seen).toEqual([]);
    expect(calls).toEqual([{}]);
  });

  test("a page that fails ends the loop with its error, after the items already yielded", async () => {
    const { page } = pagesOf(letters, 2);
    const failing = (at: { cursor?: string }) => (at.cursor === "2" ? Promise.reject(new Error("page 2")) : page(at));
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const item of paginate(failing)) seen.push(item);
      })(),
    ).rejects.toThrow("page 2");
    expect(seen).toEqual(["a", "b"]);
  });
});
