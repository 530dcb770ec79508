import { useEffect, useState, type ReactElement } from 'react';
import type { ApprovalItem, Role } from '../api/contract.js';
import { describeError, engine } from '../api/engineInstance.js';
import { approvalKey, canDecide, decisionConfirmation, outcomeText, sortApprovals, timeoutText, waitedText, type Decision } from '../model/approvalsInbox.js';
import { askConfirmation, showToast } from '../stores/uiStore.js';

/** How often the inbox asks again: a decision can come from the CLI or another browser at any time. */
const REFRESH_MS = 5000;

/**
 * Approvals runs wait on: pipeline, run, node, the question, how long it has waited and what the
 * timeout will do; approvers approve or reject each with a confirmation that asks for the comment
 * the audit log keeps. Other roles see the list without the buttons.
 */
export function ApprovalsInbox({ reload, showDecided = false }: { reload: number; showDecided?: boolean }): ReactElement {
  const [items, setItems] = useState<ApprovalItem[] | null>(null);
  const [role, setRole] = useState<Role | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    engine()
      .whoAmI({})
      .then((me) => setRole(me.role))
      .catch(() => setRole(null));
  }, []);
  useEffect(() => {
    const timer = window.setInterval(() => setTick((n) => n + 1), REFRESH_MS);
    return () => window.clearInterval(timer);
  }, []);
  useEffect(() => {
    let live = true;
    engine()
      .listApprovals(showDecided ? { all: true } : {})
      .then((list) => {
        if (!live) return;
        setItems(sortApprovals(list));
        setNow(Date.now());
        setProblem(null);
      })
      .catch((cause: unknown) => live && setProblem(describeError(cause)));
    return () => {
      live = false;
    };
  }, [reload, tick, showDecided]);

  const decide = async (item: ApprovalItem, decision: Decision): Promise<void> => {
    const answer = await askConfirmation({ ...decisionConfirmation(item, decision), askReason: true });
    if (!answer.confirmed) return;
    setBusy(approvalKey(item));
    try {
      const result = await engine().decideApproval({ runId: item.runId, nodeId: item.nodeId, decision, comment: answer.reason });
      showToast('success', `${item.nodeId} of ${item.pipelineName}: ${result.approval.state}${result.resumed ? '; the run continues' : ''}`);
      setTick((n) => n + 1);
    } catch (cause) {
      setProblem(describeError(cause));
    } finally {
      setBusy(null);
    }
  };

  const decider = canDecide(role);
  return (
    <section className="dash-section dash-card approvals-inbox" data-testid="approvals-inbox">
      <h3>Approvals</h3>
      {problem && <div className="panel-problem">{problem}</div>}
      {items === null && !problem && <div className="dash-empty">Loading…</div>}
      {items !== null && items.length === 0 && <div className="dash-empty">Nothing waits for approval. A pipeline asks with a control.approval node.</div>}
      {items !== null && items.length > 0 && !decider && <div className="muted approvals-note">Your role ({role ?? 'unknown'}) can see approvals; an approver decides them.</div>}
      <ul className="approvals-list">
        {(items ?? []).map((item) => {
          const key = approvalKey(item);
          return (
            <li key={key} className={`approval approval--${item.state}`} data-testid={`approval-${key}`}>
              <div className="approval-head">
                <b>{item.pipelineName}</b> <span className="muted">· {item.nodeId} · run {item.runId}</span>
              </div>
              <div className="approval-message">{item.message}</div>
              <div className="muted approval-meta">
                {item.state === 'waiting'
                  ? `waiting ${waitedText(item.requestedAt, now)} (since ${new Date(item.requestedAt).toLocaleString()}) · ${timeoutText(item, now)}`
                  : outcomeText(item)}
              </div>
              {item.state === 'waiting' && decider && (
                <div className="approval-actions">
                  <button type="button" className="primary" disabled={busy !== null} onClick={() => void decide(item, 'approve')} data-testid={`approve-${key}`}>
                    Approve…
                  </button>
                  <button type="button" className="danger" disabled={busy !== null} onClick={() => void decide(item, 'reject')} data-testid={`reject-${key}`}>
                    Reject…
                  </button>
                </div>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
