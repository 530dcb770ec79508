import { describe, expect, it } from 'vitest';
import { Random } from '../random.js';
import { binaryLogisticLoss, packBinaryLogistic } from './binaryLogisticKernel.js';

/** The data term the plain way: one row at a time, Math.exp and Math.log1p. */
function reference(columns: Float64Array[], y: Int32Array, weights: Float64Array | null, params: Float64Array, start: number, end: number): { loss: number; gradient: Float64Array } {
  const d = columns.length;
  const gradient = new Float64Array(d + 1);
  let loss = 0;
  for (let i = start; i < end; i++) {
    let z = params[d]!;
    for (let j = 0; j < d; j++) z += params[j]! * columns[j]![i]!;
    const w = weights ? weights[i]! : 1;
    loss += w * (Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - y[i]! * z);
    const r = w * (1 / (1 + Math.exp(-z)) - y[i]!);
    for (let j = 0; j < d; j++) gradient[j] = gradient[j]! + r * columns[j]![i]!;
    gradient[d] = gradient[d]! + r;
  }
  return { loss, gradient };
}

describe('binaryLogisticLoss', () => {
  const random = new Random(3);
  const cases = [
    { rows: 1, d: 1, weighted: false, scale: 1 },
    { rows: 1237, d: 7, weighted: false, scale: 1 },
    { rows: 2050, d: 4, weighted: true, scale: 3 },
    { rows: 999, d: 9, weighted: true, scale: 200 },
  ];
  for (const c of cases) {
    it(`matches the row-by-row loss and gradient (${c.rows} rows, ${c.d} features${c.weighted ? ', weighted' : ''}, scores up to ~${c.scale * c.d})`, () => {
      const columns = Array.from({ length: c.d }, () => Float64Array.from({ length: c.rows }, () => random.normal() * c.scale));
      const y = Int32Array.from({ length: c.rows }, () => (random.next() < 0.4 ? 1 : 0));
      const weights = c.weighted ? Float64Array.from({ length: c.rows }, () => random.next() * 2) : null;
      const params = Float64Array.from({ length: c.d + 1 }, () => random.normal());
      const packed = packBinaryLogistic(columns, y, weights, 2);
      // The whole table, and two shards on two slots (the second one odd-ended).
      const split = 2 * Math.floor(c.rows / 4);
      for (const [start, end, slot] of [[0, c.rows, 0], [0, split, 0], [split, c.rows, 1]] as const) {
        const gradient = new Float64Array(c.d + 1).fill(1);
        const loss = binaryLogisticLoss(packed, params, gradient, start, end, slot);
        const expected = reference(columns, y, weights, params, start, end);
        const size = Math.max(1, Math.abs(expected.loss));
        expect(Math.abs(loss - expected.loss) / size).toBeLessThan(1e-12);
        expected.gradient.forEach((g, j) => expect(Math.abs(gradient[j]! - 1 - g)).toBeLessThan(1e-10 * Math.max(1, Math.abs(g))));
      }
    });
  }

  it('matches Math.exp and Math.log1p to a few ulps across the whole range of scores', () => {
    const zs = [0, 1e-300, -1e-300, 1e-17, -1e-17, 1e-8, 0.3, -0.3, Math.SQRT2 - 1, 0.5, -0.5, 0.8813735870195429, 1, -1, 2.5, -7, 20, -20, 36, -36, 40, -40, 300, -300, 707, -707, 745, -745, 800, -800];
    for (const z of zs) {
      // z in either lane of a pair; the other row's score (−1000) adds nothing above 1e-300.
      for (const rows of [[z, -1000], [-1000, z]]) {
        const packed = packBinaryLogistic([Float64Array.from(rows)], new Int32Array(2), null, 1);
        const gradient = new Float64Array(2);
        const loss = binaryLogisticLoss(packed, Float64Array.of(1, 0), gradient, 0, 2, 0);
        const expected = Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
        expect(Math.abs(loss - expected), `z = ${z}`).toBeLessThanOrEqual(4 * Number.EPSILON * expected + 1e-300);
        const p = 1 / (1 + Math.exp(-z));
        expect(Math.abs(gradient[1]! - p), `z = ${z}`).toBeLessThanOrEqual(4 * Number.EPSILON * p + 1e-300);
      }
    }
  });
});
