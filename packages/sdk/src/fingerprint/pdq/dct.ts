// The part of the 2-D DCT that PDQ keeps: coefficients 1–16 along each axis of the 64×64
// downsample (coefficient 0, the mean, carries no structure). Follows ThreatExchange
// pdq/cpp/hashing/pdqhashing.cpp: the matrix of `dct_matrix_64` and the products of `dct64To16`,
// summed in the reference's order in float32.

const f = Math.fround;

/** 16×64 row-major: row i is the DCT-II basis of frequency i + 1, scaled by √(2/64). */
const DCT_16x64 = (() => {
  const matrix = new Float32Array(16 * 64);
  // The reference stores the scale as float, then multiplies in double and stores as float.
  const scale = f(Math.sqrt(2 / 64));
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 64; j++) {
      matrix[i * 64 + j] = scale * Math.cos((Math.PI / 2 / 64) * (i + 1) * (2 * j + 1));
    }
  }
  return matrix;
})();

/** B = D · A · Dᵀ for the 64×64 `a`; `t` (16×64) is scratch; `b` receives 16×16, row-major. */
export function dct64To16(a: Float32Array, t: Float32Array, b: Float32Array): void {
  const d = DCT_16x64;
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 64; j++) {
      let sum = 0;
      for (let k = 0; k < 64; k++) sum = f(sum + f(d[i * 64 + k]! * a[k * 64 + j]!));
      t[i * 64 + j] = sum;
    }
  }
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 16; j++) {
      let sum = 0;
      for (let k = 0; k < 64; k++) sum = f(sum + f(t[i * 64 + k]! * d[j * 64 + k]!));
      b[i * 16 + j] = sum;
    }
  }
}
