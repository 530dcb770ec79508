import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../engine/cli/cliIo.js';
import { runCli } from '../../engine/cli/main.js';
import { builtinRegistry } from '../catalog.js';

/**
 * `trellis test` on the bundled examples and their test files (assets/examples/*.test.json), run
 * in process with TRELLIS_HOME pointing at a folder that must stay empty: tests run in a
 * temporary home. Also environments through `--env`, a failing expectation and bad input.
 */
const EXAMPLES = join(import.meta.dirname, '../../assets/examples');
const registry = builtinRegistry();
let dir: string;
let userHome: string;

async function trellis(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => (out += t), err: (t) => (err += t), isTty: false, columns: 120, env: { TRELLIS_HOME: userHome, ...env } };
  const code = await runCli(args, { registry, version: 'test', io });
  return { code, out, err };
}

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
}

/** Just enough of an XML reader to prove the report is well formed: balanced tags, quoted attributes. */
function parseXml(text: string): XmlElement {
  const root: XmlElement = { name: '#document', attributes: {}, children: [] };
  const stack = [root];
  const body = text.replace(/^<\?xml[^?]*\?>\s*/, '');
  const tag = /<(\/?)([A-Za-z][\w-]*)((?:\s+[\w-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let match: RegExpExecArray | null;
  let at = 0;
  while ((match = tag.exec(body)) !== null) {
    at = tag.lastIndex;
    const [, closing, name, attributeText, selfClosing, textNode] = match;
    if (textNode !== undefined) {
      expect(textNode, 'text may not hold a raw "&" or ">"').not.toMatch(/&(?!(lt|gt|amp|quot|apos);)/);
      continue;
    }
    const top = stack[stack.length - 1] as XmlElement;
    if (closing) {
      expect(top.name, `closing </${name}>`).toBe(name);
      stack.pop();
      continue;
    }
    const element: XmlElement = { name: name as string, attributes: Object.fromEntries([...(attributeText ?? '').matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1] as string, a[2] as string])), children: [] };
    top.children.push(element);
    if (!selfClosing) stack.push(element);
  }
  expect(at, 'the whole document is markup').toBe(body.length);
  expect(stack).toHaveLength(1);
  return root;
}

const all = (element: XmlElement, name: string): XmlElement[] => element.children.flatMap((child) => [...(child.name === name ? [child] : []), ...all(child, name)]);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'trellis-pipeline-tests-'));
  userHome = join(dir, 'user-home');
  // A copy of sql-basics to write environments and failing tests beside.
  copyFileSync(join(EXAMPLES, 'sql-basics.trellis.json'), join(dir, 'sql-basics.trellis.json'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('trellis test', () => {
  it('runs the bundled examples against their expectations and writes JUnit XML', async () => {
    const junit = join(dir, 'examples.xml');
    const result = await trellis(['test', join(EXAMPLES, 'sql-basics.trellis.json'), join(EXAMPLES, 'churn-model.trellis.json'), join(EXAMPLES, 'churn-monitoring.trellis.json'), '--junit', junit]);
    expect(result.err).not.toMatch(/Error|✖/);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/22 of 22 expectations passed/);
    const xml = parseXml(readFileSync(junit, 'utf8'));
    const [suites] = xml.children;
    expect(suites?.name).toBe('testsuites');
    expect(suites?.attributes).toMatchObject({ tests: '22', failures: '0' });
    const perSuite = all(xml, 'testsuite').map((s) => [s.attributes.name, s.attributes.tests, s.children.length]);
    // sql-basics: 2 tests (run + 4, run + 1); churn-model: 1 test (run + 5); churn-monitoring: 2 tests (run + 5, run + 2).
    expect(perSuite).toEqual([
      ['sql-basics', '7', 7],
      ['churn-model', '6', 6],
      ['churn-monitoring', '9', 9],
    ]);
    expect(all(xml, 'failure')).toHaveLength(0);
    expect(all(xml, 'testcase').map((c) => c.attributes.name)).toEqual(expect.arrayContaining(['evaluate.roc_auc &gt;= 0.62', 'quality passed', 'drift.drift_share &gt;= 0.1']));
    // The user's home was never touched: each test ran in a temporary one.
    expect(existsSync(userHome) ? readdirSync(userHome) : []).toEqual([]);
  }, 180_000);

  it('fails with exit 1 and a JUnit failure naming node, field, expected and actual', async () => {
    writeFileSync(
      join(dir, 'sql-basics.test.json'),
      JSON.stringify({
        format: 'trellis.test/1',
        tests: [{ name: 'wrong count', params: { min_amount: 50 }, expect: [{ node: 'large_orders', rows: 499 }, { node: 'per_customer', metric: 'rows', min: 1 }, { node: 'orders', state: 'skipped' }] }],
      }),
    );
    const junit = join(dir, 'failing.xml');
    const result = await trellis(['test', join(dir, 'sql-basics.trellis.json'), '--junit', junit]);
    expect(result.code).toBe(1);
    const xml = parseXml(readFileSync(junit, 'utf8'));
    expect(all(xml, 'testsuite')[0]?.attributes).toMatchObject({ name: 'sql-basics', tests: '4', failures: '2' });
    const messages = all(xml, 'failure').map((f) => f.attributes.message);
    expect(messages).toEqual(['node &quot;large_orders&quot;: rows expected = 499, actual 500', 'node &quot;orders&quot;: state expected skipped, actual succeeded']);
    expect(result.out).toMatch(/✖ large_orders rows = 499/);
  }, 60_000);

  it('runs a test in an environment (--env over the test\'s own), with test params over the environment', async () => {
    writeFileSync(
      join(dir, 'trellis.environments.json'),
      JSON.stringify({ format: 'trellis.environments/1', environments: { dev: { params: { min_amount: 90 } }, prod: { params: { min_amount: 50 } } } }),
    );
    writeFileSync(
      join(dir, 'sql-basics.test.json'),
      JSON.stringify({
        format: 'trellis.test/1',
        tests: [
          { name: 'dev threshold', env: 'dev', expect: [{ node: 'large_orders', rows: 100 }] },
          { name: 'pinned threshold', env: 'dev', params: { min_amount: 0 }, expect: [{ node: 'large_orders', rows: 1000 }] },
        ],
      }),
    );
    const dev = await trellis(['test', join(dir, 'sql-basics.trellis.json'), '--json']);
    expect(dev.code).toBe(0);
    expect(JSON.parse(dev.out)).toMatchObject({ passed: true, expectations: 4, failed: 0 });
    const prod = await trellis(['test', join(dir, 'sql-basics.trellis.json'), '--env', 'prod', '--json']);
    expect(prod.code).toBe(1);
    expect(JSON.parse(prod.out).pipelines[0].tests[0]).toMatchObject({ environment: 'prod', outcomes: [{ passed: true }, { passed: false, message: 'node "large_orders": rows expected = 100, actual 500' }] });
  }, 60_000);

  it('exits 2 for an unknown environment, naming the known ones', async () => {
    const result = await trellis(['test', join(dir, 'sql-basics.trellis.json'), '--env', 'staging']);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/--env staging: there is no environment "staging" in .*trellis\.environments\.json\. Known environments: dev, prod\./);
    const viaVariable = await trellis(['validate', join(dir, 'sql-basics.trellis.json')], { TRELLIS_ENV: 'qa' });
    expect(viaVariable.code).toBe(2);
    expect(viaVariable.err).toMatch(/TRELLIS_ENV=qa: there is no environment "qa"/);
  });

  it('exits 2 for a pipeline without a test file and for a malformed one', async () => {
    copyFileSync(join(EXAMPLES, 'sql-basics.trellis.json'), join(dir, 'untested.trellis.json'));
    const missing = await trellis(['test', join(dir, 'untested.trellis.json')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/has no tests: create .*untested\.test\.json/);
    writeFileSync(join(dir, 'sql-basics.test.json'), JSON.stringify({ format: 'trellis.test/1', tests: [{ name: 'x', expect: [{ node: 'orders', metric: 'rows' }] }] }));
    const malformed = await trellis(['test', join(dir, 'sql-basics.trellis.json')]);
    expect(malformed.code).toBe(2);
    expect(malformed.err).toMatch(/sql-basics\.test\.json is not valid/);
  });
});

describe('--env on trellis run', () => {
  it('takes the environment\'s params, --param over them, and rejects a param the pipeline does not declare', async () => {
    const home = join(dir, 'run-home');
    const rows = async (args: string[]): Promise<number | undefined> => {
      const result = await trellis(['--home', home, 'run', join(dir, 'sql-basics.trellis.json'), '--json', ...args]);
      expect(result.code, result.err).toBe(0);
      const summary = JSON.parse(result.out) as { tasks: Array<{ node: string; outputs: Record<string, { rows?: number }> }> };
      return summary.tasks.find((t) => t.node === 'large_orders')?.outputs.table?.rows;
    };
    expect(await rows(['--env', 'dev'])).toBe(100);
    expect(await rows(['--env', 'dev', '--param', 'min_amount=50'])).toBe(500);
    writeFileSync(join(dir, 'trellis.environments.json'), JSON.stringify({ format: 'trellis.environments/1', environments: { dev: { params: { max_amount: 90 } } } }));
    const undeclared = await trellis(['--home', home, 'run', join(dir, 'sql-basics.trellis.json'), '--env', 'dev']);
    expect(undeclared.code).toBe(2);
    expect(undeclared.err).toMatch(/sets param "max_amount", which pipeline "sql-basics" does not declare\. Its params: min_amount\./);
  }, 60_000);
});
