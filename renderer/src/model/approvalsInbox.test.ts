import { describe, expect, it } from 'vitest';
import type { ApprovalItem } from '../api/contract.js';
import { approvalKey, canDecide, decisionConfirmation, outcomeText, sortApprovals, timeoutText, waitedText } from './approvalsInbox.js';

const T0 = Date.UTC(2026, 11, 7, 12);
function item(overrides: Partial<ApprovalItem> = {}): ApprovalItem {
  return {
    runId: 'r1', nodeId: 'gate', pipelineId: 'churn', pipelineName: 'Churn retrain', message: 'Promote the challenger?',
    requestedAt: T0, timeoutMs: null, onTimeout: 'reject', state: 'waiting', decidedBy: null, decidedAt: null, comment: null,
    byTimeout: false, deadline: null, runState: 'running', ...overrides,
  };
}

describe('approvals inbox helpers', () => {
  it('lets only approvers decide', () => {
    expect(canDecide('approver')).toBe(true);
    expect(canDecide('editor')).toBe(false);
    expect(canDecide('viewer')).toBe(false);
    expect(canDecide(null)).toBe(false);
  });

  it('says how long something waited in a unit that reads well', () => {
    expect(waitedText(T0, T0 + 42_000)).toBe('42 s');
    expect(waitedText(T0, T0 + 5 * 60_000 + 10_000)).toBe('5 min');
    expect(waitedText(T0, T0 + 3 * 3_600_000)).toBe('3 h');
    expect(waitedText(T0, T0 + 3 * 3_600_000 + 20 * 60_000)).toBe('3 h 20 min');
    expect(waitedText(T0, T0 + 52 * 3_600_000)).toBe('2 d 4 h');
    expect(waitedText(T0 + 1000, T0)).toBe('0 s');
  });

  it('says what the timeout will do', () => {
    expect(timeoutText(item(), T0)).toBe('waits until decided');
    expect(timeoutText(item({ deadline: T0 + 3_600_000, onTimeout: 'approve' }), T0)).toBe('approves by default in 1 h');
    expect(timeoutText(item({ deadline: T0 - 1 }), T0)).toBe('rejects by default at the next check');
  });

  it('puts the longest wait first and decided ones after, newest first', () => {
    const sorted = sortApprovals([
      item({ runId: 'decided-old', state: 'approved', decidedAt: T0 + 1 }),
      item({ runId: 'new', requestedAt: T0 + 100 }),
      item({ runId: 'decided-new', state: 'rejected', decidedAt: T0 + 2 }),
      item({ runId: 'old', requestedAt: T0 }),
    ]);
    expect(sorted.map(approvalKey)).toEqual(['old/gate', 'new/gate', 'decided-new/gate', 'decided-old/gate']);
  });

  it('names the change and its consequence in the confirmation', () => {
    const approve = decisionConfirmation(item(), 'approve');
    expect(approve).toMatchObject({ title: 'Approve Churn retrain · gate', change: 'run r1 · gate: waiting → approved', confirmLabel: 'Approve', danger: false });
    expect(approve.message).toContain('continues');
    const reject = decisionConfirmation(item({ runState: 'waiting' }), 'reject');
    expect(reject).toMatchObject({ confirmLabel: 'Reject', danger: true });
    expect(reject.message).toContain('skipped');
    expect(reject.message).toContain('the server resumes it');
  });

  it('reads a decision back', () => {
    expect(outcomeText(item())).toBe('waiting');
    expect(outcomeText(item({ state: 'approved', decidedBy: 'token:dana', comment: 'looks good' }))).toBe('approved by token:dana: looks good');
    expect(outcomeText(item({ state: 'rejected', decidedBy: 'timeout', byTimeout: true, comment: 'no decision within 1h' }))).toBe('rejected by default (timeout)');
  });
});
