import { useEffect, useState, type ReactElement } from 'react';
import type { ApiOutput } from '../api/contract.js';
import { describeError, engine } from '../api/engineInstance.js';
import { useRunStore } from '../stores/runStore.js';
import { ApprovalsInbox } from '../approvals/ApprovalsInbox.js';
import { AuditLog } from './AuditLog.js';
import { ModelDetailView } from './ModelDetailView.js';
import { ModelList } from './ModelList.js';

/** The model registry: models and their aliases, one model's versions and alias moves, the audit log. */
export function ModelsView(): ReactElement {
  const [models, setModels] = useState<ApiOutput<'listModels'> | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [changes, setChanges] = useState(0);
  // A run that saves a model adds a version: reload when runs finish.
  const finished = useRunStore((s) => Object.values(s.runs).filter((r) => r.finishedAt !== undefined).length);
  const reload = changes + finished;

  useEffect(() => {
    engine()
      .listModels({})
      .then((list) => {
        setModels(list);
        setProblem(null);
        setSelected((name) => (name !== null && list.some((m) => m.name === name) ? name : (list[0]?.name ?? null)));
      })
      .catch((cause: unknown) => setProblem(describeError(cause)));
  }, [reload]);

  const changed = (): void => setChanges((n) => n + 1);
  return (
    <div className="view-page nokey" data-testid="models-view">
      <header className="view-header">
        <h2>Models</h2>
        <button type="button" onClick={changed} data-testid="models-refresh">
          Refresh
        </button>
      </header>
      {problem && <div className="panel-problem">{problem}</div>}
      <div className="models-layout">
        <aside className="models-side">
          {models === null ? <div className="dash-empty">Loading…</div> : <ModelList models={models} selected={selected} onSelect={setSelected} />}
          <ApprovalsInbox reload={reload} />
        </aside>
        <main className="models-main">
          {selected !== null ? <ModelDetailView name={selected} reload={reload} onChanged={changed} /> : null}
          <AuditLog reload={reload} />
        </main>
      </div>
    </div>
  );
}
