import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PipelineDocumentSchema, type PipelineDocument } from '../format/pipelineDocument.js';
import { selectEnvironment } from './selectEnvironment.js';
import { SettingsFileError } from './settingsFileError.js';

const document: PipelineDocument = PipelineDocumentSchema.parse({
  format: 'trellis.pipeline/1',
  id: 'orders',
  params: { min_amount: { type: 'number', default: 20 }, label: { type: 'string', default: 'x' } },
  nodes: [
    { id: 'db', type: 'source.postgres', version: 1, params: { host: '{{ connections.warehouse.host }}', port: '{{ connections.warehouse.port }}', passwordSecret: '{{ connections.warehouse.passwordSecret }}', query: 'SELECT 1 -- {{ connections.warehouse.host }}' } },
  ],
});

let dir: string;
const pipelinePath = (): string => join(dir, 'orders.trellis.json');
const writeEnvironments = (file: unknown, where = dir): void => writeFileSync(join(where, 'trellis.environments.json'), JSON.stringify(file));
const ENVIRONMENTS = {
  format: 'trellis.environments/1',
  default: 'dev',
  environments: {
    dev: { params: { min_amount: 5 }, connections: { warehouse: { host: 'localhost', port: 5432, passwordSecret: 'env:PG_DEV' } } },
    prod: { params: { min_amount: 50 }, connections: { warehouse: { host: 'db.prod', port: 6432, passwordSecret: 'env:PG_PROD' } }, pipelines: { orders: { params: { label: 'prod' } } } },
  },
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'trellis-env-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('selectEnvironment', () => {
  it('applies the named environment: param values become defaults, connections fill node params with their types', () => {
    writeEnvironments(ENVIRONMENTS);
    const chosen = selectEnvironment({ pipelinePath: pipelinePath(), document, name: 'prod', home: join(dir, 'home'), env: {} });
    expect(chosen.environment).toBe('prod');
    expect(chosen.document.params.min_amount?.default).toBe(50);
    expect(chosen.document.params.label?.default).toBe('prod');
    expect(chosen.document.nodes[0]?.params).toMatchObject({ host: 'db.prod', port: 6432, passwordSecret: 'env:PG_PROD', query: 'SELECT 1 -- db.prod' });
    // The document it was given is untouched.
    expect(document.nodes[0]?.params.host).toBe('{{ connections.warehouse.host }}');
  });

  it('takes TRELLIS_ENV, then the default; --env wins over both', () => {
    writeEnvironments(ENVIRONMENTS);
    const pick = (name: string | undefined, env: NodeJS.ProcessEnv): string | undefined => selectEnvironment({ pipelinePath: pipelinePath(), document, name, home: dir, env }).environment;
    expect(pick(undefined, {})).toBe('dev');
    expect(pick(undefined, { TRELLIS_ENV: 'prod' })).toBe('prod');
    expect(pick('dev', { TRELLIS_ENV: 'prod' })).toBe('dev');
  });

  it('finds the file in the Trellis home when there is none beside the pipeline', () => {
    const home = mkdtempSync(join(dir, 'home-'));
    writeEnvironments(ENVIRONMENTS, home);
    expect(selectEnvironment({ pipelinePath: pipelinePath(), document, name: 'prod', home, env: {} }).document.params.min_amount?.default).toBe(50);
  });

  it('names the known environments when asked for an unknown one', () => {
    writeEnvironments(ENVIRONMENTS);
    expect(() => selectEnvironment({ pipelinePath: pipelinePath(), document, name: 'staging', home: dir, env: {} })).toThrow(/no environment "staging".*Known environments: dev, prod/);
  });

  it('rejects an environment param the pipeline does not declare, naming the declared ones', () => {
    writeEnvironments({ format: 'trellis.environments/1', environments: { dev: { params: { min_amout: 5 } } } });
    expect(() => selectEnvironment({ pipelinePath: pipelinePath(), document, name: 'dev', home: dir, env: {} })).toThrow(/sets param "min_amout", which pipeline "orders" does not declare\. Its params: min_amount, label/);
  });

  it('rejects a param value of the wrong type and a connection the environment lacks', () => {
    writeEnvironments({ format: 'trellis.environments/1', environments: { a: { params: { min_amount: 'lots' } }, b: { connections: { other: { host: 'h' } } } } });
    expect(() => selectEnvironment({ pipelinePath: pipelinePath(), document, name: 'a', home: dir, env: {} })).toThrow(/declares it a number/);
    expect(() => selectEnvironment({ pipelinePath: pipelinePath(), document, name: 'b', home: dir, env: {} })).toThrow(/node "db" uses connection "warehouse", which environment "b".*Its connections: other/);
  });

  it('refuses a literal secret in the environments file', () => {
    writeEnvironments({ format: 'trellis.environments/1', environments: { prod: { connections: { warehouse: { host: 'h', passwordSecret: 'hunter2' } } } } });
    expect(() => selectEnvironment({ pipelinePath: pipelinePath(), document, name: 'prod', home: dir, env: {} })).toThrow(SettingsFileError);
    expect(() => selectEnvironment({ pipelinePath: pipelinePath(), document, name: 'prod', home: dir, env: {} })).toThrow(/environments\.prod\.connections\.warehouse\.passwordSecret: .*secret reference such as "env:PASSWORDSECRET"/);
  });

  it('asks for an environment when the pipeline uses connections and none is chosen', () => {
    expect(() => selectEnvironment({ pipelinePath: pipelinePath(), document, home: dir, env: {} })).toThrow(/uses connection "warehouse".*--env NAME/);
    const plain = { ...document, nodes: [] };
    expect(selectEnvironment({ pipelinePath: pipelinePath(), document: plain, home: dir, env: {} })).toEqual({ document: plain });
    expect(() => selectEnvironment({ pipelinePath: pipelinePath(), document: plain, name: 'dev', home: dir, env: {} })).toThrow(/no trellis\.environments\.json beside/);
  });
});
