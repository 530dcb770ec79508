import type { ReactElement } from 'react';
import { setView, useUiStore, type ViewName } from '../stores/uiStore.js';

const VIEWS: ReadonlyArray<{ view: ViewName; label: string; title: string }> = [
  { view: 'canvas', label: 'Canvas', title: 'Edit and run the pipeline' },
  { view: 'dashboard', label: 'Dashboard', title: "The pipeline's KPIs, drift and latest evaluation" },
  { view: 'models', label: 'Models', title: 'The model registry: versions, aliases, promote and roll back' },
  { view: 'approvals', label: 'Approvals', title: 'Runs waiting for a person to approve or reject' },
];

/** Canvas | Dashboard | Models. */
export function ViewSwitch(): ReactElement {
  const current = useUiStore((s) => s.view);
  return (
    <div className="view-switch" role="tablist" aria-label="view">
      {VIEWS.map(({ view, label, title }) => (
        <button key={view} type="button" role="tab" aria-selected={view === current} className={view === current ? 'on' : ''} title={title} onClick={() => setView(view)} data-testid={`view-${view}`}>
          {label}
        </button>
      ))}
    </div>
  );
}
