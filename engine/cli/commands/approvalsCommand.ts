import { parseArgs } from 'node:util';
import { approvalDeadline, type ApprovalRecord } from '../../approvals/approvalStore.js';
import { describeDuration } from '../../util/describeDuration.js';
import { openWorkspace, type CliContext } from '../cliContext.js';
import { EXIT, UsageError, type ExitCode } from '../cliIo.js';
import { formatTable } from '../formatTable.js';

const USAGE = 'usage: trellis approvals [--all] [--json]';

const when = (time: number): string => new Date(time).toISOString().replace('T', ' ').slice(0, 19);

/** What waits for a person's approval (or, with --all, every approval and its decision). */
export async function approvalsCommand(args: string[], context: CliContext): Promise<ExitCode> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { all: { type: 'boolean' }, json: { type: 'boolean' } } });
  if (positionals.length > 0) throw new UsageError(USAGE);
  const workspace = await openWorkspace(context);
  try {
    const approvals = workspace.services.approvals;
    // A deadline that passed while no process watched still decides, before anyone is shown it.
    await approvals.expireDue(Date.now());
    const records = await approvals.list(values.all ? {} : { state: 'waiting' });
    if (values.json) {
      context.io.out(`${JSON.stringify(records.map((r) => ({ ...r, deadline: approvalDeadline(r) ?? null })), null, 2)}\n`);
      return EXIT.ok;
    }
    if (records.length === 0) {
      context.io.out(values.all ? 'no approvals yet: a pipeline with a control.approval node asks for one\n' : 'nothing waits for approval\n');
      return EXIT.ok;
    }
    const rows = records.map((r) => [
      r.pipelineId,
      r.runId,
      r.nodeId,
      when(r.requestedAt),
      r.message,
      timeoutText(r),
      ...(values.all ? [r.state, r.decidedBy ?? '', r.comment ?? ''] : []),
    ]);
    context.io.out(formatTable(['PIPELINE', 'RUN', 'NODE', 'SINCE', 'MESSAGE', 'TIMEOUT', ...(values.all ? ['STATE', 'BY', 'COMMENT'] : [])], rows));
    if (!values.all) context.io.out('\ndecide with: trellis approve|reject RUN NODE --comment "…"\n');
    return EXIT.ok;
  } finally {
    await workspace.close();
  }
}

function timeoutText(record: ApprovalRecord): string {
  const deadline = approvalDeadline(record);
  return deadline === undefined ? 'none' : `${record.onTimeout} at ${when(deadline)} (after ${describeDuration(record.timeoutMs ?? 0)})`;
}
