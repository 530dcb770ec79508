import { z } from 'zod';
import { RetryPolicySchema } from '../format/pipelineDocument.js';
import { TriggerRuleSchema } from '../format/triggerRule.js';

export const PLAN_FORMAT = 'trellis.plan/1';

export const PortRefSchema = z.object({ node: z.string(), port: z.string() });
export type PortRef = z.infer<typeof PortRefSchema>;

export const PlanNodeSchema = z.object({
  id: z.string(),
  type: z.string(),
  version: z.int(),
  title: z.string(),
  /** Params after pipeline-param substitution and defaults. */
  params: z.record(z.string(), z.unknown()),
  /** Data inputs: for each input port, the outputs feeding it, in edge order. */
  inputs: z.record(z.string(), z.array(PortRefSchema)),
  /** Every node this one waits for (data and control edges), sorted. */
  dependsOn: z.array(z.string()),
  retry: RetryPolicySchema,
  timeoutMs: z.int().optional(),
  cache: z.boolean(),
  continueOnFailure: z.boolean(),
  /** Absent means all_succeeded (plans written before trigger rules have none). */
  triggerRule: TriggerRuleSchema.optional(),
  /**
   * Control edges from one output ("branch.true" → node): the node runs only if that output was
   * produced; otherwise this upstream counts as skipped ("branch not taken").
   */
  gates: z.array(PortRefSchema).optional(),
  /** Upstream nodes linked by a plain control edge ("a" → "b"), which the node needs to succeed. */
  after: z.array(z.string()).optional(),
});
export type PlanNode = z.infer<typeof PlanNodeSchema>;

/** What runs: the document compiled against a catalog. Nodes are in topological order. */
export const ExecutionPlanSchema = z.object({
  format: z.literal(PLAN_FORMAT),
  pipelineId: z.string(),
  pipelineName: z.string(),
  pipelineHash: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  nodes: z.array(PlanNodeSchema),
});
export type ExecutionPlan = z.infer<typeof ExecutionPlanSchema>;

/** Node ids downstream of `from` (inclusive), following dependsOn backwards. */
export function descendantsOf(plan: ExecutionPlan, from: string): Set<string> {
  const result = new Set<string>([from]);
  for (const node of plan.nodes) {
    if (node.dependsOn.some((dep) => result.has(dep))) result.add(node.id);
  }
  return result;
}

/** Node ids upstream of `to` (inclusive). */
export function ancestorsOf(plan: ExecutionPlan, to: string): Set<string> {
  const byId = new Map(plan.nodes.map((n) => [n.id, n]));
  const result = new Set<string>();
  const stack = [to];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (result.has(id)) continue;
    result.add(id);
    for (const dep of byId.get(id)?.dependsOn ?? []) stack.push(dep);
  }
  return result;
}
