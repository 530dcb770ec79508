import { describe, expect, it } from 'vitest';
import { loadDocument } from './loadDocument.js';

const withSchedule = (schedule: unknown): string => JSON.stringify({ format: 'trellis.pipeline/1', id: 'p', nodes: [], schedule });

describe('the schedule section', () => {
  it('fills in defaults: UTC, catch up the latest slot, one active run, enabled', () => {
    const loaded = loadDocument(withSchedule({ cron: '0 6 * * *' }));
    expect(loaded.ok && loaded.document.schedule).toEqual({ cron: '0 6 * * *', timezone: 'UTC', catchUp: 'latest', maxActiveRuns: 1, enabled: true });
  });

  it('refuses a bad cron expression or timezone, pointing at the field', () => {
    const cron = loadDocument(withSchedule({ cron: '0 6 * *' }));
    expect(cron.ok).toBe(false);
    expect(!cron.ok && cron.diagnostics[0]).toMatchObject({ pointer: '/schedule/cron', message: expect.stringContaining('not a cron expression') });
    const zone = loadDocument(withSchedule({ cron: '0 6 * * *', timezone: 'Europe/Berln' }));
    expect(!zone.ok && zone.diagnostics[0]).toMatchObject({ pointer: '/schedule/timezone', message: expect.stringContaining('IANA timezone') });
    const policy = loadDocument(withSchedule({ cron: '0 6 * * *', catchUp: 'some' }));
    expect(!policy.ok && policy.diagnostics[0]?.pointer).toBe('/schedule/catchUp');
  });

  it('takes segments that each name exactly one of from, to or only, with unique ids', () => {
    const ok = loadDocument(withSchedule({ cron: '0 6 * * *', segments: [{ id: 'features', cron: '0 * * * *', to: 'features' }] }));
    expect(ok.ok && ok.document.schedule?.segments).toEqual([{ id: 'features', cron: '0 * * * *', to: 'features' }]);
    const two = loadDocument(withSchedule({ cron: '0 6 * * *', segments: [{ id: 'x', cron: '0 * * * *', from: 'a', to: 'b' }] }));
    expect(!two.ok && two.diagnostics[0]?.message).toContain('exactly one of "from", "to" or "only"');
    const twice = loadDocument(withSchedule({ cron: '0 6 * * *', segments: [{ id: 'x', cron: '0 * * * *', only: 'a' }, { id: 'x', cron: '0 * * * *', only: 'b' }] }));
    expect(!twice.ok && twice.diagnostics[0]).toMatchObject({ pointer: '/schedule/segments/1/id', message: expect.stringContaining('used twice') });
  });
});
