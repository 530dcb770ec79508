import { z } from 'zod';

/**
 * When a node runs, judged from the states of the nodes it depends on (Airflow's trigger
 * rules, with one deliberate difference: a rule only decides to *run* once every upstream is
 * done, so a node always sees every value its upstreams produced and its cache key is stable;
 * a rule may decide to *skip* early).
 *
 * - `all_succeeded` (default): every upstream produced outputs. A failed, skipped or cancelled
 *   upstream skips the node, unless the node can do without it (it only feeds optional inputs,
 *   or it failed with continueOnFailure).
 * - `all_done`: every upstream finished, in any state.
 * - `one_succeeded`: every upstream finished and at least one produced outputs.
 * - `one_failed`: every upstream finished and at least one failed (an alert path).
 * - `none_failed`: no upstream failed or was cancelled; skipped ones are fine (a join after a branch).
 * - `always`: runs whatever happened upstream; like `all_done` it waits for its upstreams so its
 *   inputs are complete (Airflow's "no dependencies at all" has no meaning where edges carry data).
 *
 * Under every rule a required input without a value still skips the node, with the reason.
 */
export const TRIGGER_RULES = ['all_succeeded', 'all_done', 'one_succeeded', 'one_failed', 'none_failed', 'always'] as const;
export const TriggerRuleSchema = z.enum(TRIGGER_RULES);
export type TriggerRule = z.infer<typeof TriggerRuleSchema>;
