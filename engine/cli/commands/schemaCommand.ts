import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { SETTINGS_KINDS, settingsJsonSchema, type SettingsKind } from '../../environments/settingsJsonSchema.js';
import { pipelineJsonSchema } from '../../format/pipelineJsonSchema.js';
import type { CliContext } from '../cliContext.js';
import { EXIT, UsageError, type ExitCode } from '../cliIo.js';

const isSettingsKind = (kind: string): kind is SettingsKind => (SETTINGS_KINDS as readonly string[]).includes(kind);

/** Prints (or writes) the JSON Schema of the pipeline format (or, with --kind, of an environments or test file). */
export async function schemaCommand(args: string[], context: CliContext): Promise<ExitCode> {
  const { values } = parseArgs({ args, options: { out: { type: 'string' }, kind: { type: 'string' } } });
  const kind = values.kind ?? 'pipeline';
  if (kind !== 'pipeline' && !isSettingsKind(kind)) throw new UsageError(`--kind is pipeline, ${SETTINGS_KINDS.join(' or ')}; got "${kind}"`);
  const text = `${JSON.stringify(kind === 'pipeline' ? pipelineJsonSchema() : settingsJsonSchema(kind), null, 2)}\n`;
  if (values.out) writeFileSync(values.out, text);
  else context.io.out(text);
  return EXIT.ok;
}
