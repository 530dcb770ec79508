import { parseArgs } from 'node:util';
import { isModelRegistryError, type ModelRegistry, type ModelVersion } from '../../registry/modelRegistry.js';
import { cliActor } from '../cliActor.js';
import { openWorkspace, type CliContext } from '../cliContext.js';
import { EXIT, UsageError, type CliIo, type ExitCode } from '../cliIo.js';
import { formatTable } from '../formatTable.js';

const USAGE = [
  'usage: trellis models [NAME] [--json]',
  '       trellis models promote NAME VERSION [--alias champion] [--reason TEXT] [--json]',
  '       trellis models rollback NAME [--alias champion] [--reason TEXT] [--json]',
].join('\n');

/**
 * The model registry from the command line: list models, show one model's versions and alias
 * history, and move an alias by hand (promote a version, roll back to the previous one). Hand
 * moves are recorded like pipeline ones, with the actor `cli:<os user>`.
 */
export async function modelsCommand(args: string[], context: CliContext): Promise<ExitCode> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, alias: { type: 'string', default: 'champion' }, reason: { type: 'string' } },
  });
  const [first, ...rest] = positionals;
  const action = first === 'promote' || first === 'rollback' ? first : 'show';
  if (action === 'show' && (rest.length > 0 || values.reason !== undefined)) throw new UsageError(USAGE);
  const move = action === 'show' ? undefined : parseMove(action, rest);
  const workspace = await openWorkspace(context);
  try {
    const registry = workspace.services.models;
    const by = { actor: cliActor(context.io.env), ...(values.reason === undefined ? {} : { reason: values.reason }) };
    if (move) {
      const change = await answer(() => move.version === undefined
        ? registry.rollback(move.name, values.alias, by)
        : registry.promote(move.name, values.alias, move.version, by));
      if (values.json) context.io.out(`${JSON.stringify(change, null, 2)}\n`);
      else if (!change.moved) context.io.out(`${change.name}@${change.alias} already is v${change.to}; nothing changed\n`);
      else context.io.out(`${change.name}@${change.alias} → v${change.to}${change.from === null ? '' : ` (was v${change.from})`}, ${action === 'rollback' ? 'rolled back' : 'promoted'} by ${by.actor}\n`);
      return EXIT.ok;
    }
    if (first === undefined) await listModels(registry, context.io, values.json === true);
    else await showModel(registry, first, context.io, values.json === true);
    return EXIT.ok;
  } finally {
    await workspace.close();
  }
}

function parseMove(action: 'promote' | 'rollback', args: string[]): { name: string; version?: number } {
  const [name, version, ...extra] = args;
  if (name === undefined || extra.length > 0 || (action === 'promote') !== (version !== undefined)) throw new UsageError(USAGE);
  if (version === undefined) return { name };
  const number = /^v?(\d+)$/i.exec(version);
  if (!number || Number(number[1]) < 1) throw new UsageError(`VERSION is a version number such as 3 or v3, not "${version}"`);
  return { name, version: Number(number[1]) };
}

/** Registry "not found" and "nothing to roll back" answers are usage errors (exit 2), shown as they are. */
async function answer<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (cause) {
    if (isModelRegistryError(cause)) throw new UsageError(cause.message);
    throw cause;
  }
}

const when = (time: number): string => new Date(time).toISOString().replace('T', ' ').slice(0, 19);
const metricsText = (metrics: Record<string, number>): string => Object.entries(metrics).map(([name, value]) => `${name}=${Number(value.toPrecision(4))}`).join(' ');

async function listModels(registry: ModelRegistry, io: CliIo, json: boolean): Promise<void> {
  const models = await registry.listModels();
  if (json) {
    io.out(`${JSON.stringify(models, null, 2)}\n`);
    return;
  }
  if (models.length === 0) {
    io.out('no models yet: a pipeline with a model.save node registers one\n');
    return;
  }
  io.out(formatTable(['MODEL', 'LATEST', 'VERSIONS', 'ALIASES', 'UPDATED'], models.map((m) => [
    m.name,
    `v${m.latestVersion}`,
    String(m.versionCount),
    Object.entries(m.aliases).map(([alias, version]) => `${alias}=v${version}`).join(' '),
    when(m.updatedAt),
  ])));
}

async function showModel(registry: ModelRegistry, name: string, io: CliIo, json: boolean): Promise<void> {
  const model = await registry.getModel(name);
  if (!model) {
    const names = (await registry.listModels()).map((m) => m.name);
    throw new UsageError(`There is no model "${name}". ${names.length ? `Registered models: ${names.join(', ')}.` : 'No models are registered yet.'}`);
  }
  const versions = await registry.listVersions(name);
  const history = await registry.aliasHistory(name);
  if (json) {
    io.out(`${JSON.stringify({ model, versions, history }, null, 2)}\n`);
    return;
  }
  const aliasesOf = (version: ModelVersion): string => Object.entries(model.aliases).filter(([, v]) => v === version.version).map(([alias]) => alias).join(' ');
  io.out(`${name}: ${model.versionCount} version${model.versionCount === 1 ? '' : 's'}, latest v${model.latestVersion}\n\n`);
  io.out(formatTable(['VERSION', 'ALIASES', 'KIND', 'TASK', 'METRICS', 'RUN', 'PIPELINE', 'NODE', 'CREATED'], [...versions].reverse().map((v) => [
    `v${v.version}`,
    aliasesOf(v),
    v.kind,
    v.task,
    metricsText(v.metrics),
    v.lineage?.runId ?? '',
    v.lineage?.pipelineId ?? '',
    v.lineage?.nodeId ?? '',
    when(v.createdAt),
  ])));
  io.out('\nalias history:\n');
  if (history.length === 0) {
    io.out('  no aliases set yet\n');
    return;
  }
  io.out(formatTable(['TIME', 'ALIAS', 'MOVE', 'VERSION', 'ACTOR', 'REASON'], history.map((m) => [
    when(m.time),
    m.alias,
    m.kind,
    `${m.from === null ? '' : `v${m.from} → `}v${m.to}`,
    m.actor,
    m.reason ?? '',
  ])));
}
