import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compactCanonicalJson } from '../format/canonicalJson.js';
import { cachePartsText } from './cacheKey.js';

describe('cachePartsText', () => {
  it('is exactly the compact canonical JSON of the parts, so cache keys stay what they were', () => {
    const name = fc.string({ maxLength: 12 });
    fc.assert(
      fc.property(
        fc.record({
          type: name,
          version: fc.integer({ min: 1, max: 1000 }),
          params: fc.string({ maxLength: 64 }),
          inputs: fc.dictionary(name, fc.array(fc.string({ maxLength: 64 }), { maxLength: 3 }), { maxKeys: 4 }),
          files: fc.dictionary(name, fc.string({ maxLength: 64 }), { maxKeys: 3 }),
        }),
        (parts) => {
          expect(cachePartsText(parts)).toBe(compactCanonicalJson(parts));
        },
      ),
      { numRuns: 2000 },
    );
    // Port names that sort specially: ranked keys ("type", "params") and array-index-like ones.
    const odd = { type: 't"x', version: 3, params: 'p', inputs: { type: ['a'], '2': ['b'], params: [], zeta: ['c', 'd'] }, files: { '/b': 'missing', '/a': 'h' } };
    expect(cachePartsText(odd)).toBe(compactCanonicalJson(odd));
  });
});
