import { parseArgs } from 'node:util';
import { formatDiagnostic } from '../../compile/diagnostic.js';
import { compile } from '../../compile/compile.js';
import { loadPipelineFile } from '../../workspace/workspace.js';
import type { CliContext } from '../cliContext.js';
import { EXIT, UsageError, type ExitCode } from '../cliIo.js';
import { parseParamFlags } from '../parseParamFlags.js';
import { pipelineInEnvironment } from '../pipelineInEnvironment.js';

export async function validateCommand(args: string[], context: CliContext): Promise<ExitCode> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' }, param: { type: 'string', multiple: true }, env: { type: 'string' } } });
  const [file] = positionals;
  if (!file) throw new UsageError('usage: trellis validate FILE [--json] [--env NAME] [--param k=v]...');
  const loaded = loadPipelineFile(file);
  const result = loaded.ok ? compile(pipelineInEnvironment(context, loaded.path, loaded.document, values.env).document, context.registry, { params: parseParamFlags(values.param) }) : { ok: false as const, diagnostics: loaded.diagnostics };
  if (values.json) {
    context.io.out(`${JSON.stringify({ file: loaded.path, valid: result.ok, diagnostics: result.diagnostics, ...(result.ok ? { nodes: result.plan.nodes.length, pipelineHash: result.plan.pipelineHash } : {}) }, null, 2)}\n`);
  } else {
    for (const diagnostic of result.diagnostics) context.io.err(`${formatDiagnostic(diagnostic, loaded.path)}\n`);
    if (result.ok) context.io.out(`${loaded.path}: valid (${result.plan.nodes.length} nodes, hash ${result.plan.pipelineHash.slice(0, 12)})\n`);
    else context.io.err(`${loaded.path}: ${result.diagnostics.length} problem${result.diagnostics.length === 1 ? '' : 's'}\n`);
  }
  return result.ok ? EXIT.ok : EXIT.usage;
}
