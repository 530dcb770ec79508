import type { TriggerRule } from '../format/triggerRule.js';

/**
 * How a node's upstreams have ended so far. `excused` counts the non-successes the node can do
 * without (it only reads optional inputs from them, or they failed with continueOnFailure): they
 * do not block `all_succeeded`.
 */
export interface UpstreamCounts {
  pending: number;
  succeeded: number;
  failed: number;
  skipped: number;
  cancelled: number;
  excused: number;
}

export type TriggerDecision = { decision: 'run' } | { decision: 'wait' } | { decision: 'skip'; reason: string };

/** Whether a node may run now, must wait for more upstreams, or is skipped (see TriggerRule). */
export function triggerRuleAllows(rule: TriggerRule, upstream: UpstreamCounts): TriggerDecision {
  const done = upstream.pending === 0;
  const wait: TriggerDecision = { decision: 'wait' };
  const run: TriggerDecision = { decision: 'run' };
  switch (rule) {
    case 'all_succeeded': {
      const blocking = upstream.failed + upstream.skipped + upstream.cancelled - upstream.excused;
      if (blocking > 0) return { decision: 'skip', reason: `trigger rule all_succeeded: ${describe(upstream)}` };
      return done ? run : wait;
    }
    case 'none_failed':
      if (upstream.failed + upstream.cancelled > 0) return { decision: 'skip', reason: `trigger rule none_failed: ${describe(upstream)}` };
      return done ? run : wait;
    case 'all_done':
    case 'always':
      return done ? run : wait;
    case 'one_succeeded':
      if (!done) return wait;
      return upstream.succeeded > 0 ? run : { decision: 'skip', reason: `trigger rule one_succeeded: no upstream succeeded (${describe(upstream)})` };
    case 'one_failed':
      if (!done) return wait;
      return upstream.failed > 0 ? run : { decision: 'skip', reason: `trigger rule one_failed: no upstream failed (${describe(upstream)})` };
  }
}

function describe(upstream: UpstreamCounts): string {
  const parts = (['succeeded', 'failed', 'skipped', 'cancelled'] as const).filter((k) => upstream[k] > 0).map((k) => `${upstream[k]} ${k}`);
  return parts.length > 0 ? `upstream ${parts.join(', ')}` : 'no upstream finished';
}
