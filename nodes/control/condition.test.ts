import { describe, expect, it } from 'vitest';
import { ConditionError, parseCondition, type ConditionScope } from './condition.js';

const scope: ConditionScope = { metrics: { auc: 0.83, rows: 1200, drift: 0 }, values: { mode: 'full', dry: false } };

describe('parseCondition', () => {
  it.each([
    ['metrics.auc >= 0.8', true],
    ['metrics.auc > 0.9', false],
    ['values.mode == "full"', true],
    ["values.mode != 'full'", false],
    ['metrics.auc >= 0.8 and values.mode == "full"', true],
    ['metrics.auc > 0.9 or values.mode == "full"', true],
    ['not values.dry', true],
    ['!(metrics.rows < 1000) && metrics.auc >= 0.8', true],
    ['metrics.drift', false],
    ['metrics.auc > -1', true],
    ['metrics.rows >= 1.2e3', true],
    ['true and not false', true],
    ['"b" > "a"', true],
    ['metrics.auc > 0.9 and metrics.missing > 1', false], // short-circuit: missing never read
  ])('%s is %s', (text, expected) => {
    expect(parseCondition(text).evaluate(scope).result).toBe(expected);
  });

  it('reports the values it read', () => {
    expect(parseCondition('metrics.auc >= 0.8 and values.mode == "full"').evaluate(scope).read).toEqual({ 'metrics.auc': 0.83, 'values.mode': 'full' });
  });

  it.each(['metrics.auc >=', 'metrics.auc >= 0.8 and', '(metrics.auc', 'metrics.auc = 1', 'process.exit()', 'metrics.auc >= 0.8 0.9', 'a; b'])('rejects %s', (text) => {
    expect(() => parseCondition(text)).toThrow(ConditionError);
  });

  it('names a missing value and what is available', () => {
    expect(() => parseCondition('metrics.f1 > 0.5').evaluate(scope)).toThrow(/reads "metrics.f1".*Available: metrics.auc, metrics.rows/);
  });

  it('refuses to order a number against a string', () => {
    expect(() => parseCondition('values.mode > 1').evaluate(scope)).toThrow(/compares two numbers or two strings/);
  });
});
