// PDQ's quality: how much significant gradient the 64×64 downsample has, 0 (flat, e.g. a blank
// or near-uniform frame, whose hash means little) to 100. A heuristic of the reference
// (pdqImageDomainQualityMetric in ThreatExchange pdq/cpp/hashing/pdqhashing.cpp): each neighbour
// difference in percent of the full range, truncated to an integer, summed, divided by 90.

const f = Math.fround;

export function pdqQuality(buffer64x64: Float32Array): number {
  let gradientSum = 0;
  for (let i = 0; i < 63; i++) {
    for (let j = 0; j < 64; j++) {
      const d = Math.trunc(f(f(f(buffer64x64[i * 64 + j]! - buffer64x64[(i + 1) * 64 + j]!) * 100) / 255));
      gradientSum += Math.abs(d);
    }
  }
  for (let i = 0; i < 64; i++) {
    for (let j = 0; j < 63; j++) {
      const d = Math.trunc(f(f(f(buffer64x64[i * 64 + j]! - buffer64x64[i * 64 + j + 1]!) * 100) / 255));
      gradientSum += Math.abs(d);
    }
  }
  return Math.min(100, Math.trunc(gradientSum / 90));
}
