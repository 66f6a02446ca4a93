import { describe, expect, it } from "vitest";
import { ChangeAwareCache } from "./cache.ts";
import { ChangeFeed, parsePayload, topic } from "./changes.ts";

/** A cache on its own feed, and a loader that counts its calls and returns what is "stored". */
function setup() {
  const feed = new ChangeFeed();
  const cache = new ChangeAwareCache<string>(100, feed);
  const stored = new Map<string, string>([
    ["a", "a1"],
    ["b", "b1"],
  ]);
  let loads = 0;
  const get = (key: string, topics = [key]) =>
    cache.get(key, topics, async () => {
      loads++;
      return { value: stored.get(key)!, ttlMs: 60_000 };
    });
  return { feed, stored, get, loads: () => loads };
}

describe("ChangeAwareCache", () => {
  it("serves a cached value until one of its topics changes", async () => {
    const { feed, stored, get, loads } = setup();
    expect(await get("a")).toBe("a1");
    expect(await get("a")).toBe("a1");
    expect(loads()).toBe(1);
    stored.set("a", "a2");
    feed.touch(["a"]);
    expect(await get("a")).toBe("a2");
    expect(loads()).toBe(2);
  });

  it("keeps values whose topics did not change", async () => {
    const { feed, get, loads } = setup();
    await get("a");
    await get("b");
    feed.touch(["b", "c"]);
    await get("a");
    expect(loads()).toBe(2);
    await get("b");
    expect(loads()).toBe(3);
  });

  it("drops everything on a change without topics", async () => {
    const { feed, get, loads } = setup();
    await get("a");
    await get("b");
    feed.touch();
    await get("a");
    await get("b");
    expect(loads()).toBe(4);
  });

  it("does not store a value whose topic changed while it was loading", async () => {
    const feed = new ChangeFeed();
    const cache = new ChangeAwareCache<string>(100, feed);
    let loads = 0;
    const stale = await cache.get("a", ["a"], async () => {
      loads++;
      feed.touch(["a"]);
      return { value: "old", ttlMs: 60_000 };
    });
    expect(stale).toBe("old");
    const fresh = await cache.get("a", ["a"], async () => {
      loads++;
      return { value: "new", ttlMs: 60_000 };
    });
    expect(fresh).toBe("new");
    expect(loads).toBe(2);
  });

  it("bypasses the cache while the feed is untrusted, and starts afresh once trusted", async () => {
    const { feed, get, loads } = setup();
    await get("a");
    feed.setTrusted(false);
    await get("a");
    await get("a");
    expect(loads()).toBe(3);
    feed.setTrusted(true);
    await get("a");
    await get("a");
    expect(loads()).toBe(4);
  });

  it("expires values after their time to live", async () => {
    const feed = new ChangeFeed();
    const cache = new ChangeAwareCache<number>(100, feed);
    let loads = 0;
    const load = async () => ({ value: ++loads, ttlMs: 0 });
    await cache.get("a", ["a"], load);
    expect(await cache.get("a", ["a"], load)).toBe(2);
  });
});

describe("ChangeAwareCache memory", () => {
  const fill = async (cache: ChangeAwareCache<number>, keys: string[], ttlMs: number) => {
    for (const key of keys) await cache.get(key, [key], async () => ({ value: 1, ttlMs }));
  };
  const keys = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `k${from + i}`);

  it("holds at most its bound, making room by dropping the oldest values only", async () => {
    const cache = new ChangeAwareCache<number>(100, new ChangeFeed());
    await fill(cache, keys(150), 60_000);
    expect(cache.size).toBe(100);
    let loads = 0;
    const get = (key: string) => cache.get(key, [key], async () => ({ value: ++loads, ttlMs: 60_000 }));
    for (const key of keys(100, 50)) await get(key);
    expect(loads).toBe(0);
    await get("k0");
    expect(loads).toBe(1);
    expect(cache.size).toBe(100);
  });

  it("sweeps out expired values: keys asked for once do not pile up until the bound", async () => {
    const cache = new ChangeAwareCache<number>(1_000_000, new ChangeFeed());
    for (let round = 0; round < 10; round++) {
      await fill(cache, keys(1000, round * 1000), 1);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    // 10,000 stored, each expired 1 ms later; a sweep comes at least every 1,024 stores.
    expect(cache.size).toBeLessThanOrEqual(2048);
    await fill(cache, keys(1000, 20_000), 60_000);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await fill(cache, keys(2000, 30_000), 60_000);
    // Values still valid are never swept out.
    let loads = 0;
    for (const key of keys(1000, 20_000)) await cache.get(key, [key], async () => ({ value: ++loads, ttlMs: 60_000 }));
    expect(loads).toBe(0);
  });
});

describe("change notifications", () => {
  it("carry topics, and anything unreadable means everything changed", () => {
    const topics = [topic.fingerprint({ alg: "sha-256", value: "ab".repeat(32) }), topic.apiKey("vgw_abc")];
    expect(parsePayload(JSON.stringify(topics))).toEqual(topics);
    expect(parsePayload("")).toBeUndefined();
    expect(parsePayload(undefined)).toBeUndefined();
    expect(parsePayload("{not json")).toBeUndefined();
    expect(parsePayload('{"a":1}')).toBeUndefined();
    expect(parsePayload("[1]")).toBeUndefined();
  });
});

describe("ChangeAwareCache under concurrency", () => {
  it("shares one load among concurrent misses", async () => {
    const feed = new ChangeFeed();
    const cache = new ChangeAwareCache<number>(100, feed);
    let loads = 0;
    const load = async () => {
      loads++;
      await new Promise((resolve) => setTimeout(resolve, 10));
      return { value: loads, ttlMs: 60_000 };
    };
    const values = await Promise.all([1, 2, 3].map(() => cache.get("a", ["a"], load)));
    expect(values).toEqual([1, 1, 1]);
    expect(loads).toBe(1);
  });

  it("does not join a load that started before a change to its topics", async () => {
    const feed = new ChangeFeed();
    const cache = new ChangeAwareCache<string>(100, feed);
    let stored = "old";
    const load = async () => {
      const value = stored;
      await new Promise((resolve) => setTimeout(resolve, 10));
      return { value, ttlMs: 60_000 };
    };
    const first = cache.get("a", ["a"], load);
    stored = "new";
    feed.touch(["a"]);
    const second = cache.get("a", ["a"], load);
    expect(await first).toBe("old");
    expect(await second).toBe("new");
    expect(await cache.get("a", ["a"], load)).toBe("new");
  });
});

/** Loads of `value` that count their calls; a held one finishes only on `release()`. */
function heldLoads() {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let calls = 0;
  const load =
    (value: string, held = false) =>
    async () => {
      calls++;
      if (held) await released;
      return { value, ttlMs: 60_000 };
    };
  return { load, release: () => release(), loads: () => calls };
}

describe("ChangeAwareCache when loads finish out of order", () => {
  it("keeps the value of a load that started after a change when an older load finishes last", async () => {
    const feed = new ChangeFeed();
    const cache = new ChangeAwareCache<string>(100, feed);
    const { load, release, loads } = heldLoads();
    const slow = cache.get("a", ["a"], load("old", true));
    feed.touch(["a"]);
    expect(await cache.get("a", ["a"], load("new"))).toBe("new");
    release();
    expect(await slow).toBe("old");
    expect(await cache.get("a", ["a"], load("newer"))).toBe("new");
    expect(loads()).toBe(2);
  });
});

describe("ChangeFeed memory", () => {
  const retainMs = 60_000;
  const t0 = 1_000_000;

  it("forgets topics whose last change is older than its retention, and keeps the others", () => {
    const feed = new ChangeFeed({ retainMs });
    for (let i = 0; i < 100; i++) feed.touch([`old${i}`], t0 + i);
    feed.touch(["again"], t0 + 100);
    feed.touch(["recent"], t0 + 30_000);
    feed.touch(["again"], t0 + 50_000);
    expect(feed.trackedTopics).toBe(102);
    feed.touch(["new"], t0 + 61_000);
    expect(feed.trackedTopics).toBe(3);
    const loaded = feed.position;
    feed.touch(["recent"], t0 + 62_000);
    expect(feed.unchangedSince(loaded, ["recent"])).toBe(false);
    expect(feed.unchangedSince(loaded, ["again", "new", "old0"])).toBe(true);
    // A steady stream of changes to new topics keeps about a retention's worth of them.
    for (let s = 0; s < 600; s++) feed.touch([`steady${s}`], t0 + 100_000 + s * 1000);
    expect(feed.trackedTopics).toBeLessThanOrEqual(62);
  });

  it("does not take a value loaded before a forgotten change for current", () => {
    const feed = new ChangeFeed({ retainMs });
    const before = feed.position;
    feed.touch(["a"], t0);
    const after = feed.position;
    feed.touch(["b"], t0 + 1_000);
    feed.touch(["c"], t0 + 61_000);
    expect(feed.trackedTopics).toBe(2);
    expect(feed.unchangedSince(before, ["a"])).toBe(false);
    expect(feed.unchangedSince(before, ["c-unrelated"])).toBe(false);
    expect(feed.unchangedSince(after, ["a"])).toBe(true);
  });

  it("neither joins nor stores a load in flight since before a change it forgot", async () => {
    const feed = new ChangeFeed({ retainMs });
    const cache = new ChangeAwareCache<string>(100, feed);
    const { load, release, loads } = heldLoads();
    const slow = cache.get("a", ["a"], load("old", true));
    // The change came two retentions ago by the feed's clock, and has been forgotten since.
    const now = Date.now();
    feed.touch(["a"], now - 2 * retainMs);
    feed.touch(["b"], now);
    expect(feed.trackedTopics).toBe(1);
    expect(await cache.get("a", ["a"], load("new"))).toBe("new");
    release();
    expect(await slow).toBe("old");
    expect(await cache.get("a", ["a"], load("newer"))).toBe("new");
    expect(loads()).toBe(2);
  });

  it("serves a value no longer than it remembers changes", async () => {
    const cache = new ChangeAwareCache<number>(100, new ChangeFeed({ retainMs: 0 }));
    let loads = 0;
    const load = async () => ({ value: ++loads, ttlMs: 60_000 });
    await cache.get("a", ["a"], load);
    expect(await cache.get("a", ["a"], load)).toBe(2);
  });
});
