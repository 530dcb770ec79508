import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuild, startTrellis, trellis } from '../../testing/cliProcess.js';

let home: string;
let dir: string;

beforeAll(() => {
  requireBuild();
  home = mkdtempSync(join(tmpdir(), 'trellis-sched-home-'));
  dir = mkdtempSync(join(tmpdir(), 'trellis-sched-files-'));
});
afterAll(() => {
  rmSync(home, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

function write(path: string, value: unknown): string {
  writeFileSync(path, JSON.stringify(value, null, 2));
  return path;
}

/** Resolves with the match once `pattern` shows up in what the child printed (on stdout, or stderr). */
function waitFor(child: ReturnType<typeof startTrellis>, pattern: RegExp, stream: 'stdout' | 'stderr' = 'stdout'): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern} in:\n${seen}`)), 30_000);
    child[stream]?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = pattern.exec(seen);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    });
  });
}
const exitOf = (child: ReturnType<typeof startTrellis>): Promise<number | null> => new Promise((resolve) => child.on('exit', (code) => resolve(code)));

describe('trellis backfill and schedules', () => {
  it('backfills every slot in a range with its logical date, then leaves them unless told to reprocess', () => {
    const file = write(join(dir, 'daily.trellis.json'), {
      format: 'trellis.pipeline/1',
      id: 'daily',
      params: { logical_date: { type: 'string', default: '' } },
      nodes: [{ id: 'day', type: 'data.sql', version: 1, params: { query: "SELECT '{{ params.logical_date }}' AS logical_date" } }],
      schedule: { cron: '0 6 * * *', timezone: 'Europe/Berlin' },
    });
    const first = trellis(home, ['backfill', file, '--from', '2026-03-28', '--to', '2026-03-30', '--max-active', '2', '--json']);
    expect(first.code, first.stderr).toBe(0);
    const { slots } = JSON.parse(first.stdout) as { slots: Array<{ logicalDate: string; state: string; runId: string }> };
    expect(slots.map((s) => [s.logicalDate, s.state])).toEqual([
      ['2026-03-28T06:00:00+01:00', 'succeeded'],
      ['2026-03-29T06:00:00+02:00', 'succeeded'],
      ['2026-03-30T06:00:00+02:00', 'succeeded'],
    ]);
    const runs = JSON.parse(trellis(home, ['runs', '--pipeline', 'daily', '--json']).stdout) as Array<{ id: string; params: Record<string, string> }>;
    expect(runs.find((r) => r.id === slots[1]?.runId)?.params.logical_date).toBe('2026-03-29T06:00:00+02:00');

    const again = trellis(home, ['backfill', file, '--from', '2026-03-28', '--to', '2026-03-30']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('0 of 3 slots ran');
    const all = trellis(home, ['backfill', file, '--from', '2026-03-30', '--to', '2026-03-30', '--reprocess', 'all']);
    expect(all.stdout).toContain('1 of 1 slots ran: 1 succeeded');

    const overview = JSON.parse(trellis(home, ['schedules', '--pipelines', file, '--json']).stdout) as Array<{ pipelineId: string; next: string; slots: Array<{ state: string; runs: number }> }>;
    expect(overview[0]).toMatchObject({ pipelineId: 'daily', next: expect.stringMatching(/T06:00:00\+0[12]:00$/) });
    expect(overview[0]?.slots.map((s) => [s.state, s.runs])).toEqual([['succeeded', 2], ['succeeded', 1], ['succeeded', 1]]);

    const bad = trellis(home, ['backfill', file, '--from', 'yesterday', '--to', '2026-03-30']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--from "yesterday" is not a date');
  });

  it('trellis scheduler: killed in the middle of a slot, the next one resumes that run instead of firing the slot again', async () => {
    const folder = join(dir, 'scheduled');
    mkdirSync(folder);
    write(join(folder, 'tick.trellis.json'), {
      format: 'trellis.pipeline/1',
      id: 'tick',
      nodes: [{ id: 'nap', type: 'debug.sleep', version: 1, params: { ms: 3000 }, cache: false }],
      schedule: { cron: '*/2 * * * * *', catchUp: 'skip' },
    });
    const first = startTrellis(home, ['scheduler', '--pipelines', folder]);
    const [, runId] = await waitFor(first, /tick \S+: fired run (\S+)/);
    // Let the run get under way (its node sleeps 3 s), then kill the process without warning.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    first.kill('SIGKILL');
    await exitOf(first);

    const second = startTrellis(home, ['scheduler', '--pipelines', folder]);
    await waitFor(second, new RegExp(`took over run ${runId} and resumed it[\\s\\S]*run ${runId} succeeded`));
    second.kill('SIGINT');
    expect(await exitOf(second)).toBe(0);

    const overview = JSON.parse(trellis(home, ['schedules', '--pipelines', folder, '--json', '--limit', '50']).stdout) as Array<{ slots: Array<{ runId?: string; runs: number; state: string }> }>;
    const slots = overview[0]?.slots ?? [];
    expect(slots.find((s) => s.runId === runId)).toMatchObject({ state: 'succeeded', runs: 1 });
    expect(slots.every((s) => s.runs <= 1)).toBe(true);
    const runs = JSON.parse(trellis(home, ['runs', '--pipeline', 'tick', '--json', '--limit', '50']).stdout) as Array<{ id: string; resumes: number }>;
    expect(runs.find((r) => r.id === runId)?.resumes).toBe(1);
  }, 60_000);

  it('trellis serve fires the scheduled pipelines stored in its workspace', async () => {
    const serveHome = mkdtempSync(join(tmpdir(), 'trellis-sched-serve-'));
    try {
      const file = write(join(dir, 'often.trellis.json'), {
        format: 'trellis.pipeline/1',
        id: 'often',
        nodes: [{ id: 'nap', type: 'debug.sleep', version: 1, params: { ms: 100 }, cache: false }],
        schedule: { cron: '*/2 * * * * *' },
      });
      // A run stores the pipeline (with its schedule) in the workspace.
      expect(trellis(serveHome, ['run', file]).code).toBe(0);
      const server = startTrellis(serveHome, ['serve', '--port', '0']);
      await waitFor(server, /often \S+: fired run (\S+)[\s\S]*run \1 succeeded/, 'stderr');
      server.kill('SIGINT');
      expect(await exitOf(server)).toBe(0);
    } finally {
      rmSync(serveHome, { recursive: true, force: true });
    }
  }, 60_000);
});
