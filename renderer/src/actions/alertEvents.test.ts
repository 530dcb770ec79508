import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { useRunStore } from '../stores/runStore.js';
import { useUiStore } from '../stores/uiStore.js';
import { receiveEngineEvent } from './alertEvents.js';

describe('receiveEngineEvent', () => {
  beforeAll(() => {
    // showToast schedules its dismissal on window.setTimeout; tests run without a DOM.
    vi.stubGlobal('window', { setTimeout: () => 0 });
  });
  afterAll(() => {
    vi.unstubAllGlobals();
  });

  it('shows a desktop alert as a notification and leaves the runs alone', () => {
    const before = useRunStore.getState().runs;
    receiveEngineEvent({
      type: 'alert',
      runId: 'r-alert',
      time: 1,
      alert: { rule: 'churn/drift', subject: 'drift:check', severity: 'warning', title: 'churn: drift detected', message: 'Node check reported dataset drift.', pipelineId: 'churn', runId: 'r-alert', time: 1, facts: {} },
    });
    expect(useUiStore.getState().toast).toMatchObject({ kind: 'error', message: 'Alert: churn: drift detected. Node check reported dataset drift.' });
    expect(useRunStore.getState().runs).toBe(before);
  });

  it('passes run events on to the run store', () => {
    receiveEngineEvent({ type: 'run.finished', runId: 'r-run', time: 2, state: 'succeeded' });
    expect(useRunStore.getState().runs['r-run']?.state).toBe('succeeded');
  });
});
