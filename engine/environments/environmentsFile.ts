import { z } from 'zod';
import { isSecretReference } from '../node/secretReference.js';
import { IDENTIFIER } from '../format/pipelineDocument.js';

/** The file name Trellis looks for beside a pipeline, then in the Trellis home. */
export const ENVIRONMENTS_FILE = 'trellis.environments.json';
export const ENVIRONMENTS_FORMAT = 'trellis.environments/1';

/**
 * Field names that hold credentials. Their values must be secret references (`env:NAME`): the
 * environments file sits in git beside the pipeline, like a dbt profile that uses env_var().
 */
const SECRET_NAME = /(password|passwd|secret|token|api[_-]?key|credential|private[_-]?key)/i;

const identifier = z.string().regex(IDENTIFIER, 'use letters, digits, "_" or "-", starting with a letter or "_"');
const scalar = z.union([z.string(), z.number(), z.boolean()]);

/** Values whose name says they are secrets must be references, never the secret itself. */
function secretsAreReferences(values: Record<string, string | number | boolean>, ctx: z.RefinementCtx): void {
  for (const [name, value] of Object.entries(values)) {
    if (!SECRET_NAME.test(name)) continue;
    if (typeof value === 'string' && isSecretReference(value)) continue;
    ctx.addIssue({
      code: 'custom',
      path: [name],
      message: `"${name}" looks like a secret, so it must be a secret reference such as "env:${name.replace(/[^A-Za-z0-9_]/g, '_').toUpperCase()}" (an environment variable that holds it); a literal secret is not allowed in this file`,
    });
  }
}

/** A connection: named settings that node params read as `{{ connections.NAME.FIELD }}`. */
export const ConnectionSchema = z.record(identifier, scalar).superRefine(secretsAreReferences);

export const EnvironmentSchema = z
  .object({
    description: z.string().optional(),
    params: z.record(identifier, scalar).default({}).superRefine(secretsAreReferences).describe('values for the pipeline params in this environment'),
    connections: z.record(identifier, ConnectionSchema).default({}).describe('connections (database hosts, file roots) by name'),
    pipelines: z
      .record(identifier, z.object({ params: z.record(identifier, scalar).default({}).superRefine(secretsAreReferences) }).strict())
      .default({})
      .describe('param values for one pipeline (by pipeline id), over the shared "params"'),
  })
  .strict();
export type Environment = z.infer<typeof EnvironmentSchema>;

export const EnvironmentsFileSchema = z
  .object({
    format: z.literal(ENVIRONMENTS_FORMAT),
    default: identifier.optional().describe('the environment used when neither --env nor TRELLIS_ENV names one'),
    environments: z.record(identifier, EnvironmentSchema),
  })
  .strict()
  .superRefine((file, ctx) => {
    if (file.default !== undefined && !Object.hasOwn(file.environments, file.default)) {
      ctx.addIssue({ code: 'custom', path: ['default'], message: `names "${file.default}", which is not one of the environments (${Object.keys(file.environments).join(', ') || 'none'})` });
    }
  });
export type EnvironmentsFile = z.infer<typeof EnvironmentsFileSchema>;
