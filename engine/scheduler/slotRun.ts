import type { ExecutionPlan } from '../compile/executionPlan.js';
import type { PipelineDocument } from '../format/pipelineDocument.js';
import type { Workspace } from '../workspace/workspace.js';

/** The pipeline param every scheduled or backfilled run carries: its slot's logical date. */
export const LOGICAL_DATE_PARAM = 'logical_date';

export type SlotPlan = { ok: true; plan: ExecutionPlan } | { ok: false; reason: string };

/**
 * Compiles a pipeline for one slot. A pipeline that declares a string param `logical_date` gets
 * the slot's date as its value (so node params can use `{{ params.logical_date }}`); one that does
 * not still records it among the run's params, so every scheduled run says which slot it was.
 */
export function planForSlot(workspace: Workspace, document: PipelineDocument, logicalDate: string): SlotPlan {
  const declared = Object.hasOwn(document.params, LOGICAL_DATE_PARAM) ? document.params[LOGICAL_DATE_PARAM] : undefined;
  if (declared && declared.type !== 'string') {
    return { ok: false, reason: `pipeline "${document.id}" declares param "${LOGICAL_DATE_PARAM}" as ${declared.type}; the scheduler sets it to an ISO date-time text, so declare it as "string"` };
  }
  const compiled = workspace.compileDocument(document, declared ? { [LOGICAL_DATE_PARAM]: logicalDate } : {});
  if (!compiled.ok) {
    const problems = compiled.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
    return { ok: false, reason: `pipeline "${document.id}" does not compile: ${problems.join('; ')}` };
  }
  const plan = declared ? compiled.plan : { ...compiled.plan, params: { ...compiled.plan.params, [LOGICAL_DATE_PARAM]: logicalDate } };
  return { ok: true, plan };
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
