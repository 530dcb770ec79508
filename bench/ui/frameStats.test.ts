import { describe, expect, it } from 'vitest';
import { frameStats } from './frameStats.js';

describe('frameStats', () => {
  it('takes nearest-rank median and p95 whatever the input order', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(frameStats(values)).toEqual({ count: 100, median: 50, p95: 95, max: 100 });
  });

  it('is NaN for no frames rather than a made-up zero', () => {
    expect(frameStats([]).median).toBeNaN();
  });
});
