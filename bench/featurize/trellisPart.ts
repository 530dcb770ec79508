/**
 * Our side of the featurize benchmark, run in its own process by run.ts so its peak RSS is its
 * own. Usage: trellisPart <chain|nodes> <csv> <workDir>; prints one JSON line.
 *
 * - chain: DuckDB `read_csv` into memory, each featurizer's `fit` over the chain so far, then the
 *   whole fitted chain as one query into a table artifact (as a featurizer node writes one): the
 *   code the nodes run, without materializing a table between steps.
 * - nodes: the `source.csv` node, then the impute, scale and one-hot nodes' `execute`, wired
 *   fitted → fit and transform → transform, through the same task context the executor builds:
 *   what a pipeline run costs, Parquet between every node.
 *
 * Both report the seconds of each stage, to show where the time goes.
 */
import { join } from 'node:path';
import type { z } from 'zod';
import { ArtifactStore } from '../../engine/artifacts/artifactStore.js';
import { DataEngine, sqlIdentifier, sqlString } from '../../engine/data/dataEngine.js';
import { createTaskContext } from '../../engine/executor/taskContext.js';
import { WorkerPool } from '../../engine/executor/workerPool.js';
import { NodeRegistry } from '../../engine/node/nodeRegistry.js';
import { Workspace } from '../../engine/workspace/workspace.js';
import type { NodeDefinition } from '../../engine/node/nodeDefinition.js';
import type { FileValue, NodeOutputs, PortValue, TableValue } from '../../engine/node/portValue.js';
import type { FitInput } from '../../nodes/featurize/defineFeaturizer.js';
import impute from '../../nodes/featurize/impute.js';
import onehot from '../../nodes/featurize/onehot.js';
import scale from '../../nodes/featurize/scale.js';
import csvSource from '../../nodes/source/csv.js';
import { applyTransformChain, extendTransformChain, type TransformChain, type TransformStep } from '../../engine/featurize/transformChain.js';
import { peakRssBytes } from '../lib/peakRss.js';
import type { ColumnStats, Stages, TrellisPartResult } from './trellisPartResult.js';

/** The same settings on both paths: mean imputation, standard scaling, every category one-hot. */
const IMPUTE = { strategy: 'mean' } as const;
const SCALE = { method: 'standard' } as const;
// Every category kept and nothing for unseen ones, as OneHotEncoder(handle_unknown='ignore').
const ONEHOT = { maxCategories: 1000, rest: 'drop' } as const;

const quiet = { debug(): void {}, info(): void {}, warn(): void {}, error(): void {} };

/** Runs `work` and records its wall and CPU seconds (all threads, DuckDB's included) as `stages[name]`. */
async function timed<T>(stages: Stages, name: string, work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const cpu = process.cpuUsage();
  try {
    return await work();
  } finally {
    const used = process.cpuUsage(cpu);
    stages[name] = { seconds: (performance.now() - start) / 1000, cpuSeconds: (used.user + used.system) / 1e6 };
  }
}

async function fusedChain(data: DataEngine, artifacts: ArtifactStore, csv: string, stages: Stages): Promise<string> {
  await timed(stages, 'read CSV', () => data.run(`CREATE TABLE raw AS SELECT * FROM read_csv(${sqlString(csv)})`));
  const [count] = await data.rows('SELECT count(*)::BIGINT AS n FROM raw');
  const rows = Number(count?.n ?? 0);
  const fits: Array<[string, (input: FitInput) => Promise<TransformStep>]> = [
    ['fit impute', (input) => impute.fit(input, impute.params.parse(IMPUTE))],
    ['fit scale', (input) => scale.fit(input, scale.params.parse(SCALE))],
    ['fit onehot', (input) => onehot.fit(input, onehot.params.parse(ONEHOT))],
  ];
  let chain: TransformChain | undefined;
  for (const [stage, fit] of fits) {
    const columns = chain ? chain.output : await data.describe('SELECT * FROM raw');
    const source = chain ? `(${applyTransformChain(chain, 'raw')})` : 'raw';
    const step = await timed(stages, stage, () => fit({ data, source, columns, rows, log: quiet }));
    const next = extendTransformChain(chain, step, columns, []);
    chain = { ...next, output: await data.describe(applyTransformChain(next, 'raw')) };
  }
  if (!chain) throw new Error('no steps');
  const applied = chain;
  const table = await timed(stages, 'apply + write', () => data.writeTable(applyTransformChain(applied, 'raw')));
  return artifacts.path(table.artifact);
}

async function pipelineNodes(data: DataEngine, artifacts: ArtifactStore, workDir: string, csv: string, stages: Stages): Promise<string> {
  const pool = new WorkerPool(1);
  // Featurizers use no workspace service, but the context carries them as a run's does.
  const { services } = await Workspace.open(join(workDir, 'home'), new NodeRegistry([]));
  const run = async <P extends z.ZodObject>(node: NodeDefinition<P>, raw: z.input<P>, inputs: Record<string, PortValue>): Promise<NodeOutputs> => {
    const params = node.params.parse(raw);
    const connection = await data.connect();
    const task = createTaskContext({
      runId: 'bench', pipelineId: 'bench', pipelineHash: 'bench', nodeId: node.type, attempt: 1, params: {},
      inputs: Object.fromEntries(Object.entries(inputs).map(([port, value]) => [port, [value]])),
      signal: new AbortController().signal, artifacts, data: connection, baseDir: workDir, pool, services,
      log: () => {}, progress: () => {}, metric: () => {},
    });
    try {
      return await timed(stages, node.type, () => node.execute({ ...task.context, params }));
    } finally {
      connection.close();
      task.dispose();
    }
  };
  const table = (value: PortValue | undefined): TableValue => {
    if (value?.kind !== 'table') throw new Error('expected a table output');
    return value;
  };
  const transform = (value: PortValue | undefined): FileValue => {
    if (value?.kind !== 'transform') throw new Error('expected a transform output');
    return value;
  };
  try {
    const raw = await run(csvSource, { path: csv }, {});
    const a = await run(impute, IMPUTE, { fit: table(raw.table) });
    const b = await run(scale, SCALE, { fit: table(a.fitted), transform: transform(a.transform) });
    const c = await run(onehot, ONEHOT, { fit: table(b.fitted), transform: transform(b.transform) });
    return artifacts.path(table(c.fitted).artifact);
  } finally {
    await pool.close();
  }
}

/** Mean and population std of every output column, to compare with the reference's numbers. */
async function columnStats(data: DataEngine, parquet: string): Promise<ColumnStats> {
  const source = `read_parquet(${sqlString(parquet)})`;
  const columns = await data.describe(`SELECT * FROM ${source}`);
  const aggregates = columns.flatMap((c, i) => [`avg(${sqlIdentifier(c.name)})::DOUBLE AS m${i}`, `stddev_pop(${sqlIdentifier(c.name)})::DOUBLE AS s${i}`]);
  const [row] = await data.rows(`SELECT ${aggregates.join(', ')} FROM ${source}`);
  return Object.fromEntries(columns.map((c, i) => [c.name, [Number(row?.[`m${i}`]), Number(row?.[`s${i}`])]]));
}

async function main(): Promise<void> {
  const [mode, csv, workDir] = process.argv.slice(2);
  if ((mode !== 'chain' && mode !== 'nodes') || !csv || !workDir) throw new Error('usage: trellisPart <chain|nodes> <csv> <workDir>');
  const artifacts = new ArtifactStore(join(workDir, `artifacts-${mode}`));
  const data = await DataEngine.open(artifacts);
  try {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    const stages: Stages = {};
    const output = mode === 'chain' ? await fusedChain(data, artifacts, csv, stages) : await pipelineNodes(data, artifacts, workDir, csv, stages);
    const seconds = (performance.now() - start) / 1000;
    const cpu = process.cpuUsage(cpuStart);
    const peak = peakRssBytes();
    const [count] = await data.rows(`SELECT count(*)::BIGINT AS n FROM read_parquet(${sqlString(output)})`);
    const result: TrellisPartResult = {
      seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssBytes: peak, rows: Number(count?.n ?? 0), output, stages, stats: await columnStats(data, output),
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    data.closeDatabase();
  }
}

await main();
