import { z } from 'zod';
import { defineNode } from '../../engine/node/nodeDefinition.js';
import { NodeError } from '../../engine/node/nodeError.js';
import type { MetricsValue } from '../../engine/node/portValue.js';
import { ConditionError, parseCondition, type ConditionScope } from './condition.js';

const Scalar = z.union([z.number(), z.string(), z.boolean()]);

/**
 * Picks one of two paths. The condition reads `metrics.<name>` (the metrics input's values),
 * `table.rows` (the table input's row count) and `values.<name>` (the `values` param: put
 * pipeline params there, `"mode": "{{ params.mode }}"`). Only the taken output is produced:
 * what hangs off the other one (an edge "branch.false" → node, or a required input from it) is
 * skipped with "branch not taken", and the run still succeeds.
 */
export default defineNode({
  type: 'control.branch',
  version: 1,
  title: 'Branch',
  category: 'control',
  description: 'Takes the "true" or the "false" path by a condition over upstream metrics, a table\'s row count or params; the path not taken is skipped.',
  inputs: [
    { name: 'metrics', type: 'metrics', optional: true, description: 'read in the condition as metrics.<name>' },
    { name: 'table', type: 'table', optional: true, description: 'read in the condition as table.rows' },
  ],
  outputs: [
    { name: 'true', type: 'metrics', optional: true, description: 'produced when the condition holds; connect "branch.true" → node' },
    { name: 'false', type: 'metrics', optional: true, description: 'produced when it does not' },
  ],
  params: z.object({
    condition: z
      .string()
      .min(1)
      .superRefine((text, issues) => {
        try {
          parseCondition(text);
        } catch (cause) {
          issues.addIssue({ code: 'custom', message: cause instanceof Error ? cause.message : String(cause) });
        }
      })
      .describe('e.g. metrics.auc >= 0.8 and values.mode == "full" (==, !=, <, <=, >, >=, and, or, not)'),
    values: z.record(z.string(), Scalar).default({}).describe('named values the condition reads as values.<name>, e.g. {"mode": "{{ params.mode }}"}'),
  }),
  async execute(ctx) {
    const scope: ConditionScope = { values: ctx.params.values };
    const metrics = ctx.inputs.all('metrics').find((v): v is MetricsValue => v.kind === 'metrics');
    if (metrics) scope.metrics = metrics.values;
    const table = ctx.inputs.optionalTable('table');
    if (table) scope.table = { rows: table.rows };
    let outcome: ReturnType<ReturnType<typeof parseCondition>['evaluate']>;
    try {
      outcome = parseCondition(ctx.params.condition).evaluate(scope);
    } catch (cause) {
      if (cause instanceof ConditionError) throw new NodeError(cause.message, { param: 'condition' });
      throw cause;
    }
    const taken = outcome.result ? 'true' : 'false';
    const read = Object.entries(outcome.read).map(([name, value]) => `${name} = ${JSON.stringify(value)}`).join(', ');
    const reason = `condition "${ctx.params.condition}" is ${taken}${read ? ` (${read})` : ''}`;
    ctx.log.info(`${reason}: taking "${taken}"; what depends only on "${outcome.result ? 'false' : 'true'}" is skipped`);
    const decision: MetricsValue = { kind: 'metrics', values: { taken: outcome.result ? 1 : 0 }, details: { condition: ctx.params.condition, taken, read: outcome.read, reason } };
    return { [taken]: decision };
  },
});
