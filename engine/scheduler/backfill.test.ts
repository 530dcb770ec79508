import { hostname } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pipelineHash } from '../format/pipelineHash.js';
import { SchedulerFixture, scheduledDocument } from '../testing/schedulerFixture.js';
import type { Workspace } from '../workspace/workspace.js';
import { BackfillRangeError, runBackfill, type BackfillOptions } from './backfill.js';
import type { ScheduledPipeline } from './pipelineSource.js';
import { scheduleUnits, type ScheduleUnit } from './scheduleUnit.js';
import { openWorkspaceSchedulerStore } from './workspaceSchedulerStore.js';

let fixture: SchedulerFixture;
let workspace: Workspace;
let pipeline: ScheduledPipeline;

beforeEach(async () => {
  fixture = new SchedulerFixture();
  workspace = await fixture.workspace();
  const document = scheduledDocument({ cron: '0 6 * * *', timezone: 'Europe/Berlin', maxActiveRuns: 1 }, { label: '{{ params.logical_date }}', declareLogicalDate: true });
  pipeline = { document, schedule: document.schedule as NonNullable<typeof document.schedule>, hash: pipelineHash(document), baseDir: fixture.home, origin: 'test' };
});

afterEach(async () => {
  await fixture.close();
});

const NOW = Date.parse('2026-02-01T00:00:00Z');
const backfill = (options: Partial<BackfillOptions> = {}): ReturnType<typeof runBackfill> =>
  runBackfill({ workspace, unit: scheduleUnits(pipeline)[0] as ScheduleUnit, from: Date.parse('2026-01-01T00:00:00+01:00'), to: Date.parse('2026-01-05T23:59:59+01:00'), reprocess: 'none', maxActive: 2, now: () => NOW, ...options });

describe('runBackfill', () => {
  it('runs every slot in the range with its logical date, at most maxActive at once', async () => {
    const outcomes = await backfill();
    expect(outcomes.map((o) => [o.logicalDate, o.state])).toEqual([
      ['2026-01-01T06:00:00+01:00', 'succeeded'],
      ['2026-01-02T06:00:00+01:00', 'succeeded'],
      ['2026-01-03T06:00:00+01:00', 'succeeded'],
      ['2026-01-04T06:00:00+01:00', 'succeeded'],
      ['2026-01-05T06:00:00+01:00', 'succeeded'],
    ]);
    expect([...fixture.seen].sort()).toEqual(outcomes.map((o) => o.logicalDate));
    expect(fixture.maxActive).toBeLessThanOrEqual(2);
    const store = openWorkspaceSchedulerStore(workspace);
    expect(store.slots({ scheduleId: 'nightly' }).every((s) => s.trigger === 'backfill' && s.state === 'succeeded')).toBe(true);
  });

  it('leaves slots that already ran unless --reprocess says otherwise', async () => {
    fixture.failLabels.add('2026-01-03T06:00:00+01:00');
    const first = await backfill();
    expect(first.map((o) => o.state)).toEqual(['succeeded', 'succeeded', 'failed', 'succeeded', 'succeeded']);
    fixture.failLabels.clear();
    fixture.seen.length = 0;

    const again = await backfill();
    expect(again.map((o) => o.state)).toEqual(['left', 'left', 'left', 'left', 'left']);
    expect(again[2]?.reason).toContain('--reprocess failed');
    expect(fixture.seen).toEqual([]);

    const failed = await backfill({ reprocess: 'failed' });
    expect(failed.map((o) => o.state)).toEqual(['left', 'left', 'succeeded', 'left', 'left']);
    expect(fixture.seen).toEqual(['2026-01-03T06:00:00+01:00']);

    const all = await backfill({ reprocess: 'all', maxActive: 1 });
    expect(all.map((o) => o.state)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded', 'succeeded']);
    const store = openWorkspaceSchedulerStore(workspace);
    const third = Date.parse('2026-01-03T06:00:00+01:00');
    // The failed slot has had three runs, each kept in its history.
    expect(store.slot('nightly', third)).toMatchObject({ state: 'succeeded', runs: 3 });
    expect(store.slotRuns('nightly', third)).toHaveLength(3);
  });

  it('does not run slots after now, and refuses a reversed range', async () => {
    const outcomes = await backfill({ to: Date.parse('2026-03-01T00:00:00Z') });
    expect(outcomes.at(-1)?.logicalDate).toBe('2026-01-31T06:00:00+01:00');
    await expect(backfill({ from: Date.parse('2026-01-05T00:00:00Z'), to: Date.parse('2026-01-01T00:00:00Z') })).rejects.toThrow(BackfillRangeError);
  });

  it('finishes a slot a dead backfill left running under its run id, instead of running it again', async () => {
    const store = openWorkspaceSchedulerStore(workspace);
    const slotTime = Date.parse('2026-01-02T06:00:00+01:00');
    // A backfill process claimed the slot and died before its run was created.
    store.registerInstance('dead-backfill', 'backfill', 999_999, hostname(), NOW);
    store.claimBackfill({ scheduleId: 'nightly', slotTime, logicalDate: '2026-01-02T06:00:00+01:00', pipelineHash: pipeline.hash, reprocess: 'none', owner: 'dead-backfill', runId: 'orphan-run', now: NOW });
    const outcomes = await backfill({ processAlive: (pid) => pid !== 999_999 });
    expect(outcomes[1]).toMatchObject({ state: 'succeeded', runId: 'orphan-run' });
    expect(store.slot('nightly', slotTime)).toMatchObject({ state: 'succeeded', runs: 1, runId: 'orphan-run' });
    expect(await workspace.store.getRun('orphan-run')).toMatchObject({ state: 'succeeded' });
  });
});
