import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PipelineTestFileSchema } from '../pipelineTest/pipelineTestFile.js';
import { SETTINGS_KINDS, settingsJsonSchema } from './settingsJsonSchema.js';

const docs = new URL('../../docs/', import.meta.url);
const examples = new URL('../../assets/examples/', import.meta.url);

describe('settingsJsonSchema', () => {
  it.each(SETTINGS_KINDS)('matches the committed docs/trellis.%s.schema.json', (kind) => {
    const stale = `docs/trellis.${kind}.schema.json is out of date: run \`npm run schema:write\` and commit the result`;
    expect(readFileSync(new URL(`trellis.${kind}.schema.json`, docs), 'utf8'), stale).toBe(`${JSON.stringify(settingsJsonSchema(kind), null, 2)}\n`);
  });

  it('is generated for input: only the format and the tests (each with a name) are required', () => {
    const schema = settingsJsonSchema('test') as { required?: string[]; properties: { tests: { items: { required?: string[] } } } };
    expect(schema.required).toEqual(['format', 'tests']);
    expect(schema.properties.tests.items.required).toEqual(['name']);
  });

  it('accepts the test files of the bundled examples', () => {
    const files = readdirSync(examples).filter((name) => name.endsWith('.test.json'));
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const name of files) expect(PipelineTestFileSchema.safeParse(JSON.parse(readFileSync(new URL(name, examples), 'utf8'))).success, name).toBe(true);
  });
});
