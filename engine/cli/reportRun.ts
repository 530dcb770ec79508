import type { RunResult } from '../executor/executePlan.js';
import type { Workspace } from '../workspace/workspace.js';
import type { CliContext } from './cliContext.js';
import { EXIT, type ExitCode } from './cliIo.js';
import { formatDuration } from './formatDuration.js';
import { runSummary } from './runSummary.js';

/** Prints how a run ended (a JSON summary with --json) and maps its state to the exit code. */
export async function reportRun(workspace: Workspace, result: RunResult, context: CliContext, json: boolean): Promise<ExitCode> {
  const summary = await runSummary(workspace.store, result.runId);
  if (json) context.io.out(`${JSON.stringify(summary, null, 2)}\n`);
  else if (summary) {
    const counts = new Map<string, number>();
    for (const task of summary.tasks) counts.set(task.state, (counts.get(task.state) ?? 0) + 1);
    const took = summary.durationMs === undefined ? '' : ` in ${formatDuration(summary.durationMs)}`;
    context.io.out(`run ${summary.runId} ${summary.state}${took}: ${[...counts].map(([state, n]) => `${n} ${state}`).join(', ')}\n`);
    for (const task of summary.tasks.filter((t) => t.state === 'failed')) {
      context.io.err(`  ✖ ${task.error?.message ?? `${task.node} failed`}\n`);
      if (task.error?.hint) context.io.err(`    ${task.error.hint}\n`);
    }
    if (summary.state === 'failed' || summary.state === 'cancelled') context.io.out(`resume with: trellis resume ${summary.runId}\n`);
    for (const task of summary.tasks.filter((t) => t.state === 'waiting')) {
      // Only an approval is decided by a person; a sensor goes on by itself at the next resume.
      const approval = await workspace.services.approvals.get(summary.runId, task.node);
      const decide = approval?.state === 'waiting' ? `\n    decide: trellis approve|reject ${summary.runId} ${task.node} --comment "…"` : '';
      context.io.out(`  ⏸ ${task.node}: ${task.reason ?? 'awaiting a decision'}${decide}\n`);
    }
    if (summary.state === 'waiting') context.io.out(`then continue with: trellis resume ${summary.runId}\n`);
  }
  return result.state === 'succeeded' ? EXIT.ok : result.state === 'waiting' ? EXIT.waiting : EXIT.failed;
}
