import { z } from 'zod';
import { PIPELINE_TEST_FORMAT, PipelineTestFileSchema } from '../pipelineTest/pipelineTestFile.js';
import { ENVIRONMENTS_FORMAT, EnvironmentsFileSchema } from './environmentsFile.js';

export const SETTINGS_KINDS = ['environments', 'test'] as const;
export type SettingsKind = (typeof SETTINGS_KINDS)[number];

/** The published JSON Schema of `trellis.environments.json` or of a `NAME.test.json`, for editors and CI. */
export function settingsJsonSchema(kind: SettingsKind): Record<string, unknown> {
  const [format, schema] = kind === 'environments' ? [ENVIRONMENTS_FORMAT, EnvironmentsFileSchema] : [PIPELINE_TEST_FORMAT, PipelineTestFileSchema];
  return { $id: `https://trellis.dev/schema/${format.replace('/', '-')}.json`, ...z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12' }) };
}
