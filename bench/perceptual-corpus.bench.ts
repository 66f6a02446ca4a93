import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  matchVpdq,
  pdqDihedralFromImage,
  pdqDistance,
  pdqFromImage,
  PDQ_DECODE_DIMENSION,
  PDQ_MATCH_DEFAULTS,
  vpdqFromVideo,
  type VpdqFrame,
} from "../packages/sdk/src/fingerprint.ts";
import sharp from "sharp";
import { median } from "./lib/load.ts";
import type { BenchContext, Benchmark, BenchResult } from "./lib/types.ts";

const FIXTURES = fileURLToPath(new URL("../test/fixtures/pdq/", import.meta.url));
const { distanceThreshold: THRESHOLD, qualityThreshold: QUALITY_FLOOR } = PDQ_MATCH_DEFAULTS;

/** A seeded generator (mulberry32): the same corpus every run. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ["harbour", "morning", "Atelier", "Nord", "garden", "Plaza", "route 66", "Café", "delta", "studio"];

/**
 * A natural-looking 1920×1080 scene: a sky and a ground in gradients, a sun, hills, buildings and
 * trees in shaded shapes, a sign with words, and film grain; every element placed by `seed`.
 */
async function scene(seed: number): Promise<Buffer> {
  const r = random(seed);
  const hsl = (h: number, s: number, l: number) => `hsl(${Math.round(h)},${Math.round(s)}%,${Math.round(l)}%)`;
  const hue = r() * 360;
  const horizon = 400 + r() * 400;
  const parts: string[] = [
    `<defs><linearGradient id="sky" x1="0" y1="0" x2="${r()}" y2="1">
       <stop offset="0" stop-color="${hsl(hue, 60, 30 + r() * 30)}"/><stop offset="1" stop-color="${hsl(hue + 40, 50, 70 + r() * 20)}"/>
     </linearGradient><linearGradient id="ground" x1="0" y1="0" x2="0" y2="1">
       <stop offset="0" stop-color="${hsl(hue + 120 + r() * 60, 40, 40)}"/><stop offset="1" stop-color="${hsl(hue + 150, 30, 10 + r() * 20)}"/>
     </linearGradient><radialGradient id="shade"><stop offset="0" stop-color="#fff" stop-opacity="0.5"/><stop offset="1" stop-color="#000" stop-opacity="0.4"/></radialGradient>
     <filter id="soft"><feGaussianBlur stdDeviation="${1 + r() * 4}"/></filter></defs>`,
    `<rect width="1920" height="1080" fill="url(#sky)"/>`,
    `<circle cx="${r() * 1920}" cy="${r() * horizon * 0.6}" r="${40 + r() * 120}" fill="${hsl(40 + r() * 20, 90, 75)}" filter="url(#soft)"/>`,
  ];
  for (let i = 0; i < 3 + r() * 4; i++) {
    const points = Array.from({ length: 8 }, (_, k) => `${(k / 7) * 1920},${horizon - r() * 300}`);
    parts.push(
      `<polygon points="0,1080 ${points.join(" ")} 1920,1080" fill="${hsl(hue + 100 + r() * 80, 30, 20 + r() * 40)}" opacity="${0.5 + r() * 0.5}"/>`,
    );
  }
  parts.push(`<rect y="${horizon}" width="1920" height="${1080 - horizon}" fill="url(#ground)" opacity="0.85"/>`);
  for (let i = 0; i < 4 + r() * 10; i++) {
    const w = 60 + r() * 240;
    const h = 100 + r() * 500;
    const x = r() * 1920;
    parts.push(
      `<rect x="${x}" y="${horizon - h + r() * 60}" width="${w}" height="${h}" fill="${hsl(r() * 360, 20 + r() * 50, 20 + r() * 60)}"/>`,
      `<rect x="${x}" y="${horizon - h}" width="${w}" height="${h}" fill="url(#shade)"/>`,
    );
    for (let k = 0; k < 3 + r() * 12; k++) {
      parts.push(
        `<rect x="${x + r() * (w - 20)}" y="${horizon - h + r() * (h - 30)}" width="${8 + r() * 20}" height="${10 + r() * 25}" fill="${hsl(50, 80, 60 + r() * 30)}"/>`,
      );
    }
  }
  for (let i = 0; i < 3 + r() * 12; i++) {
    const x = r() * 1920;
    const y = horizon + r() * (1080 - horizon);
    const size = 30 + r() * 150;
    parts.push(
      `<rect x="${x - size / 10}" y="${y - size}" width="${size / 5}" height="${size}" fill="${hsl(25, 40, 20)}"/>`,
      `<ellipse cx="${x}" cy="${y - size}" rx="${size * 0.6}" ry="${size * 0.8}" fill="${hsl(90 + r() * 50, 40 + r() * 30, 20 + r() * 30)}"/>`,
      `<ellipse cx="${x - size * 0.15}" cy="${y - size * 1.15}" rx="${size * 0.3}" ry="${size * 0.4}" fill="url(#shade)"/>`,
    );
  }
  const words = `${WORDS[Math.floor(r() * WORDS.length)]} ${WORDS[Math.floor(r() * WORDS.length)]}`;
  parts.push(
    `<text x="${100 + r() * 900}" y="${200 + r() * 700}" font-family="DejaVu Sans, sans-serif" font-weight="bold"
       font-size="${50 + r() * 90}" fill="${hsl(r() * 360, 70, 50 + r() * 40)}" transform="rotate(${r() * 20 - 10})">${words}</text>`,
  );
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1920" height="1080">${parts.join("")}</svg>`;
  const grain = Buffer.alloc(960 * 540);
  for (let i = 0; i < grain.length; i++) grain[i] = 128 + Math.round((r() + r() + r() - 1.5) * 60);
  const texture = await sharp(grain, { raw: { width: 960, height: 540, channels: 1 } })
    .resize(1920, 1080)
    .png()
    .toBuffer();
  return sharp(Buffer.from(svg))
    .composite([{ input: texture, blend: "soft-light" }])
    .jpeg({ quality: 90 })
    .toBuffer();
}

/** Gaussian-ish noise of about ±`amount` on every channel, as a sensor or a re-upload adds. */
async function noisy(image: Buffer, amount: number): Promise<Buffer> {
  const { data, info } = await sharp(image).raw().toBuffer({ resolveWithObject: true });
  const r = random(data.length);
  for (let i = 0; i < data.length; i++) data[i] = Math.max(0, Math.min(255, data[i]! + (r() + r() - 1) * amount));
  return sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } })
    .jpeg({ quality: 85 })
    .toBuffer();
}

async function watermark(image: Buffer): Promise<Buffer> {
  const { width = 0, height = 0 } = await sharp(image).metadata();
  const size = Math.round(height / 18);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <text x="${width - size / 2}" y="${height - size / 2}" text-anchor="end" font-family="DejaVu Sans, sans-serif"
      font-size="${size}" fill="white" fill-opacity="0.7" stroke="black" stroke-opacity="0.4">© uploader.example 2026</text></svg>`;
  return sharp(image)
    .composite([{ input: Buffer.from(svg) }])
    .jpeg({ quality: 85 })
    .toBuffer();
}

async function crop(image: Buffer, share: number): Promise<Buffer> {
  const { width = 0, height = 0 } = await sharp(image).metadata();
  const left = Math.round((width * share) / 2);
  const top = Math.round((height * share) / 2);
  return sharp(image)
    .extract({ left, top, width: width - 2 * left, height: height - 2 * top })
    .jpeg({ quality: 85 })
    .toBuffer();
}

/** The transforms of issue 18, item 7; the geometric ones are matched with PDQ's dihedral variants. */
const IMAGE_TRANSFORMS: Array<{ name: string; geometric?: true; apply(image: Buffer): Promise<Buffer> }> = [
  { name: "JPEG quality 30", apply: (i) => sharp(i).jpeg({ quality: 30 }).toBuffer() },
  {
    name: "resize to 50 %",
    apply: async (i) => {
      const { width = 0 } = await sharp(i).metadata();
      return sharp(i)
        .resize(Math.round(width / 2))
        .jpeg({ quality: 85 })
        .toBuffer();
    },
  },
  { name: "crop 5 % (2.5 % each side)", apply: (i) => crop(i, 0.05) },
  { name: "brightness +20 %", apply: (i) => sharp(i).modulate({ brightness: 1.2 }).jpeg({ quality: 85 }).toBuffer() },
  { name: "text watermark", apply: watermark },
  { name: "blur (σ 3)", apply: (i) => sharp(i).blur(3).jpeg({ quality: 85 }).toBuffer() },
  { name: "noise (±25)", apply: (i) => noisy(i, 25) },
  { name: "rotation by 90°", geometric: true, apply: (i) => sharp(i).rotate(90).jpeg({ quality: 85 }).toBuffer() },
  { name: "mirror", geometric: true, apply: (i) => sharp(i).flop().jpeg({ quality: 85 }).toBuffer() },
];

interface Hashed {
  source: number;
  hash: string;
  quality: number;
}

const usable = (h: { quality: number }) => h.quality >= QUALITY_FLOOR;

async function imageQuality(ctx: BenchContext, scenes: Buffer[]): Promise<BenchResult[]> {
  const fixtures = fs
    .readdirSync(FIXTURES)
    .filter((f) => /^(q\d+\.jpg|pen-and-coaster\.png|bridge-1-original\.jpg)$/.test(f))
    .map((f) => fs.readFileSync(path.join(FIXTURES, f)));
  const sources = [...scenes, ...fixtures];
  const originals = await Promise.all(sources.map(async (s, source) => ({ source, ...(await pdqFromImage(s)) })));
  const kept = originals.filter(usable);
  ctx.log(`${sources.length} images (${scenes.length} generated), ${kept.length} at or above quality ${QUALITY_FLOOR}`);
  const results: BenchResult[] = [];
  const everything: Hashed[] = [...kept];
  for (const transform of IMAGE_TRANSFORMS) {
    let plain = 0;
    let dihedral = 0;
    const distances: number[] = [];
    for (const original of kept) {
      const copy = await transform.apply(sources[original.source]!);
      const hashed = await pdqFromImage(copy);
      const d = pdqDistance(original.hash, hashed.hash);
      distances.push(d);
      if (usable(hashed) && d <= THRESHOLD) plain++;
      if (transform.geometric) {
        // The reference matches a rotated or mirrored copy by hashing the query's eight variants.
        const variants = await pdqDihedralFromImage(copy);
        const nearest = Math.min(...Object.values(variants.hashes).map((v) => pdqDistance(original.hash, v)));
        if (usable(variants) && nearest <= THRESHOLD) dihedral++;
      } else {
        everything.push({ source: original.source, ...hashed });
      }
    }
    const recall = (n: number) => (100 * n) / kept.length;
    results.push({
      name: `perceptual: PDQ recall, ${transform.name}${transform.geometric ? " (hash as is)" : ""}`,
      value: Number(recall(plain).toFixed(1)),
      unit: "%",
      ...(!transform.geometric && { target: "≥ 99 %", pass: recall(plain) >= 99 }),
    });
    if (transform.geometric) {
      results.push({
        name: `perceptual: PDQ recall, ${transform.name} (dihedral variants)`,
        value: Number(recall(dihedral).toFixed(1)),
        unit: "%",
      });
    }
    ctx.log(
      `${transform.name}: ${plain}/${kept.length} within ${THRESHOLD} as is` +
        (transform.geometric ? `, ${dihedral} with the dihedral variants` : "") +
        `; distances ${distances.join(" ")}`,
    );
  }
  // Unrelated pairs: every two hashes (originals and non-geometric copies) of different images.
  let pairs = 0;
  let falsePositives = 0;
  for (let i = 0; i < everything.length; i++) {
    for (let j = i + 1; j < everything.length; j++) {
      if (everything[i]!.source === everything[j]!.source || !usable(everything[j]!)) continue;
      pairs++;
      if (pdqDistance(everything[i]!.hash, everything[j]!.hash) <= THRESHOLD) falsePositives++;
    }
  }
  const rate = (100 * falsePositives) / pairs;
  results.push({
    name: `perceptual: PDQ false positives, ${pairs.toLocaleString("en")} unrelated pairs`,
    value: Number(rate.toFixed(3)),
    unit: "%",
    target: "≤ 0.1 %",
    pass: rate <= 0.1,
  });
  return results;
}

/** How much the RSS of this process grows, at its peak, while `work` runs (sampled every 5 ms), in MiB. */
async function peakRss<T>(work: () => Promise<T>): Promise<{ result: T; mib: number }> {
  const before = process.memoryUsage.rss();
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { result, mib: (peak - before) / 2 ** 20 };
  } finally {
    clearInterval(timer);
  }
}

const mib = (n: number) => Number(n.toFixed(1));

/** PDQ of a 1080p JPEG (decode, shrink, hash) against sharp's decode and shrink alone, paired. */
async function imageSpeed(ctx: BenchContext, images: Buffer[]): Promise<BenchResult[]> {
  const rounds = ctx.quick ? 6 : 24;
  const decode = (jpeg: Buffer) =>
    sharp(jpeg)
      .rotate()
      .resize(PDQ_DECODE_DIMENSION, PDQ_DECODE_DIMENSION, { fit: "fill", withoutEnlargement: true })
      .toColourspace("srgb")
      .removeAlpha()
      .raw()
      .toBuffer();
  for (const image of images) await Promise.all([pdqFromImage(image), decode(image)]);
  const pdq: number[] = [];
  const alone: number[] = [];
  const timed = async (samples: number[], work: () => Promise<unknown>) => {
    const start = performance.now();
    await work();
    samples.push(performance.now() - start);
  };
  const pdqRss = await peakRss(async () => {
    for (let i = 0; i < rounds; i++) await timed(pdq, () => pdqFromImage(images[i % images.length]!));
  });
  const sharpRss = await peakRss(async () => {
    for (let i = 0; i < rounds; i++) await timed(alone, () => decode(images[i % images.length]!));
  });
  // Paired again, alternating, so that a change of load hits both sides alike.
  for (let i = 0; i < rounds; i++) {
    const image = images[i % images.length]!;
    if (i % 2) {
      await timed(pdq, () => pdqFromImage(image));
      await timed(alone, () => decode(image));
    } else {
      await timed(alone, () => decode(image));
      await timed(pdq, () => pdqFromImage(image));
    }
  }
  const ratio = median(pdq) / median(alone);
  return [
    {
      name: "perceptual: PDQ time per 1080p JPEG (decode + shrink + hash)",
      value: Number(median(pdq).toFixed(2)),
      unit: "ms",
      baseline: { name: "sharp decode + shrink alone", value: Number(median(alone).toFixed(2)) },
      ratio,
      target: "ratio ≤ 1.5",
      pass: ratio <= 1.5,
      samplesMs: pdq,
      baselineSamplesMs: alone,
    },
    {
      name: "perceptual: RSS growth hashing 1080p JPEGs (PDQ)",
      value: mib(pdqRss.mib),
      unit: "MiB",
      baseline: { name: "sharp decoding alone", value: mib(sharpRss.mib) },
    },
  ];
}

function ffmpeg(args: string[]): void {
  execFileSync("ffmpeg", ["-nostdin", "-hide_banner", "-loglevel", "error", "-y", ...args]);
}

/**
 * A video that moves: two generated scenes, each panned and zoomed across for half the time, so
 * that its frames differ from second to second as filmed content does.
 */
async function sceneVideo(dir: string, seed: number, seconds: number, width: number, height: number) {
  const stills = await Promise.all(
    [0, 1].map(async (k) => {
      const file = path.join(dir, `still-${seed}-${k}.jpg`);
      fs.writeFileSync(file, await scene(seed * 7 + k));
      return file;
    }),
  );
  const half = seconds / 2;
  const pan = (input: number, dx: number, dy: number) =>
    `[${input}:v]scale=${width * 2}:${height * 2},crop=${width}:${height}:x='${width / 2}+${dx}*t/${half}*${width / 2}':y='${height / 2}+${dy}*t/${half}*${height / 2}',trim=duration=${half},setpts=PTS-STARTPTS[v${input}]`;
  const file = path.join(dir, `video-${seed}.mp4`);
  ffmpeg([
    ...["-loop", "1", "-framerate", "25", "-i", stills[0]!, "-loop", "1", "-framerate", "25", "-i", stills[1]!],
    "-filter_complex",
    `${pan(0, 0.8, 0.4)};${pan(1, -0.6, 0.5)};[v0][v1]concat=n=2:v=1[out]`,
    ...["-map", "[out]", "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-b:v", "4M", file],
  ]);
  return file;
}

const VIDEO_TRANSFORMS: Array<{ name: string; args: string[] }> = [
  { name: "re-encode at 300 kbit/s", args: ["-c:v", "libx264", "-b:v", "300k"] },
  { name: "480p", args: ["-vf", "scale=-2:480", "-c:v", "libx264", "-crf", "28"] },
  { name: "trimmed start (first 2 s cut)", args: ["-ss", "2", "-c:v", "libx264", "-crf", "23"] },
];

async function videoQuality(ctx: BenchContext, dir: string): Promise<BenchResult[]> {
  const count = ctx.quick ? 2 : 5;
  const originals: Array<{ source: number; file: string; frames: VpdqFrame[] }> = [];
  for (let source = 0; source < count; source++) {
    const file = await sceneVideo(dir, 100 + source, 8, ctx.quick ? 640 : 1280, ctx.quick ? 360 : 720);
    originals.push({ source, file, frames: await vpdqFromVideo(file) });
  }
  const everything = [...originals];
  const results: BenchResult[] = [];
  for (const transform of VIDEO_TRANSFORMS) {
    let matched = 0;
    for (const original of originals) {
      const copy = path.join(dir, `copy-${original.source}-${VIDEO_TRANSFORMS.indexOf(transform)}.mp4`);
      const [input, rest] =
        transform.args[0] === "-ss" ? [transform.args.slice(0, 2), transform.args.slice(2)] : [[], transform.args];
      ffmpeg([...input, "-i", original.file, ...rest, copy]);
      const frames = await vpdqFromVideo(copy);
      if (matchVpdq(frames, original.frames).match) matched++;
      everything.push({ source: original.source, file: copy, frames });
    }
    const recall = (100 * matched) / originals.length;
    results.push({
      name: `perceptual: vPDQ recall, ${transform.name}`,
      value: Number(recall.toFixed(1)),
      unit: "%",
      target: "≥ 99 %",
      pass: recall >= 99,
    });
  }
  let pairs = 0;
  let falsePositives = 0;
  for (const a of everything) {
    for (const b of everything) {
      if (a.source === b.source) continue;
      pairs++;
      if (matchVpdq(a.frames, b.frames).match) falsePositives++;
    }
  }
  ctx.log(`${everything.length} videos, ${pairs} ordered unrelated pairs, ${falsePositives} matched`);
  const rate = (100 * falsePositives) / pairs;
  results.push({
    name: `perceptual: vPDQ false positives, ${pairs} unrelated pairs`,
    value: Number(rate.toFixed(2)),
    unit: "%",
    target: "≤ 0.1 %",
    pass: rate <= 0.1,
  });
  return results;
}

/**
 * An ffmpeg that records its own peak RSS (`/usr/bin/time`) in `log`, given to vpdqFromVideo as
 * its ffmpeg program; "$@" passes the arguments through untouched.
 */
function timedFfmpeg(dir: string, log: string): string {
  const script = `${log}.sh`;
  fs.writeFileSync(script, `#!/bin/sh\nexec /usr/bin/time -f %M -o "${log}" ffmpeg "$@"\n`, { mode: 0o755 });
  return script;
}

const maxRssMib = (log: string) => Number(fs.readFileSync(log, "utf8").trim().split("\n").at(-1)) / 1024;

/** Runs ffmpeg as vpdqFromVideo does, with the same selection and scaling, sending the frames nowhere. */
function ffmpegAlone(file: string, wrapper: string): Promise<void> {
  const filter =
    "select='isnan(prev_selected_t)+gte(t-prev_selected_t\\,1)',showinfo,scale=512:512:flags=area,format=rgb24";
  const args = ["-nostdin", "-hide_banner", "-loglevel", "info", "-i", file, "-map", "0:v:0", "-an", "-sn", "-dn"];
  const child = spawn(
    wrapper,
    [...args, "-vf", filter, "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"],
    { stdio: ["ignore", "pipe", "ignore"] },
  );
  child.stdout.resume();
  return new Promise((resolve, reject) =>
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exited with ${code}`)))),
  );
}

/** vPDQ of a 1080p video against ffmpeg decoding the same frames alone, in frames per second. */
async function videoSpeed(ctx: BenchContext, dir: string): Promise<BenchResult[]> {
  const seconds = ctx.quick ? 2 : 8;
  const file = await sceneVideo(dir, 7, seconds, 1920, 1080);
  const frames = seconds * 25;
  const vpdqLog = path.join(dir, "vpdq-ffmpeg.rss");
  const aloneLog = path.join(dir, "alone-ffmpeg.rss");
  const vpdqFfmpeg = timedFfmpeg(dir, vpdqLog);
  const aloneFfmpeg = timedFfmpeg(dir, aloneLog);
  const vpdq: number[] = [];
  const alone: number[] = [];
  let nodeRss = 0;
  for (let i = 0; i < (ctx.quick ? 1 : 3); i++) {
    let start = performance.now();
    const { mib: rss } = await peakRss(() => vpdqFromVideo(file, { ffmpegPath: vpdqFfmpeg }));
    vpdq.push(performance.now() - start);
    nodeRss = Math.max(nodeRss, rss);
    start = performance.now();
    await ffmpegAlone(file, aloneFfmpeg);
    alone.push(performance.now() - start);
  }
  const fps = (ms: number) => (frames * 1000) / ms;
  const ratio = fps(median(vpdq)) / fps(median(alone));
  return [
    {
      name: "perceptual: vPDQ frames per second, 1080p H.264 (1 hash a second)",
      value: Number(fps(median(vpdq)).toFixed(1)),
      unit: "frames/s",
      baseline: { name: "ffmpeg decoding the same frames alone", value: Number(fps(median(alone)).toFixed(1)) },
      ratio,
      target: "ratio ≥ 0.7",
      pass: ratio >= 0.7,
    },
    {
      name: "perceptual: peak RSS of vPDQ (its ffmpeg + the Node process's growth)",
      value: mib(maxRssMib(vpdqLog) + nodeRss),
      unit: "MiB",
      baseline: { name: "ffmpeg alone", value: mib(maxRssMib(aloneLog)) },
      ratio: (maxRssMib(vpdqLog) + nodeRss) / maxRssMib(aloneLog),
    },
  ];
}

/**
 * Issue 18, item 7: PDQ and vPDQ on a corpus the benchmark generates (procedural 1080p scenes, the
 * ThreatExchange regression images, videos panned across scenes), each with the transformed copies
 * of the issue and the unrelated pairs between them, at the default threshold 31 and quality floor
 * 50; and their speed and memory against decoding alone, in the same run.
 */
export const perceptualCorpusBenchmark: Benchmark = {
  name: "perceptual-corpus",
  async run(ctx) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vergewis-bench-perceptual-"));
    try {
      const count = ctx.quick ? 4 : 24;
      ctx.log(`generating ${count} scenes`);
      const scenes: Buffer[] = [];
      for (let seed = 1; seed <= count; seed++) scenes.push(await scene(seed));
      const results = [...(await imageQuality(ctx, scenes)), ...(await imageSpeed(ctx, scenes.slice(0, 4)))];
      ctx.log("videos");
      results.push(...(await videoQuality(ctx, dir)), ...(await videoSpeed(ctx, dir)));
      return results;
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};
