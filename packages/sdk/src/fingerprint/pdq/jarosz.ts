// Downsampling by Jarosz filters: two passes of box blurs along rows and columns approximate a
// tent filter, then one sample per output cell. Follows ThreatExchange pdq/cpp/downscaling/
// downscaling.cpp (computeJaroszFilterWindowSize, box1DFloat, jaroszFilterFloat, decimateFloat).
// Every arithmetic step is rounded to float32 (Math.fround) as the reference computes in `float`,
// so that the same luma gives the same bits.

const f = Math.fround;

/** Window of one box pass: half of one output cell, rounded up (the reference's formula). */
export function jaroszWindowSize(oldDimension: number, newDimension: number): number {
  return Math.floor((oldDimension + 2 * newDimension - 1) / (2 * newDimension));
}

/**
 * One running-mean box blur over `length` values read and written with `stride`: the window
 * grows at the start and shrinks at the end, as box1DFloat does (phases 1–4).
 */
function box1D(
  input: Float32Array,
  output: Float32Array,
  offset: number,
  length: number,
  stride: number,
  window: number,
) {
  const half = Math.floor((window + 2) / 2);
  const phase1 = half - 1;
  const phase2 = window - half + 1;
  const phase3 = length - window;
  const phase4 = half - 1;
  let li = offset;
  let ri = offset;
  let oi = offset;
  let sum = 0;
  let size = 0;
  for (let i = 0; i < phase1; i++) {
    sum = f(sum + input[ri]!);
    size++;
    ri += stride;
  }
  for (let i = 0; i < phase2; i++) {
    sum = f(sum + input[ri]!);
    size++;
    output[oi] = sum / size;
    ri += stride;
    oi += stride;
  }
  for (let i = 0; i < phase3; i++) {
    sum = f(sum + input[ri]!);
    sum = f(sum - input[li]!);
    output[oi] = sum / size;
    li += stride;
    ri += stride;
    oi += stride;
  }
  for (let i = 0; i < phase4; i++) {
    sum = f(sum - input[li]!);
    size--;
    output[oi] = sum / size;
    li += stride;
    oi += stride;
  }
}

/**
 * `box1D` down every column at once, walking the rows in memory order: the same additions,
 * subtractions and divisions for each column, in the same order, so the same float32 results; a
 * column at a time would read one value per cache line.
 */
function boxColumns(input: Float32Array, output: Float32Array, rows: number, columns: number, window: number) {
  const half = Math.floor((window + 2) / 2);
  const phase1 = half - 1;
  const phase2 = window - half + 1;
  const phase3 = rows - window;
  const phase4 = half - 1;
  const sums = new Float32Array(columns);
  let li = 0;
  let ri = 0;
  let oi = 0;
  let size = 0;
  for (let i = 0; i < phase1; i++, ri += columns) {
    for (let c = 0; c < columns; c++) sums[c] = sums[c]! + input[ri + c]!;
    size++;
  }
  for (let i = 0; i < phase2; i++, ri += columns, oi += columns) {
    size++;
    for (let c = 0; c < columns; c++) {
      const sum = f(sums[c]! + input[ri + c]!);
      sums[c] = sum;
      output[oi + c] = sum / size;
    }
  }
  for (let i = 0; i < phase3; i++, li += columns, ri += columns, oi += columns) {
    for (let c = 0; c < columns; c++) {
      const sum = f(f(sums[c]! + input[ri + c]!) - input[li + c]!);
      sums[c] = sum;
      output[oi + c] = sum / size;
    }
  }
  for (let i = 0; i < phase4; i++, li += columns, oi += columns) {
    size--;
    for (let c = 0; c < columns; c++) {
      const sum = f(sums[c]! - input[li + c]!);
      sums[c] = sum;
      output[oi + c] = sum / size;
    }
  }
}

/**
 * Blurs `a` in place (`b` is scratch of the same size) with `passes` row-then-column box passes:
 * jaroszFilterFloat. `rowWindow` runs along each row, `columnWindow` along each column.
 */
export function jaroszFilter(
  a: Float32Array,
  b: Float32Array,
  rows: number,
  columns: number,
  rowWindow: number,
  columnWindow: number,
  passes: number,
): void {
  for (let pass = 0; pass < passes; pass++) {
    for (let i = 0; i < rows; i++) box1D(a, b, i * columns, columns, 1, rowWindow);
    boxColumns(b, a, rows, columns, columnWindow);
  }
}

/** Samples the centre of each output cell (decimateFloat): no averaging, the blur did that. */
export function decimate(
  input: Float32Array,
  rows: number,
  columns: number,
  output: Float32Array,
  outRows: number,
  outColumns: number,
): void {
  for (let oi = 0; oi < outRows; oi++) {
    const ii = Math.trunc(((oi + 0.5) * rows) / outRows);
    for (let oj = 0; oj < outColumns; oj++) {
      const ij = Math.trunc(((oj + 0.5) * columns) / outColumns);
      output[oi * outColumns + oj] = input[ii * columns + ij]!;
    }
  }
}
