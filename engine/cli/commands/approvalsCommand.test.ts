import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuild, startTrellis, trellis } from '../../testing/cliProcess.js';

let home: string;
let file: string;

beforeAll(() => {
  requireBuild();
  home = mkdtempSync(join(tmpdir(), 'trellis-cli-approvals-'));
  file = join(home, 'gate.trellis.json');
  writeFileSync(file, JSON.stringify({
    format: 'trellis.pipeline/1',
    id: 'gate-cli',
    nodes: [
      { id: 'data', type: 'data.sql', version: 1, params: { query: 'SELECT 1 AS x', names: [] } },
      { id: 'gate', type: 'control.approval', version: 1, params: { message: 'Publish?', pollSeconds: 0.05 } },
      { id: 'after', type: 'data.sql', version: 1, params: { query: 'SELECT 2 AS y', names: [] } },
    ],
    // A control edge: `after` runs only once the gate succeeds.
    edges: [{ from: 'data.table', to: 'gate.value' }, { from: 'gate', to: 'after' }],
  }));
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

interface Listed { runId: string; nodeId: string; pipelineId: string; message: string; state: string }
const listed = (): Listed[] => JSON.parse(trellis(home, ['approvals', '--json']).stdout) as Listed[];

async function waitFor<T>(probe: () => T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const value = probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('trellis approvals / approve / reject', () => {
  it('a blocking `trellis run` picks up an approval made by another process', async () => {
    const child = startTrellis(home, ['run', file, '--json']);
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const request = await waitFor(() => listed().find((a) => a.state === 'waiting'), 'the approval to be listed');
    expect(request).toMatchObject({ pipelineId: 'gate-cli', nodeId: 'gate', message: 'Publish?' });
    expect(trellis(home, ['approvals']).stdout).toMatch(/gate-cli\s+\S+\s+gate\s+.*Publish\?\s+none/);

    const missing = trellis(home, ['approve', request.runId, 'gate']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--comment');

    const approved = trellis(home, ['approve', request.runId, 'gate', '--comment', 'ship it']);
    expect(approved.code, approved.stderr).toBe(0);
    expect(approved.stdout).toContain(`approved by cli:${userInfo().username}`);
    expect(await exited).toBe(0);
    const summary = JSON.parse(stdout) as { state: string; tasks: Array<{ node: string; state: string }> };
    expect(summary.state).toBe('succeeded');
    expect(summary.tasks.find((t) => t.node === 'after')?.state).toBe('succeeded');
    expect(listed()).toEqual([]);
  }, 60_000);

  it('--no-wait leaves the run waiting (exit 3); reject then resume skips what depends on the gate', () => {
    const run = trellis(home, ['run', file, '--no-wait', '--json']);
    expect(run.code).toBe(3);
    const summary = JSON.parse(run.stdout) as { runId: string; state: string };
    expect(summary.state).toBe('waiting');
    const shown = trellis(home, ['show', summary.runId]);
    expect(shown.stdout).toMatch(/gate\s+control\.approval\s+waiting/);

    const rejected = trellis(home, ['reject', summary.runId, 'gate', '--comment', 'not today']);
    expect(rejected.code, rejected.stderr).toBe(0);
    expect(rejected.stdout).toContain(`trellis resume ${summary.runId}`);
    const again = trellis(home, ['approve', summary.runId, 'gate', '--comment', 'changed my mind']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already rejected');

    const resumed = trellis(home, ['resume', summary.runId, '--json']);
    expect(resumed.code).toBe(1);
    const after = JSON.parse(resumed.stdout) as { state: string; tasks: Array<{ node: string; state: string; error?: { message: string } }> };
    expect(after.tasks.find((t) => t.node === 'gate')?.error?.message).toContain('not today');
    expect(after.tasks.find((t) => t.node === 'after')?.state).toBe('skipped');
    const all = JSON.parse(trellis(home, ['approvals', '--all', '--json']).stdout) as Listed[];
    expect(all.map((a) => a.state).sort()).toEqual(['approved', 'rejected']);
  }, 60_000);
});
