import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PipelineDocumentSchema, type PipelineDocument } from '../format/pipelineDocument.js';
import { ManualClock } from '../testing/manualClock.js';
import { SchedulerFixture, memorySource, scheduledDocument } from '../testing/schedulerFixture.js';
import type { Workspace } from '../workspace/workspace.js';
import { Scheduler, type SchedulerOptions } from './scheduler.js';
import type { SchedulerEvent } from './schedulerEvent.js';
import { openWorkspaceSchedulerStore } from './workspaceSchedulerStore.js';

let fixture: SchedulerFixture;
let workspace: Workspace;
let clock: ManualClock;
let documents: PipelineDocument[];
let events: SchedulerEvent[];
const schedulers: Scheduler[] = [];

beforeEach(async () => {
  fixture = new SchedulerFixture();
  workspace = await fixture.workspace();
  clock = new ManualClock(Date.parse('2026-01-05T09:00:30Z'));
  documents = [];
  events = [];
});

afterEach(async () => {
  fixture.release();
  for (const scheduler of schedulers.splice(0)) await scheduler.stop();
  await fixture.close();
});

function scheduler(options: Partial<SchedulerOptions> = {}): Scheduler {
  const s = new Scheduler({ workspace, source: memorySource(() => documents, fixture.home), clock, onEvent: (e) => events.push(e), maxSleepMs: 6 * 3_600_000, ...options });
  schedulers.push(s);
  return s;
}

/** Moves the clock to `time`, waking the scheduler at every time it asked to wake on the way. */
async function advanceTo(s: Scheduler, time: string): Promise<void> {
  const target = Date.parse(time);
  for (let wake = clock.nextWake(); wake !== undefined && wake <= target; wake = clock.nextWake()) {
    clock.set(wake);
    await s.drain();
  }
  clock.set(target);
  await s.drain();
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
}

const slotStates = (pipelineId = 'nightly'): Array<[string, string]> => {
  const store = openWorkspaceSchedulerStore(workspace);
  return store
    .slots({ scheduleId: pipelineId })
    .reverse()
    .map((s) => [s.logicalDate, s.state]);
};

describe('Scheduler', () => {
  it('fires each slot once at its time, in its timezone across a daylight-saving change, with the logical date as a param', async () => {
    clock.set('2026-03-27T12:00:00Z');
    documents = [scheduledDocument({ cron: '30 2 * * *', timezone: 'Europe/Berlin' }, { label: '{{ params.logical_date }}', declareLogicalDate: true })];
    const s = scheduler();
    await s.start();
    expect(events[0]).toMatchObject({ type: 'pipeline.scheduled', scheduleId: 'nightly', next: '2026-03-28T02:30:00+01:00' });
    await advanceTo(s, '2026-03-31T00:00:00Z');
    expect(fixture.seen).toEqual(['2026-03-28T02:30:00+01:00', '2026-03-29T03:00:00+02:00', '2026-03-30T02:30:00+02:00']);
    expect(slotStates()).toEqual([
      ['2026-03-28T02:30:00+01:00', 'succeeded'],
      ['2026-03-29T03:00:00+02:00', 'succeeded'],
      ['2026-03-30T02:30:00+02:00', 'succeeded'],
    ]);
    const runs = await workspace.store.listRuns({ pipelineId: 'nightly' });
    expect(runs.map((r) => r.params.logical_date).sort()).toEqual(fixture.seen);
    expect(events.filter((e) => e.type === 'slot.fired').map((e) => e.type === 'slot.fired' && e.trigger)).toEqual(['schedule', 'schedule', 'schedule']);
  });

  it('records the logical date among the params of a run whose pipeline does not declare it', async () => {
    documents = [scheduledDocument({ cron: '0 10 * * *' })];
    const s = scheduler();
    await s.start();
    await advanceTo(s, '2026-01-05T10:00:05Z');
    const [run] = await workspace.store.listRuns({ pipelineId: 'nightly' });
    expect(run?.params).toEqual({ logical_date: '2026-01-05T10:00:00+00:00' });
    expect(run?.state).toBe('succeeded');
  });

  it('gives the local day to a pipeline that declares logical_day', async () => {
    const document = scheduledDocument({ cron: '30 0 * * *', timezone: 'Europe/Berlin' }, { label: '{{ params.logical_day }}' });
    documents = [{ ...document, params: { logical_day: { type: 'string', default: '1970-01-01' } } }];
    const s = scheduler();
    await s.start();
    await advanceTo(s, '2026-01-05T23:45:00Z');
    // 00:30 in Berlin on the 6th is 23:30 UTC on the 5th: the day is Berlin's.
    expect(fixture.seen).toEqual(['2026-01-06']);
  });

  describe('catch-up after downtime', () => {
    async function downFiveHours(catchUp: 'skip' | 'latest' | 'all'): Promise<Scheduler> {
      documents = [scheduledDocument({ cron: '0 * * * *', catchUp })];
      const first = scheduler();
      await first.start(); // registers the pipeline at 09:00:30
      await first.stop();
      clock.set('2026-01-05T14:10:00Z'); // slots 10:00 ... 14:00 passed while nothing ran
      const second = scheduler();
      await second.start();
      await second.drain();
      return second;
    }

    it('skip: every passed slot is recorded as missed, none runs', async () => {
      await downFiveHours('skip');
      expect(slotStates().map(([, state]) => state)).toEqual(['missed', 'missed', 'missed', 'missed', 'missed']);
      expect(fixture.seen).toEqual([]);
      expect(events.filter((e) => e.type === 'slot.missed')).toHaveLength(5);
    });

    it('latest: only the newest passed slot runs', async () => {
      await downFiveHours('latest');
      expect(slotStates()).toEqual([
        ['2026-01-05T10:00:00+00:00', 'missed'],
        ['2026-01-05T11:00:00+00:00', 'missed'],
        ['2026-01-05T12:00:00+00:00', 'missed'],
        ['2026-01-05T13:00:00+00:00', 'missed'],
        ['2026-01-05T14:00:00+00:00', 'succeeded'],
      ]);
      const store = openWorkspaceSchedulerStore(workspace);
      expect(store.slot('nightly', Date.parse('2026-01-05T14:00:00Z'))?.trigger).toBe('catch-up');
    });

    it('all: every passed slot runs, oldest first', async () => {
      await downFiveHours('all');
      expect(slotStates().map(([, state]) => state)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded', 'succeeded']);
      expect((await workspace.store.listRuns({ pipelineId: 'nightly' })).map((r) => r.params.logical_date).reverse()).toEqual([
        '2026-01-05T10:00:00+00:00',
        '2026-01-05T11:00:00+00:00',
        '2026-01-05T12:00:00+00:00',
        '2026-01-05T13:00:00+00:00',
        '2026-01-05T14:00:00+00:00',
      ]);
    });
  });

  it('never fires a slot twice when a second scheduler opens the same file mid-run, and resumes the run after the first stops', async () => {
    documents = [scheduledDocument({ cron: '0 10 * * *' })];
    fixture.hold();
    const first = scheduler();
    await first.start();
    clock.set('2026-01-05T10:00:00Z');
    await first.tick();
    expect(first.activeRuns).toBe(1);

    // A second process on the same SQLite file (its own workspace and connection).
    const otherWorkspace = await fixture.workspace();
    const second = new Scheduler({ workspace: otherWorkspace, source: memorySource(() => documents, fixture.home), clock, onEvent: (e) => events.push(e), maxSleepMs: 3_600_000 });
    schedulers.push(second);
    await second.start();
    expect(second.activeRuns).toBe(0);
    expect(await workspace.store.listRuns({ pipelineId: 'nightly' })).toHaveLength(1);

    // The first stops in the middle of the slot: its run is cancelled, the slot stays running.
    await first.stop();
    expect(slotStates()).toEqual([['2026-01-05T10:00:00+00:00', 'running']]);
    fixture.release();
    await second.tick();
    await second.drain();

    const store = openWorkspaceSchedulerStore(workspace);
    const slot = store.slot('nightly', Date.parse('2026-01-05T10:00:00Z'));
    expect(slot).toMatchObject({ state: 'succeeded', runs: 1 });
    expect(store.slotRuns('nightly', slot?.slotTime ?? 0)).toEqual([slot?.runId]);
    const runs = await workspace.store.listRuns({ pipelineId: 'nightly' });
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ id: slot?.runId, state: 'succeeded', resumes: 1 });
    expect(events.some((e) => e.type === 'slot.resumed')).toBe(true);
  });

  it('keeps at most maxActiveRuns runs of a pipeline at once; the others wait queued', async () => {
    documents = [scheduledDocument({ cron: '*/10 * * * *', catchUp: 'all', maxActiveRuns: 2 })];
    const s = scheduler();
    await s.start();
    fixture.hold();
    clock.set('2026-01-05T09:45:00Z'); // 09:10 ... 09:40 are due: four slots
    await s.tick();
    expect(slotStates().map(([, state]) => state)).toEqual(['running', 'running', 'queued', 'queued']);
    expect(s.activeRuns).toBe(2);
    await until(() => fixture.active === 2);
    fixture.release();
    await s.drain();
    expect(slotStates().map(([, state]) => state)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
    expect(fixture.maxActive).toBe(2);
  });

  it('records a missed deadline for a run still going after it, once', async () => {
    documents = [scheduledDocument({ cron: '0 10 * * *', deadlineMinutes: 30 })];
    const s = scheduler();
    await s.start();
    fixture.hold();
    clock.set('2026-01-05T10:00:00Z');
    await s.tick();
    expect(s.activeRuns).toBe(1);
    clock.set('2026-01-05T10:31:00Z');
    await s.tick();
    await s.tick();
    const missed = events.filter((e) => e.type === 'deadline.missed');
    expect(missed).toEqual([{ type: 'deadline.missed', scheduleId: 'nightly', logicalDate: '2026-01-05T10:00:00+00:00', runId: expect.any(String), deadline: '2026-01-05T10:30:00.000Z' }]);
    fixture.release();
    await s.drain();
    const store = openWorkspaceSchedulerStore(workspace);
    expect(store.events({ kind: 'deadline.missed' })).toHaveLength(1);
    expect(store.slot('nightly', Date.parse('2026-01-05T10:00:00Z'))).toMatchObject({ state: 'succeeded', deadlineMissedAt: Date.parse('2026-01-05T10:31:00Z') });
  });

  it('skips a slot whose pipeline does not compile, and says why', async () => {
    documents = [scheduledDocument({ cron: '0 10 * * *' }, { label: '{{ params.missing }}' })];
    const s = scheduler();
    await s.start();
    await advanceTo(s, '2026-01-05T10:00:01Z');
    const skipped = events.find((e) => e.type === 'slot.skipped');
    expect(skipped).toMatchObject({ scheduleId: 'nightly', reason: expect.stringContaining('"missing"') });
    expect(slotStates()).toEqual([['2026-01-05T10:00:00+00:00', 'skipped']]);
  });

  it('fires a segment on its own cron, reusing the latest outputs of the nodes upstream of it', async () => {
    documents = [
      PipelineDocumentSchema.parse({
        format: 'trellis.pipeline/1',
        id: 'nightly',
        nodes: [
          { id: 'features', type: 'test.hook', version: 1, params: { label: 'features' } },
          { id: 'train', type: 'test.hook', version: 1, params: { label: 'train' }, cache: false },
        ],
        edges: [{ from: 'features', to: 'train' }],
        schedule: { cron: '0 6 * * *', segments: [{ id: 'retrain', cron: '30 * * * *', from: 'train' }] },
      }),
    ];
    clock.set('2026-01-05T05:10:00Z');
    const s = scheduler();
    await s.start();
    // 05:30: the segment's first slot, before any run of "features": it cannot reuse anything.
    await advanceTo(s, '2026-01-05T07:45:00Z');
    expect(fixture.seen).toEqual(['features', 'train', 'train', 'train']);
    const store = openWorkspaceSchedulerStore(workspace);
    const segment = store.slots({ scheduleId: 'nightly.retrain' }).reverse();
    expect(segment.map((slot) => [slot.logicalDate, slot.state])).toEqual([
      ['2026-01-05T05:30:00+00:00', 'failed'],
      ['2026-01-05T06:30:00+00:00', 'succeeded'],
      ['2026-01-05T07:30:00+00:00', 'succeeded'],
    ]);
    expect(segment[0]?.reason).toContain('no earlier successful output');
    const tasks = await workspace.store.getTasks(segment[1]?.runId ?? '');
    expect(tasks.find((t) => t.nodeId === 'features')).toMatchObject({ state: 'cached', cache: { reason: expect.stringContaining('reused the outputs of run') } });
    expect(slotStates()).toEqual([['2026-01-05T06:00:00+00:00', 'succeeded']]);
  });
});
