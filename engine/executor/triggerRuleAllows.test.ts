import { describe, expect, it } from 'vitest';
import type { TriggerRule } from '../format/triggerRule.js';
import { triggerRuleAllows, type UpstreamCounts } from './triggerRuleAllows.js';

const counts = (partial: Partial<UpstreamCounts>): UpstreamCounts => ({ pending: 0, succeeded: 0, failed: 0, skipped: 0, cancelled: 0, excused: 0, ...partial });

// [rule, upstream, decision]
const cases: Array<[TriggerRule, Partial<UpstreamCounts>, 'run' | 'wait' | 'skip']> = [
  ['all_succeeded', { succeeded: 2 }, 'run'],
  ['all_succeeded', { succeeded: 1, pending: 1 }, 'wait'],
  ['all_succeeded', { failed: 1, pending: 1 }, 'skip'],
  ['all_succeeded', { skipped: 1, succeeded: 1 }, 'skip'],
  ['all_succeeded', { failed: 1, excused: 1, succeeded: 1 }, 'run'],
  ['all_succeeded', { cancelled: 1 }, 'skip'],
  ['all_succeeded', {}, 'run'],
  ['all_done', { succeeded: 1, failed: 1, skipped: 1 }, 'run'],
  ['all_done', { failed: 1, pending: 1 }, 'wait'],
  ['all_done', { cancelled: 2 }, 'run'],
  ['always', { failed: 2 }, 'run'],
  ['always', { pending: 1 }, 'wait'],
  ['one_succeeded', { succeeded: 1, failed: 2 }, 'run'],
  ['one_succeeded', { succeeded: 1, pending: 1 }, 'wait'],
  ['one_succeeded', { failed: 1, skipped: 1 }, 'skip'],
  ['one_failed', { failed: 1, succeeded: 3 }, 'run'],
  ['one_failed', { failed: 1, pending: 1 }, 'wait'],
  ['one_failed', { succeeded: 2 }, 'skip'],
  ['one_failed', { skipped: 1 }, 'skip'],
  ['none_failed', { succeeded: 1, skipped: 1 }, 'run'],
  ['none_failed', { skipped: 2 }, 'run'],
  ['none_failed', { skipped: 1, pending: 1 }, 'wait'],
  ['none_failed', { failed: 1, pending: 1 }, 'skip'],
  ['none_failed', { cancelled: 1 }, 'skip'],
];

describe('triggerRuleAllows', () => {
  it.each(cases)('%s with %o: %s', (rule, upstream, expected) => {
    expect(triggerRuleAllows(rule, counts(upstream)).decision).toBe(expected);
  });

  it('says why it skips', () => {
    expect(triggerRuleAllows('one_failed', counts({ succeeded: 2, skipped: 1 }))).toEqual({ decision: 'skip', reason: 'trigger rule one_failed: no upstream failed (upstream 2 succeeded, 1 skipped)' });
  });
});
