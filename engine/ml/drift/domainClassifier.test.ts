import { describe, expect, it } from 'vitest';
import type { FeatureMatrix } from '../dataset.js';
import { Random } from '../random.js';
import { domainClassifier } from './domainClassifier.js';

/** n rows of (a, b, c): a and b standard normal with correlation `rho`, c uniform; `shift` moves b. */
function sampleRows(n: number, seed: number, shift = 0, rho = 0): FeatureMatrix {
  const random = new Random(seed);
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  const c = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = random.normal();
    b[i] = rho * a[i]! + Math.sqrt(1 - rho * rho) * random.normal() + shift;
    c[i] = random.next();
  }
  return { rows: n, names: ['a', 'b', 'c'], columns: [a, b, c] };
}

describe('domainClassifier', () => {
  it('cannot tell two samples of one distribution apart (AUC near 0.5)', () => {
    const result = domainClassifier(sampleRows(1500, 1), sampleRows(1500, 2));
    expect(result.auc).toBeGreaterThan(0.4);
    expect(result.auc).toBeLessThan(0.58);
    expect(result.trainRows + result.testRows).toBe(3000);
    expect(result.testRows).toBe(900);
  });

  it('separates a shifted column and says it leaned on that column', () => {
    for (const classifier of ['gradient_boosting', 'logistic'] as const) {
      const result = domainClassifier(sampleRows(1500, 1), sampleRows(1500, 2, 1), { classifier });
      expect(result.auc).toBeGreaterThan(0.7);
      expect(result.importance[0]?.feature).toBe('b');
      expect(result.importance.reduce((s, e) => s + e.importance, 0)).toBeCloseTo(1, 12);
    }
  });

  it('finds a changed relation between columns that no single column shows', () => {
    // Both sides: a, b standard normal; only their correlation differs (0 vs 0.9).
    const result = domainClassifier(sampleRows(2000, 1, 0, 0), sampleRows(2000, 2, 0, 0.9));
    expect(result.auc).toBeGreaterThan(0.65);
    expect(result.importance.slice(0, 2).map((e) => e.feature).sort()).toEqual(['a', 'b']);
  });

  it('is seeded: the same inputs and seed give the same AUC; sampling caps each side', () => {
    const reference = sampleRows(3000, 1);
    const current = sampleRows(3000, 2, 0.3);
    const one = domainClassifier(reference, current, { seed: 7, maxRowsPerSide: 1000 });
    const two = domainClassifier(reference, current, { seed: 7, maxRowsPerSide: 1000 });
    expect(two).toEqual(one);
    expect(one.trainRows + one.testRows).toBe(2000);
  });
});
