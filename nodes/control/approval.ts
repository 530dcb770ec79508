import { z } from 'zod';
import { approvalDeadline } from '../../engine/approvals/approvalStore.js';
import { defineNode } from '../../engine/node/nodeDefinition.js';
import { NodeError } from '../../engine/node/nodeError.js';
import type { NodeOutputs } from '../../engine/node/portValue.js';
import { TaskDeferral } from '../../engine/node/taskDeferral.js';
import { DURATION_HELP, parseDuration } from '../../engine/util/parseDuration.js';

const DurationText = z.string().refine((text) => text.trim() === '' || parseDuration(text) !== undefined, { message: `a duration is ${DURATION_HELP}, or empty to wait for ever` });

/**
 * A human gate: the run waits here until someone approves or rejects (`trellis approve|reject
 * RUN NODE`, the app's approvals inbox, the HTTP API), or until the timeout applies its default.
 *
 * The request and the decision live in the workspace's approval store, never in this process:
 * while nothing is decided the node throws a TaskDeferral, so the executor frees its worker slot
 * and polls the store; a decision from any process is seen at the next poll, and a run whose
 * process ended meanwhile continues with `trellis resume`. Approved: the input passes through
 * and downstream runs. Rejected: the node fails with who rejected it and why, and what depends on
 * it is skipped.
 *
 * Volatile: a cached approval from an earlier run must never stand in for this run's decision.
 */
export default defineNode({
  type: 'control.approval',
  version: 1,
  title: 'Approval',
  category: 'control',
  description: 'Waits for a person to approve or reject (trellis approve/reject, the approvals inbox); passes its input through when approved, fails when rejected.',
  inputs: [{ name: 'value', type: 'any', optional: true, description: 'what is being approved (e.g. a model); passed through when approved' }],
  outputs: [
    { name: 'value', type: 'any', optional: true, description: 'the input, once approved (absent when nothing is connected)' },
    { name: 'decision', type: 'metrics', description: 'approved (1), waited_ms, by_timeout (1/0); who, when and the comment in details' },
  ],
  volatile: true,
  params: z.object({
    message: z.string().min(1).default('Approve this run to continue?').describe('what the approver is asked; shown in trellis approvals and the inbox'),
    timeout: DurationText.default('').describe(`how long to wait before the default decision applies (${DURATION_HELP}); empty waits for ever`),
    onTimeout: z.enum(['approve', 'reject']).default('reject').describe('the decision that applies when the timeout passes'),
    pollSeconds: z.number().min(0.01).max(3600).default(2).describe('how often a waiting run checks for the decision'),
  }),
  async execute(ctx) {
    const { message, onTimeout, pollSeconds } = ctx.params;
    const approvals = ctx.services.approvals;
    const timeoutMs = ctx.params.timeout.trim() === '' ? null : (parseDuration(ctx.params.timeout) ?? null);
    let record = await approvals.request({ runId: ctx.runId, nodeId: ctx.nodeId, pipelineId: ctx.pipelineId, message, timeoutMs, onTimeout });
    const deadline = approvalDeadline(record);
    if (record.state === 'waiting' && deadline !== undefined && Date.now() >= deadline) {
      await approvals.expireDue(Date.now());
      record = (await approvals.get(ctx.runId, ctx.nodeId)) ?? record;
    }
    if (record.state === 'waiting') {
      ctx.log.info(`waiting for approval: ${message} — decide with \`trellis approve ${ctx.runId} ${ctx.nodeId} --comment …\` or \`trellis reject …\``);
      throw new TaskDeferral({
        message: `awaiting approval: ${message}${deadline === undefined ? '' : ` (${onTimeout} by default at ${new Date(deadline).toISOString()})`}`,
        pollMs: Math.round(pollSeconds * 1000),
        ready: async () => {
          const current = await approvals.get(ctx.runId, ctx.nodeId);
          return current?.state !== 'waiting' || (deadline !== undefined && Date.now() >= deadline);
        },
      });
    }
    const who = `${record.byTimeout ? 'by timeout' : `by ${record.decidedBy ?? 'someone'}`} at ${new Date(record.decidedAt ?? 0).toISOString()}${record.comment ? `: ${record.comment}` : ''}`;
    if (record.state === 'rejected') {
      throw new NodeError(`Approval "${ctx.nodeId}" was rejected ${who}.`, {
        hint: 'What depends on this approval is skipped. Run the pipeline again to ask anew.',
      });
    }
    ctx.log.info(`approved ${who}`);
    const waited = (record.decidedAt ?? record.requestedAt) - record.requestedAt;
    ctx.metric('approval.waited_ms', waited);
    const outputs: NodeOutputs = {
      decision: {
        kind: 'metrics',
        values: { approved: 1, waited_ms: waited, by_timeout: record.byTimeout ? 1 : 0 },
        details: { decidedBy: record.decidedBy, decidedAt: record.decidedAt, comment: record.comment, message: record.message },
      },
    };
    const input = ctx.inputs.all('value')[0];
    if (input) outputs.value = input;
    return outputs;
  },
});
