import { describe, expect, test } from "vitest";
import { uuidv7 } from "./uuid.ts";

describe("uuidv7", () => {
  test("version 7, RFC 9562 variant, time in the first 48 bits", () => {
    const id = uuidv7(0x0190b7a01234);
    expect(id).toMatch(/^0190b7a0-1234-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  test("sorts by time and does not repeat", () => {
    const ids = Array.from({ length: 1000 }, (_, i) => uuidv7(1_700_000_000_000 + i));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(1000);
  });

  test("ids made within one millisecond sort in the order they were made", () => {
    const ids = Array.from({ length: 1000 }, () => uuidv7(1_800_000_000_000));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(1000);
  });
});
