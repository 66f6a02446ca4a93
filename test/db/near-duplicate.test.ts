import { randomBytes, randomUUID } from "node:crypto";
import { matchVpdq, type VpdqFrame } from "@vergewis/sdk";
import { beforeAll, describe, expect, test } from "vitest";
import type { Db } from "../../packages/server/src/db/client.ts";
import { InvalidPerceptualHashError } from "../../packages/server/src/near-duplicate/errors.ts";
import { BAND_WIDTHS, indexedHash } from "../../packages/server/src/near-duplicate/hash.ts";
import type { PerceptualHashes } from "../../packages/server/src/near-duplicate/input.ts";
import { findNearDuplicates, type NearDuplicateSearch } from "../../packages/server/src/near-duplicate/search.ts";
import { indexPerceptualHashes, removePerceptualHashes } from "../../packages/server/src/near-duplicate/store.ts";
import { useTestDb } from "../support/database.ts";
import { flip, platformWithPublication } from "../support/perceptual.ts";

const t = useTestDb();
const SEARCH: NearDuplicateSearch = { threshold: 31, qualityFloor: 50 };

const randomHash = () => randomBytes(32).toString("hex");

function distance(a: string, b: string): number {
  let n = 0;
  for (let i = 0; i < 64; i += 8) {
    let x = Number.parseInt(a.slice(i, i + 8), 16) ^ Number.parseInt(b.slice(i, i + 8), 16);
    for (; x; x &= x - 1) n++;
  }
  return n;
}

interface Stored {
  fingerprintId: string;
  publicationId: string;
  platformId: string;
  hashes: PerceptualHashes;
}

/** Every stored file, as the brute-force scan sees it. */
const stored: Stored[] = [];

const platform = (db: Db) => platformWithPublication(db);

/** Files on one publication: one fingerprint row each, their hashes indexed in one transaction. */
async function store(db: Db, owner: { platformId: string; publicationId: string }, files: PerceptualHashes[]) {
  const rows = files.map(() => ({ id: randomUUID(), publicationId: owner.publicationId, alg: "sha-256" }));
  await db.contentFingerprint.createMany({ data: rows.map((r) => ({ ...r, value: randomBytes(32).toString("hex") })) });
  await db.$transaction(
    async (tx) => {
      for (const [i, hashes] of files.entries()) {
        await indexPerceptualHashes(tx, { platformId: owner.platformId, fingerprintId: rows[i]!.id }, hashes);
      }
    },
    { timeout: 120_000 },
  );
  const added = files.map((hashes, i) => ({ ...owner, fingerprintId: rows[i]!.id, hashes }));
  stored.push(...added);
  return added;
}

/**
 * Many PDQ files at once, in one statement, with the words and bands `indexedHash` gives (the
 * module writes them the same way, one file a call): thousands of rows in a second.
 */
async function storeMany(db: Db, owner: { platformId: string; publicationId: string }, files: PdqFile[]) {
  const ids = files.map(() => randomUUID());
  await db.contentFingerprint.createMany({
    data: ids.map((id) => ({ id, publicationId: owner.publicationId, alg: "sha-256", value: randomHash() })),
  });
  const indexed = files.map((f) => indexedHash(f.value));
  await db.$executeRawUnsafe(
    `INSERT INTO "PerceptualHash" ("platformId", "fingerprintId", "alg", "h0", "h1", "h2", "h3", "quality",
       ${BAND_WIDTHS.map((_, b) => `"band${b}"`).join(", ")})
     SELECT $1::uuid, u.* FROM unnest($2::uuid[], $3::"PerceptualHashAlg"[], $4::int8[], $5::int8[], $6::int8[],
       $7::int8[], $8::smallint[], ${BAND_WIDTHS.map((_, b) => `$${b + 9}::int[]`).join(", ")}) AS u`,
    owner.platformId,
    ids,
    files.map(() => "pdq"),
    ...[0, 1, 2, 3].map((w) => indexed.map((h) => h.words[w]!)),
    files.map((f) => f.quality),
    ...BAND_WIDTHS.map((_, b) => indexed.map((h) => h.bands[b]!)),
  );
  stored.push(...files.map((hashes, i) => ({ ...owner, fingerprintId: ids[i]!, hashes })));
}

type PdqFile = Extract<PerceptualHashes, { alg: "pdq" }>;

/** The oracle: every stored PDQ hash compared with the query, one by one. */
function bruteForcePdq(query: string, search: NearDuplicateSearch) {
  return stored
    .flatMap((s) =>
      s.hashes.alg === "pdq" &&
      s.hashes.quality >= search.qualityFloor &&
      (search.platformId === undefined || s.platformId === search.platformId)
        ? [{ fingerprintId: s.fingerprintId, distance: distance(query, s.hashes.value) }]
        : [],
    )
    .filter((m) => m.distance <= search.threshold)
    .sort((a, b) => a.distance - b.distance || a.fingerprintId.localeCompare(b.fingerprintId));
}

const found = async (query: string, search: NearDuplicateSearch) =>
  (await findNearDuplicates(t.db, { alg: "pdq", value: query, quality: 100 }, search)).map((m) => ({
    fingerprintId: m.fingerprintId,
    distance: m.distance,
  }));

const RANDOM = 3_000;
let first: { platformId: string; publicationId: string };
let second: { platformId: string; publicationId: string };
/** The hashes near-duplicates were planted around, at every distance from 0 to 40. */
const centres = Array.from({ length: 4 }, randomHash);

beforeAll(async () => {
  first = await platform(t.db);
  second = await platform(t.db);
  const random = Array.from({ length: RANDOM }, (_, i) => ({
    alg: "pdq" as const,
    value: randomHash(),
    quality: i % 10 === 0 ? 30 : 100,
  }));
  await storeMany(t.db, first, random.slice(0, RANDOM / 2));
  await storeMany(t.db, second, random.slice(RANDOM / 2));
  for (const [i, centre] of centres.entries()) {
    const planted = Array.from({ length: 41 }, (_, d) => ({
      alg: "pdq" as const,
      value: flip(centre, d),
      quality: 90,
    }));
    // A copy below the quality floor, at distance 1: never a match.
    planted.push({ alg: "pdq", value: flip(centre, 1), quality: 49 });
    await store(t.db, i % 2 ? second : first, planted);
  }
}, 300_000);

describe("PDQ near-duplicates: exact against a brute-force scan", () => {
  test("every planted copy within the threshold is found with its distance, none beyond", async () => {
    for (const centre of centres) {
      const matches = await found(centre, SEARCH);
      expect(matches).toEqual(bruteForcePdq(centre, SEARCH));
      // The planted copies at 0…31 (random hashes are ~128 bits away): 32 matches.
      expect(matches.map((m) => m.distance)).toEqual(Array.from({ length: 32 }, (_, d) => d));
    }
  });

  test("the same at other thresholds, 0 to 47, whatever radius each band is probed within", async () => {
    for (const threshold of [0, 15, 16, 31, 40, 47]) {
      for (const centre of centres.slice(0, 2)) {
        const search = { ...SEARCH, threshold };
        const matches = await found(centre, search);
        expect(matches).toEqual(bruteForcePdq(centre, search));
        expect(matches).toHaveLength(Math.min(threshold, 40) + 1);
      }
    }
  });

  test("random queries and queries near random stored hashes agree with the scan", async () => {
    const near = stored
      .slice(0, 40)
      .map((s) => flip((s.hashes as { value: string }).value, 20 + (s.fingerprintId.charCodeAt(35) % 20)));
    for (const query of [...Array.from({ length: 10 }, randomHash), ...near]) {
      expect(await found(query, SEARCH)).toEqual(bruteForcePdq(query, SEARCH));
    }
  });

  test("one platform, or every platform of the instance", async () => {
    const everywhere = await found(centres[0]!, SEARCH);
    const own = await found(centres[0]!, { ...SEARCH, platformId: first.platformId });
    const other = await found(centres[0]!, { ...SEARCH, platformId: second.platformId });
    expect(own).toEqual(everywhere);
    expect(other).toEqual([]);
    const matches = await findNearDuplicates(t.db, { alg: "pdq", value: centres[0]!, quality: 100 }, SEARCH);
    expect(new Set(matches.map((m) => `${m.platformId} ${m.publicationId} ${m.alg}`))).toEqual(
      new Set([`${first.platformId} ${first.publicationId} pdq`]),
    );
  });

  test("the quality floor applies to the stored hashes and to the query", async () => {
    const lenient = { ...SEARCH, qualityFloor: 0 };
    expect(await found(centres[0]!, lenient)).toEqual(bruteForcePdq(centres[0]!, lenient));
    expect(await found(centres[0]!, lenient)).toHaveLength(33);
    expect(await findNearDuplicates(t.db, { alg: "pdq", value: centres[0]!, quality: 49 }, SEARCH)).toEqual([]);
  });
});

describe("vPDQ: the reference's rule over the stored frames", () => {
  const video = (n: number): VpdqFrame[] =>
    Array.from({ length: n }, (_, i) => ({ t: i, value: randomHash(), quality: 80 }));
  const reencoded = (frames: VpdqFrame[], bits: number) => frames.map((f) => ({ ...f, value: flip(f.value, bits) }));

  test("copies whose frames are near are found, with their match percentages; others are not", async () => {
    const original = video(20);
    // 18 of 20 frames (90 %) a re-encode away, 2 replaced: a match.
    const copy = [...reencoded(original.slice(0, 18), 12), ...video(2)];
    // Half the frames: the query's 50 % falls short of 80 %.
    const half = [...original.slice(0, 10), ...video(10)];
    // Every frame too far away.
    const far = reencoded(original, 40);
    // The original inside a longer video (query 100 %, compared 20 %): a match.
    const longer = [...original, ...video(80)].map((f, i) => ({ ...f, t: i }));
    const owner = await platform(t.db);
    const files = await store(
      t.db,
      owner,
      [copy, half, far, longer, video(20)].map((frames) => ({ alg: "vpdq" as const, frames })),
    );
    const matches = await findNearDuplicates(t.db, { alg: "vpdq", frames: original }, SEARCH);
    expect(matches.map((m) => m.fingerprintId)).toEqual([files[3]!.fingerprintId, files[0]!.fingerprintId]);
    expect(matches[0]).toMatchObject({ alg: "vpdq", distance: 0, queryMatchPercent: 100, comparedMatchPercent: 20 });
    expect(matches[1]).toMatchObject({ alg: "vpdq", distance: 12, queryMatchPercent: 90, comparedMatchPercent: 90 });
    expect(matches[1]).toMatchObject({ platformId: owner.platformId, publicationId: owner.publicationId });
    // The index's answer is the brute-force rule over every stored video.
    const brute = stored.flatMap((s) =>
      s.hashes.alg === "vpdq" && matchVpdq(original, s.hashes.frames).match ? [s.fingerprintId] : [],
    );
    expect(new Set(matches.map((m) => m.fingerprintId))).toEqual(new Set(brute));
    // A PDQ search never returns a video's frames, nor a vPDQ search an image.
    expect(await findNearDuplicates(t.db, { alg: "pdq", value: original[0]!.value, quality: 100 }, SEARCH)).toEqual([]);
    expect(
      await findNearDuplicates(t.db, { alg: "vpdq", frames: [{ t: 0, value: centres[0]!, quality: 100 }] }, SEARCH),
    ).toEqual([]);
  });

  test("frames below the quality floor count for nothing", async () => {
    const original = video(10);
    const owner = await platform(t.db);
    const [file] = await store(t.db, owner, [{ alg: "vpdq", frames: original }]);
    const dim = original.map((f) => ({ ...f, quality: 20 }));
    expect(await findNearDuplicates(t.db, { alg: "vpdq", frames: dim }, SEARCH)).toEqual([]);
    // Two sharp frames of ten, both in the stored video: 100 % of what can be compared.
    const mostlyDim = [...dim.slice(2), ...original.slice(0, 2)];
    const matches = await findNearDuplicates(t.db, { alg: "vpdq", frames: mostlyDim }, SEARCH);
    expect(matches).toMatchObject([{ fingerprintId: file!.fingerprintId, queryMatchPercent: 100 }]);
  });
});

describe("removal", () => {
  test("erasing a publication's content, or its fingerprint row, takes its hashes out of the index", async () => {
    const owner = await platform(t.db);
    const value = randomHash();
    const [a, b] = await store(t.db, owner, [
      { alg: "pdq", value, quality: 100 },
      { alg: "vpdq", frames: [{ t: 0, value: flip(value, 3), quality: 100 }] },
    ]);
    expect(await found(value, SEARCH)).toEqual([{ fingerprintId: a!.fingerprintId, distance: 0 }]);
    await t.db.$transaction((tx) => removePerceptualHashes(tx, { fingerprintIds: [a!.fingerprintId] }));
    expect(await found(value, SEARCH)).toEqual([]);
    const frames = [{ t: 0, value, quality: 100 }];
    expect(await findNearDuplicates(t.db, { alg: "vpdq", frames }, SEARCH)).toHaveLength(1);
    expect(await t.db.$transaction((tx) => removePerceptualHashes(tx, { publicationId: owner.publicationId }))).toBe(1);
    expect(await findNearDuplicates(t.db, { alg: "vpdq", frames }, SEARCH)).toEqual([]);

    const [c] = await store(t.db, owner, [{ alg: "pdq", value, quality: 100 }]);
    await t.db.contentFingerprint.delete({ where: { id: c!.fingerprintId } });
    expect(await t.db.perceptualHash.count({ where: { fingerprintId: c!.fingerprintId } })).toBe(0);
    expect(b).toBeDefined();
  });
});

describe("bad input is refused with a typed error, and nothing is stored", () => {
  const hash = "ab".repeat(32);
  const cases: Array<[string, PerceptualHashes, string[]]> = [
    ["a short hash", { alg: "pdq", value: "ab".repeat(31), quality: 100 }, ["/value"]],
    ["a long hash", { alg: "pdq", value: `${hash}00`, quality: 100 }, ["/value"]],
    ["a hash that is not hex", { alg: "pdq", value: `${"ab".repeat(31)}zz`, quality: 100 }, ["/value"]],
    ["a quality over 100", { alg: "pdq", value: hash, quality: 101 }, ["/quality"]],
    ["a fractional quality and a bad hash", { alg: "pdq", value: "", quality: 5.5 }, ["/value", "/quality"]],
    ["no frames", { alg: "vpdq", frames: [] }, ["/frames"]],
    [
      "a bad frame among good ones",
      {
        alg: "vpdq",
        frames: [
          { t: 0, value: hash, quality: 100 },
          { t: -1, value: "0x12", quality: -3 },
        ],
      },
      ["/frames/1/value", "/frames/1/quality", "/frames/1/t"],
    ],
    ["another algorithm", { alg: "md5", value: hash } as unknown as PerceptualHashes, ["/alg"]],
  ];

  test.each(cases)("%s", async (_, input, pointers) => {
    const owner = await platform(t.db);
    const [file] = await store(t.db, owner, [{ alg: "pdq", value: hash, quality: 100 }]);
    const before = await t.db.perceptualHash.count();
    const refusal = (error: unknown) => {
      expect(error).toBeInstanceOf(InvalidPerceptualHashError);
      expect(error).toMatchObject({ code: "invalid_perceptual_hash", kind: "invalid" });
      expect((error as InvalidPerceptualHashError).issues.map((i) => i.pointer)).toEqual(pointers);
    };
    await t.db
      .$transaction((tx) =>
        indexPerceptualHashes(tx, { platformId: owner.platformId, fingerprintId: file!.fingerprintId }, input),
      )
      .then(() => expect.unreachable(), refusal);
    await findNearDuplicates(t.db, input, SEARCH).then(() => expect.unreachable(), refusal);
    expect(await t.db.perceptualHash.count()).toBe(before);
  });

  test("a threshold or quality floor out of range", async () => {
    const query = { alg: "pdq" as const, value: hash, quality: 100 };
    for (const [search, pointer] of [
      [{ threshold: 48, qualityFloor: 50 }, "/threshold"],
      [{ threshold: -1, qualityFloor: 50 }, "/threshold"],
      [{ threshold: 1.5, qualityFloor: 50 }, "/threshold"],
      [{ threshold: 31, qualityFloor: 101 }, "/qualityFloor"],
    ] as const) {
      await expect(findNearDuplicates(t.db, query, search)).rejects.toMatchObject({
        code: "invalid_perceptual_hash",
        issues: [{ pointer }],
      });
    }
  });
});
