import { useState, type ReactElement } from 'react';
import { useRunStore } from '../stores/runStore.js';
import { ApprovalsInbox } from './ApprovalsInbox.js';

/** The approvals inbox as a page: what waits now, and on request what was decided and by whom. */
export function ApprovalsView(): ReactElement {
  const [showDecided, setShowDecided] = useState(false);
  const [changes, setChanges] = useState(0);
  // A run reaching an approval node (or finishing) changes the list: refresh on run events too.
  const events = useRunStore((s) => Object.values(s.runs).reduce((n, run) => n + Object.values(run.tasks).filter((t) => t.state === 'waiting').length + (run.finishedAt === undefined ? 0 : 1), 0));
  return (
    <div className="view-page approvals-view nokey" data-testid="approvals-view">
      <header className="view-header">
        <h2>Approvals</h2>
        <label className="approvals-toggle">
          <input type="checkbox" checked={showDecided} onChange={(event) => setShowDecided(event.target.checked)} data-testid="approvals-show-decided" /> show decided
        </label>
        <button type="button" onClick={() => setChanges((n) => n + 1)} data-testid="approvals-refresh">
          Refresh
        </button>
      </header>
      <ApprovalsInbox reload={changes + events} showDecided={showDecided} />
    </div>
  );
}
