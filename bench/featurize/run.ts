/**
 * Featurize benchmark: CSV → impute (mean) → standard scale → one-hot → Parquet, Trellis beside
 * pandas + scikit-learn on the same seeded CSV in the same run. Usage:
 *   node dist/bench/featurize/run.js [--rows 1000000] [--seed 42] [--repeats 3] [--keep]
 *   npx tsx bench/featurize/run.ts --rows 100000
 * Each side runs in its own process and reports its own time and peak RSS; with repeats, the
 * sides take turns and each reports its fastest run (other load on the machine only adds time).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ArtifactStore } from '../../engine/artifacts/artifactStore.js';
import { DataEngine } from '../../engine/data/dataEngine.js';
import { formatBytes } from '../lib/peakRss.js';
import { printComparison, type Measurement } from '../lib/printComparison.js';
import { runNodeScript } from '../lib/runNodeScript.js';
import type { PythonResult } from '../lib/runPython.js';
import { CATEGORY_COUNTS, generateCsv, MISSING_PERCENT, NUMERIC_COLUMNS } from './generateCsv.js';
import { runSklearnReference, type ReferenceResult } from './sklearnReference.js';
import { TrellisPartSchema, type ColumnStats, type Stages, type TrellisPartResult } from './trellisPartResult.js';

/** Largest difference in per-column mean and std between two outputs, over the columns both have. */
function agreement(ours: ColumnStats, reference: ColumnStats): string {
  const names = Object.keys(reference);
  const missing = names.filter((n) => !(n in ours));
  const extra = Object.keys(ours).filter((n) => !(n in reference));
  let worst = 0;
  for (const name of names) {
    const a = ours[name];
    const b = reference[name];
    if (a && b) worst = Math.max(worst, Math.abs(a[0] - b[0]), Math.abs(a[1] - b[1]));
  }
  const columns = missing.length || extra.length ? `; columns only in reference: ${missing.join(', ') || '-'}, only in ours: ${extra.join(', ') || '-'}` : '';
  return `${names.length} output columns, largest difference in a column's mean or std: ${worst.toExponential(2)}${columns}`;
}

function stageLine(stages: Stages): string {
  return Object.entries(stages).map(([name, s]) => `${name} ${s.seconds.toFixed(2)}/${s.cpuSeconds.toFixed(2)}`).join(', ');
}

function fastest<T extends { seconds: number }>(best: T | undefined, next: T): T {
  return best && best.seconds <= next.seconds ? best : next;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: '1000000' },
      seed: { type: 'string', default: '42' },
      repeats: { type: 'string', default: '3' },
      keep: { type: 'boolean', default: false },
    },
  });
  const repeats = Number(values.repeats);
  if (!Number.isInteger(repeats) || repeats < 1) throw new Error('--repeats takes a whole number ≥ 1');
  const rows = Number(values.rows);
  const seed = Number(values.seed);
  if (!Number.isInteger(rows) || rows < 10) throw new Error('--rows takes a whole number ≥ 10');
  if (!Number.isInteger(seed)) throw new Error('--seed takes a whole number');

  const dir = mkdtempSync(join(tmpdir(), 'trellis-bench-featurize-'));
  try {
    const csv = join(dir, 'data.csv');
    const generator = await DataEngine.open(new ArtifactStore(join(dir, 'generator')));
    const started = performance.now();
    await generateCsv(generator, csv, rows, seed);
    generator.closeDatabase();
    process.stdout.write(
      `generated ${rows.toLocaleString('en-US')} rows (${NUMERIC_COLUMNS} numeric with ${MISSING_PERCENT}% missing, ${CATEGORY_COUNTS.length} categorical with ${CATEGORY_COUNTS.join('/')} categories), `
      + `${formatBytes(statSync(csv).size)} CSV in ${((performance.now() - started) / 1000).toFixed(1)} s, seed ${seed}, ${availableParallelism()} cores\n`,
    );

    let chain: TrellisPartResult | undefined;
    let nodes: TrellisPartResult | undefined;
    let reference: PythonResult<ReferenceResult> | undefined;
    for (let round = 0; round < repeats; round++) {
      chain = fastest(chain, runNodeScript(import.meta.url, 'trellisPart', ['chain', csv, dir], TrellisPartSchema));
      nodes = fastest(nodes, runNodeScript(import.meta.url, 'trellisPart', ['nodes', csv, dir], TrellisPartSchema));
      for (const mode of ['chain', 'nodes']) rmSync(join(dir, `artifacts-${mode}`), { recursive: true, force: true });
      // A missing reference stays missing: report why, and stop asking.
      if (reference && !reference.ok) continue;
      const next = runSklearnReference(csv, join(dir, 'sklearn'));
      if (!next.ok || !reference?.ok || next.value.seconds < reference.value.seconds) reference = next;
    }
    if (!chain || !nodes || !reference) throw new Error('no rounds ran');

    const ours: Measurement[] = [
      { label: 'trellis chain (one DuckDB query)', seconds: chain.seconds, cpuSeconds: chain.cpuSeconds, peakRssBytes: chain.peakRssBytes, note: 'Parquet (snappy)' },
      { label: 'trellis nodes (Parquet between)', seconds: nodes.seconds, cpuSeconds: nodes.cpuSeconds, peakRssBytes: nodes.peakRssBytes, note: 'Parquet (snappy), 4 table artifacts' },
    ];
    const referenceRow: Measurement | { missing: string } = reference.ok
      ? {
          label: 'pandas + scikit-learn',
          seconds: reference.value.seconds,
          cpuSeconds: reference.value.cpuSeconds,
          peakRssBytes: reference.value.peakRssBytes,
          note: reference.value.format === 'parquet' ? 'Parquet (snappy)' : 'writes .npy (raw float64, no compression): pyarrow is not installed',
        }
      : { missing: reference.reason };
    printComparison({ title: `featurize: CSV → impute(mean) → standard scale → one-hot → file, ${rows.toLocaleString('en-US')} rows, fastest of ${repeats}`, ours, reference: referenceRow, goal: 0.25 });
    process.stdout.write(`  stages (wall/CPU s, fastest run): chain ${stageLine(chain.stages)}\n`);
    process.stdout.write(`                                    nodes ${stageLine(nodes.stages)}\n`);
    if (reference.ok) process.stdout.write(`                                    reference ${stageLine(reference.value.stages)}\n`);
    process.stdout.write(`  chain vs nodes output: ${agreement(chain.stats, nodes.stats)}\n`);
    if (reference.ok) {
      const v = reference.value.versions;
      process.stdout.write(`  trellis vs reference output: ${agreement(chain.stats, reference.value.stats)}\n`);
      process.stdout.write(`  reference: python ${v.python}, pandas ${v.pandas}, scikit-learn ${v.sklearn}\n`);
    }
    if (values.keep) process.stdout.write(`  files kept in ${dir}\n`);
  } finally {
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
