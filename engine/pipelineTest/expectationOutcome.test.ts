import { describe, expect, it } from 'vitest';
import { expectationOutcome, type NodeFacts } from './expectationOutcome.js';
import { junitXml } from './junitXml.js';
import { ExpectationSchema } from './pipelineTestFile.js';

const ARTIFACT = 'a'.repeat(64);
const facts = new Map<string, NodeFacts>([
  ['split', { state: 'succeeded', metrics: {}, outputs: { train: { kind: 'table', artifact: ARTIFACT, columns: [], rows: 750 }, test: { kind: 'table', artifact: ARTIFACT, columns: [], rows: 250 } } }],
  ['evaluate', { state: 'succeeded', metrics: { roc_auc: 0.68 }, outputs: {} }],
  ['quality', { state: 'succeeded', metrics: { checks_passed: 3, checks_failed: 1 }, outputs: {} }],
  ['gate', { state: 'failed', metrics: {}, outputs: {}, error: 'row_count below 100' }],
  ['approval', { state: 'skipped', metrics: {}, outputs: {} }],
]);
const judge = (expectation: unknown): ReturnType<typeof expectationOutcome> => expectationOutcome(ExpectationSchema.parse(expectation), facts);

describe('expectationOutcome', () => {
  it('counts the rows of the port named, else the first table output, exactly or in a range', () => {
    expect(judge({ node: 'split', rows: 750 })).toEqual({ name: 'split rows = 750', passed: true });
    expect(judge({ node: 'split', port: 'test', rows: { min: 300 } })).toEqual({ name: 'split.test rows >= 300', passed: false, message: 'node "split": rows expected >= 300, actual 250' });
    expect(judge({ node: 'evaluate', rows: 1 }).message).toBe('node "evaluate" has no table output (state succeeded; outputs: none)');
  });

  it('checks metric floors and ceilings and names the metrics a node has when one is missing', () => {
    expect(judge({ node: 'evaluate', metric: 'roc_auc', min: 0.7 })).toEqual({ name: 'evaluate.roc_auc >= 0.7', passed: false, message: 'node "evaluate": metric roc_auc expected >= 0.7, actual 0.68' });
    expect(judge({ node: 'evaluate', metric: 'roc_auc', min: 0.6, max: 0.9 }).passed).toBe(true);
    expect(judge({ node: 'evaluate', metric: 'auc', min: 0.6 }).message).toBe('node "evaluate" has no metric "auc" (state succeeded); its metrics: roc_auc');
  });

  it('says a data-quality node passed only when it succeeded with no failed check', () => {
    expect(judge({ node: 'quality', passed: true })).toMatchObject({ passed: false, message: 'node "quality": passed expected true, actual false (1 failed check)' });
    expect(judge({ node: 'gate', passed: false }).passed).toBe(true);
    expect(judge({ node: 'gate', passed: true }).message).toBe('node "gate": passed expected true, actual false (state failed (row_count below 100))');
  });

  it('compares node states and reports a node that did not run', () => {
    expect(judge({ node: 'approval', state: 'skipped' }).passed).toBe(true);
    expect(judge({ node: 'promote', state: 'succeeded' }).message).toMatch(/^node "promote" did not run .*known nodes: split, evaluate, quality, gate, approval$/);
  });

  it('rejects a metric expectation without a bound', () => {
    expect(ExpectationSchema.safeParse({ node: 'evaluate', metric: 'roc_auc' }).success).toBe(false);
  });
});

describe('junitXml', () => {
  it('escapes messages and counts failures per suite', () => {
    const xml = junitXml([
      {
        pipelineId: 'p&q',
        pipelineFile: '/x/p.trellis.json',
        testFile: '/x/p.test.json',
        tests: [{ name: 't<1>', runId: 'r1', durationMs: 1500, outcomes: [{ name: 'run succeeded', passed: true }, { name: 'a > b', passed: false, message: 'node "a": "x" & \u0001y' }] }],
      },
    ]);
    expect(xml).toContain('<testsuites name="trellis test" tests="2" failures="1" errors="0" time="1.500">');
    expect(xml).toContain('<testsuite name="p&amp;q" tests="2" failures="1"');
    expect(xml).toContain('<testcase classname="p&amp;q.t&lt;1&gt;" name="a &gt; b" time="0.000">');
    expect(xml).toContain('<failure type="expectation" message="node &quot;a&quot;: &quot;x&quot; &amp; y">');
  });
});
