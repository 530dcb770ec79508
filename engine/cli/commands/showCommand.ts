import { parseArgs } from 'node:util';
import { TablePreviewSchema, type TablePreview } from '../../data/tablePreviewSchema.js';
import type { Workspace } from '../../workspace/workspace.js';
import { openWorkspace, type CliContext } from '../cliContext.js';
import { EXIT, UsageError, type CliIo, type ExitCode } from '../cliIo.js';
import { formatDuration } from '../formatDuration.js';
import { formatTable } from '../formatTable.js';
import { runSummary, type RunSummary } from '../runSummary.js';

const USAGE = 'usage: trellis show RUN [--node NODE [--port PORT]] [--json]';

/** A run, one of its tasks, or the preview of one output port. */
export async function showCommand(args: string[], context: CliContext): Promise<ExitCode> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { node: { type: 'string' }, port: { type: 'string' }, json: { type: 'boolean' } } });
  const [runId] = positionals;
  if (!runId) throw new UsageError(USAGE);
  if (values.port !== undefined && values.node === undefined) throw new UsageError('--port needs --node');
  const workspace = await openWorkspace(context);
  try {
    const summary = await runSummary(workspace.store, runId);
    if (!summary) throw new UsageError(`There is no run "${runId}". List runs with \`trellis runs\`.`);
    if (values.node === undefined) {
      if (values.json) context.io.out(`${JSON.stringify(summary, null, 2)}\n`);
      else printRun(context.io, summary);
      return EXIT.ok;
    }
    const task = summary.tasks.find((t) => t.node === values.node);
    if (!task) throw new UsageError(`Run ${runId} has no node "${values.node}". Its nodes: ${summary.tasks.map((t) => t.node).join(', ')}.`);
    if (values.port === undefined) {
      const transitions = await workspace.store.getTransitions(runId, task.node);
      if (values.json) context.io.out(`${JSON.stringify({ ...task, transitions }, null, 2)}\n`);
      else {
        context.io.out(`${task.node} (${task.type}): ${task.state}${task.durationMs === undefined ? '' : ` in ${formatDuration(task.durationMs)}`}, attempts ${task.attempts}\n`);
        if (task.cache) context.io.out(`cache: ${task.cache.outcome} — ${task.cache.reason}\n`);
        if (task.reason) context.io.out(`reason: ${task.reason}\n`);
        if (task.error) context.io.out(`error (${task.error.kind}): ${task.error.message}\n${task.error.hint ? `hint: ${task.error.hint}\n` : ''}${task.error.stack ? `${task.error.stack}\n` : ''}`);
        for (const [name, value] of Object.entries(task.metrics)) context.io.out(`metric ${name} = ${value}\n`);
        const decision = decisionOf(task.outputs);
        if (decision) context.io.out(`decision: ${decision}\n`);
        for (const [port, value] of Object.entries(task.outputs)) {
          context.io.out(`output ${port}: ${value.kind}${value.kind === 'table' ? ` ${value.rows} rows × ${value.columns.length} columns` : ''}${'artifact' in value ? ` (${value.artifact.slice(0, 12)})` : ''}\n`);
        }
        context.io.out(`history: ${transitions.map((t) => `${t.state}${t.attempt > 1 ? `#${t.attempt}` : ''}`).join(' → ')}\n`);
      }
      return EXIT.ok;
    }
    const value = task.outputs[values.port];
    if (!value) throw new UsageError(`Node ${task.node} has no output "${values.port}" in run ${runId}. Its outputs: ${Object.keys(task.outputs).join(', ') || 'none'}.`);
    if (value.kind !== 'table') {
      context.io.out(`${JSON.stringify(value, null, 2)}\n`);
      return EXIT.ok;
    }
    const preview = readPreview(workspace, value.preview);
    if (!preview) throw new UsageError(`The preview of ${task.node}.${values.port} is not available (its artifact was removed).`);
    if (values.json) context.io.out(`${JSON.stringify(preview, null, 2)}\n`);
    else printPreview(context.io, preview);
    return EXIT.ok;
  } finally {
    await workspace.close();
  }
}

/** What a control node decided (control.branch puts it in its output's details), if anything. */
function decisionOf(outputs: RunSummary['tasks'][number]['outputs']): string | undefined {
  for (const [port, value] of Object.entries(outputs)) {
    const reason = value.kind === 'metrics' ? value.details.reason : undefined;
    if (typeof reason === 'string') return `${reason} → "${port}"`;
  }
  return undefined;
}

function readPreview(workspace: Workspace, id: string | undefined): TablePreview | undefined {
  if (id === undefined || !workspace.artifacts.has(id)) return undefined;
  const parsed = TablePreviewSchema.safeParse(workspace.artifacts.readJson(id));
  return parsed.success ? parsed.data : undefined;
}

function printRun(io: CliIo, summary: RunSummary): void {
  io.out(`run ${summary.runId} of ${summary.pipelineId}: ${summary.state}, started ${summary.startedAt}${summary.durationMs === undefined ? '' : `, took ${formatDuration(summary.durationMs)}`}\n`);
  if (summary.error) io.out(`error: ${summary.error}\n`);
  io.out(formatTable(['NODE', 'TYPE', 'STATE', 'ATTEMPTS', 'DURATION', 'DETAIL'], summary.tasks.map((task) => [
    task.node,
    task.type,
    task.state,
    String(task.attempts),
    task.durationMs === undefined ? '' : formatDuration(task.durationMs),
    task.error?.message ?? task.reason ?? decisionOf(task.outputs) ?? (task.cache ? `cache ${task.cache.outcome}: ${task.cache.reason}` : ''),
  ])));
}

function printPreview(io: CliIo, preview: TablePreview): void {
  io.out(`${preview.rows} rows × ${preview.columns.length} columns\n\n`);
  const fmt = (v: number | string | null): string => (v === null ? '' : typeof v === 'number' ? String(+v.toPrecision(6)) : v);
  io.out(formatTable(['COLUMN', 'TYPE', 'NULLS', 'DISTINCT', 'MIN', 'MAX', 'MEAN', 'STD'], preview.stats.map((s) => [s.name, s.type, String(s.nulls), String(s.distinct), fmt(s.min), fmt(s.max), fmt(s.mean), fmt(s.std)])));
  io.out(`\nfirst ${preview.sample.length} rows:\n`);
  io.out(formatTable(preview.columns.map((c) => c.name), preview.sample.map((row) => preview.columns.map((c) => {
    const cell = row[c.name];
    return cell === null || cell === undefined ? '' : typeof cell === 'object' ? JSON.stringify(cell) : String(cell);
  }))));
}
