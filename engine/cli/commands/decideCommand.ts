import { parseArgs } from 'node:util';
import { isApprovalError, type ApprovalDecision } from '../../approvals/approvalStore.js';
import type { Command } from '../main.js';
import { cliActor } from '../cliActor.js';
import { openWorkspace } from '../cliContext.js';
import { EXIT, UsageError } from '../cliIo.js';

/**
 * `trellis approve|reject RUN NODE --comment …`: decides a waiting approval from any process. The
 * executor driving the run sees it at its next poll; a run nobody drives (`waiting`) goes on with
 * `trellis resume RUN`. The decision and its comment go to the audit log as `cli:<os user>`.
 */
export function decideCommand(decision: ApprovalDecision): Command {
  const verb = decision === 'approve' ? 'approve' : 'reject';
  const usage = `usage: trellis ${verb} RUN NODE --comment TEXT [--json]`;
  return async (args, context) => {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { comment: { type: 'string' }, json: { type: 'boolean' } } });
    const [runId, nodeId, ...extra] = positionals;
    if (runId === undefined || nodeId === undefined || extra.length > 0) throw new UsageError(usage);
    if (values.comment === undefined || values.comment.trim() === '') throw new UsageError(`${verb} needs --comment TEXT: why, for the audit log`);
    const workspace = await openWorkspace(context);
    try {
      let record;
      try {
        record = await workspace.services.approvals.decide({ runId, nodeId, decision, actor: cliActor(context.io.env), comment: values.comment });
      } catch (cause) {
        if (isApprovalError(cause)) throw new UsageError(cause.message);
        throw cause;
      }
      const run = await workspace.store.getRun(runId);
      if (values.json) {
        context.io.out(`${JSON.stringify({ approval: record, runState: run?.state ?? null }, null, 2)}\n`);
        return EXIT.ok;
      }
      const outcome = record.byTimeout ? `was already past its timeout: ${record.state} by default` : `${record.state} by ${record.decidedBy ?? ''}`;
      context.io.out(`${nodeId} of run ${runId} ${outcome}\n`);
      if (run?.state === 'waiting') context.io.out(`no process drives the run now; continue it with: trellis resume ${runId}\n`);
      else if (run?.state === 'running') context.io.out(`the process running it (pid ${run.pid} on ${run.host}) picks the decision up within seconds\n`);
      return EXIT.ok;
    } finally {
      await workspace.close();
    }
  };
}
