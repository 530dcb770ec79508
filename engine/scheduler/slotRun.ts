import type { ExecutionPlan } from '../compile/executionPlan.js';
import type { PipelineDocument } from '../format/pipelineDocument.js';
import type { Workspace } from '../workspace/workspace.js';

/** The pipeline param every scheduled or backfilled run carries: its slot's logical date. */
export const LOGICAL_DATE_PARAM = 'logical_date';
/** Set when declared: the slot's local day, `YYYY-MM-DD`, for nodes that take a date (e.g. partitions). */
export const LOGICAL_DAY_PARAM = 'logical_day';

export type SlotPlan = { ok: true; plan: ExecutionPlan } | { ok: false; reason: string };

/**
 * Compiles a pipeline for one slot. A pipeline that declares a string param `logical_date` gets
 * the slot's date as its value (so node params can use `{{ params.logical_date }}`), and one that
 * declares `logical_day` gets its local day; one that declares neither still records the logical
 * date among the run's params, so every scheduled run says which slot it was.
 */
export function planForSlot(workspace: Workspace, document: PipelineDocument, logicalDate: string): SlotPlan {
  const values: Record<string, string> = { [LOGICAL_DATE_PARAM]: logicalDate, [LOGICAL_DAY_PARAM]: logicalDate.slice(0, 10) };
  const overrides: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    const declared = Object.hasOwn(document.params, name) ? document.params[name] : undefined;
    if (!declared) continue;
    if (declared.type !== 'string') {
      return { ok: false, reason: `pipeline "${document.id}" declares param "${name}" as ${declared.type}; the scheduler sets it to text (${value}), so declare it as "string"` };
    }
    overrides[name] = value;
  }
  const compiled = workspace.compileDocument(document, overrides);
  if (!compiled.ok) {
    const problems = compiled.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
    return { ok: false, reason: `pipeline "${document.id}" does not compile: ${problems.join('; ')}` };
  }
  const { plan } = compiled;
  return { ok: true, plan: Object.hasOwn(overrides, LOGICAL_DATE_PARAM) ? plan : { ...plan, params: { ...plan.params, [LOGICAL_DATE_PARAM]: logicalDate } } };
}

/** What a scheduler or backfill that takes over a running slot does with its run. */
export type TakeOver = { action: 'start' } | { action: 'resume' } | { action: 'finish'; state: 'succeeded' | 'failed' } | { action: 'wait' };

/**
 * Reads a taken-over slot's run: never created (its driver died between claim and start: start it
 * under the same id), interrupted or cancelled (resume it), finished (record that), or still
 * running in a live process (wait). A run whose process is gone is marked interrupted first.
 */
export async function takeOverRun(workspace: Workspace, runId: string, isAlive: (pid: number, host: string) => boolean): Promise<TakeOver> {
  let run = await workspace.store.getRun(runId);
  if (run?.state === 'running' && !isAlive(run.pid, run.host)) {
    await workspace.store.markInterrupted(isAlive);
    run = await workspace.store.getRun(runId);
  }
  if (!run) return { action: 'start' };
  if (run.state === 'succeeded' || run.state === 'failed') return { action: 'finish', state: run.state };
  if (run.state === 'interrupted' || run.state === 'cancelled') return { action: 'resume' };
  return { action: 'wait' };
}
