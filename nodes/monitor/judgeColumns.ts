import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { readFeatures } from '../../engine/data/readFeatures.js';
import { categoricalColumnDrift, type ColumnOutcome } from '../../engine/ml/drift/columnDrift.js';
import type { ColumnOverride, DriftSettings } from '../../engine/ml/drift/driftPolicy.js';
import { ColumnDriftSchema, SkippedColumnSchema, type ColumnDrift, type SkippedColumn } from '../../engine/ml/drift/driftResult.js';
import { judgeNumericColumns, type JudgePayload } from '../../engine/ml/drift/driftTask.js';
import { computeTask } from '../../engine/node/computeTask.js';
import type { NodeContext } from '../../engine/node/nodeContext.js';
import type { TableValue } from '../../engine/node/portValue.js';
import { categoryCounts, numericSelect, type PlannedColumn } from './driftColumns.js';

/** Below this many numeric values (both tables, all columns) the statistics run on the node's own thread. */
const WORKER_THRESHOLD = 200_000;

const OutcomeSchema = z.union([z.object({ drift: ColumnDriftSchema }), z.object({ skipped: SkippedColumnSchema })]);

/**
 * Judges planned columns of a reference and a current table by the drift policy: numeric ones
 * from typed arrays (on worker threads when large), categorical ones from counts grouped in SQL.
 * Shared by monitor.data_drift (input columns) and monitor.prediction_drift (model outputs).
 */
export async function judgeColumns(
  ctx: NodeContext<unknown>,
  reference: TableValue,
  current: TableValue,
  planned: readonly PlannedColumn[],
  overrides: ReadonlyMap<string, ColumnOverride>,
  settings: DriftSettings,
): Promise<{ judged: ColumnDrift[]; skipped: SkippedColumn[] }> {
  const numeric = planned.filter((c) => c.kind === 'numeric');
  const categorical = planned.filter((c) => c.kind === 'categorical');
  const outcomes = new Map<string, ColumnOutcome>();
  for (const outcome of await judgeNumeric(ctx, reference, current, numeric, overrides, settings)) outcomes.set(nameOf(outcome), outcome);
  ctx.progress(0.8, categorical.length > 0 ? 'comparing categorical columns' : 'done');
  for (const [i, column] of categorical.entries()) {
    ctx.signal.throwIfAborted();
    const { counts, missing } = await categoryCounts(ctx.data, reference, current, column);
    outcomes.set(column.name, categoricalColumnDrift(column.name, counts, missing, overrides.get(column.name), settings));
    ctx.progress(0.8 + (0.2 * (i + 1)) / categorical.length, `categories of ${column.name}`);
  }

  const judged: ColumnDrift[] = [];
  const skipped: SkippedColumn[] = [];
  for (const column of planned) {
    const outcome = outcomes.get(column.name);
    if (!outcome) continue;
    if ('drift' in outcome) judged.push(outcome.drift);
    else skipped.push(outcome.skipped);
  }
  return { judged, skipped };
}

/**
 * Reads the numeric columns into Float64Arrays (DuckDB → typed arrays, no row objects) and judges
 * them: here for small inputs, on worker threads for large ones, one shard of columns per core,
 * the samples transferred (not copied) and sorted in place there.
 */
async function judgeNumeric(
  ctx: NodeContext<unknown>,
  reference: TableValue,
  current: TableValue,
  columns: readonly PlannedColumn[],
  overrides: ReadonlyMap<string, ColumnOverride>,
  settings: DriftSettings,
): Promise<ColumnOutcome[]> {
  if (columns.length === 0) return [];
  const names = columns.map((c) => c.name);
  ctx.progress(0, 'reading the reference');
  const ref = await readFeatures(ctx.data, numericSelect(ctx.data, reference, columns), names, { expectedRows: reference.rows, signal: ctx.signal });
  ctx.progress(0.2, 'reading the current table');
  const cur = await readFeatures(ctx.data, numericSelect(ctx.data, current, columns), names, { expectedRows: current.rows, signal: ctx.signal });
  ctx.progress(0.4, 'comparing numeric columns');
  const items = names.map((name, i) => ({ name, reference: ref.columns[i]!, current: cur.columns[i]!, override: overrides.get(name) }));
  if ((ref.rows + cur.rows) * names.length < WORKER_THRESHOLD) return judgeNumericColumns({ settings, columns: items });

  const shards = Math.max(1, Math.min(items.length, availableParallelism()));
  const work = Array.from({ length: shards }, (_, s) => items.filter((_, i) => i % shards === s));
  const task = computeTask(import.meta.url, '../../engine/ml/drift/driftTask', 'judgeNumericColumns');
  const results = await Promise.all(
    work.map(async (shard) => {
      const payload: JudgePayload = { settings, columns: shard };
      const transfer = shard.flatMap((c) => [c.reference.buffer, c.current.buffer]).filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
      const raw = await ctx.compute<unknown>(task, payload, transfer);
      return z.array(OutcomeSchema).parse(raw);
    }),
  );
  return results.flat();
}

function nameOf(outcome: ColumnOutcome): string {
  return 'drift' in outcome ? outcome.drift.column : outcome.skipped.column;
}

