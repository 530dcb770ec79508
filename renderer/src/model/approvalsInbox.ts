import type { ApprovalItem, Role } from '../api/contract.js';

export type Decision = 'approve' | 'reject';

/** Only approvers decide; viewers and editors see the inbox without the buttons. */
export function canDecide(role: Role | null): boolean {
  return role === 'approver';
}

/** How long something has waited, in the largest unit that reads well: `42 s`, `5 min`, `3 h 20 min`, `2 d 4 h`. */
export function waitedText(since: number, now: number): string {
  const seconds = Math.max(0, Math.floor((now - since) / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days} d` : `${days} d ${hours % 24} h`;
}

/** What happens when nobody decides: `rejects by default in 3 h`, `approved by default now`, or `waits until decided`. */
export function timeoutText(item: Pick<ApprovalItem, 'deadline' | 'onTimeout'>, now: number): string {
  if (item.deadline === null) return 'waits until decided';
  const verb = item.onTimeout === 'approve' ? 'approves' : 'rejects';
  return item.deadline <= now ? `${verb} by default at the next check` : `${verb} by default in ${waitedText(now, item.deadline)}`;
}

/** Waiting approvals first, oldest first among them (the longest wait is the most urgent); decided ones after, newest first. */
export function sortApprovals(items: readonly ApprovalItem[]): ApprovalItem[] {
  return [...items].sort((a, b) => {
    const aWaits = a.state === 'waiting';
    const bWaits = b.state === 'waiting';
    if (aWaits !== bWaits) return aWaits ? -1 : 1;
    return aWaits ? a.requestedAt - b.requestedAt : (b.decidedAt ?? 0) - (a.decidedAt ?? 0);
  });
}

/** A stable key for a row and its test id. */
export function approvalKey(item: Pick<ApprovalItem, 'runId' | 'nodeId'>): string {
  return `${item.runId}/${item.nodeId}`;
}

/** What the confirmation dialog asks before a decision (the comment it asks for goes to the audit log). */
export function decisionConfirmation(item: Pick<ApprovalItem, 'pipelineName' | 'nodeId' | 'runId' | 'message' | 'runState'>, decision: Decision): {
  title: string;
  message: string;
  change: string;
  confirmLabel: string;
  danger: boolean;
} {
  const then = decision === 'approve'
    ? 'The run continues past this node.'
    : 'The node fails and everything that depends on it is skipped.';
  const resume = item.runState === 'waiting' ? ' No process drives the run now, so the server resumes it.' : '';
  return {
    title: `${decision === 'approve' ? 'Approve' : 'Reject'} ${item.pipelineName} · ${item.nodeId}`,
    message: `"${item.message}" ${then}${resume} The decision is final and kept in the audit log with your comment.`,
    change: `run ${item.runId} · ${item.nodeId}: waiting → ${decision === 'approve' ? 'approved' : 'rejected'}`,
    confirmLabel: decision === 'approve' ? 'Approve' : 'Reject',
    danger: decision === 'reject',
  };
}

/** How a decided approval reads: `approved by token:dana: looks good`, `rejected by default (timeout)`. */
export function outcomeText(item: Pick<ApprovalItem, 'state' | 'decidedBy' | 'comment' | 'byTimeout'>): string {
  if (item.state === 'waiting') return 'waiting';
  const by = item.byTimeout ? 'by default (timeout)' : `by ${item.decidedBy ?? 'someone'}`;
  return `${item.state} ${by}${item.comment && !item.byTimeout ? `: ${item.comment}` : ''}`;
}
