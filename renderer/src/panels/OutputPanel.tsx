import { useState, type ReactElement } from 'react';
import type { PortValue } from '../api/contract.js';
import { portColor } from '../canvas/visuals.js';
import { shownRun, useRunStore } from '../stores/runStore.js';
import { useUiStore } from '../stores/uiStore.js';
import { ChartValueView } from './ChartValueView.js';
import { FileValueView } from './FileValueView.js';
import { MetricsView } from './MetricsView.js';
import { TablePreviewView } from './TablePreviewView.js';

function PortValueView({ value }: { value: PortValue }): ReactElement {
  if (value.kind === 'table') return <TablePreviewView value={value} />;
  if (value.kind === 'metrics') return <MetricsView value={value} />;
  if (value.kind === 'chart') return <ChartValueView value={value} />;
  return <FileValueView value={value} />;
}

/** The outputs of the selected node in the shown run, one tab per output port. */
export function OutputPanel(): ReactElement {
  const nodeId = useUiStore((s) => (s.selectedNodes.length === 1 ? s.selectedNodes[0] : undefined));
  const task = useRunStore((s) => (nodeId ? shownRun(s)?.tasks[nodeId] : undefined));
  const [port, setPort] = useState<string | null>(null);
  if (!nodeId) return <div className="panel-empty" data-testid="output-panel">Select a node to see its outputs.</div>;
  const outputs = task?.outputs ?? {};
  const ports = Object.keys(outputs);
  if (ports.length === 0) {
    return (
      <div className="panel-empty" data-testid="output-panel">
        {task ? `${nodeId} is ${task.state}; it has no outputs in this run.` : `${nodeId} has not run yet. Run the pipeline (or “Run up to here”) to see its outputs.`}
      </div>
    );
  }
  const current = port !== null && ports.includes(port) ? port : (ports[0] ?? '');
  const value = outputs[current];
  return (
    <div className="output" data-testid="output-panel">
      <div className="port-tabs">
        {ports.map((name) => {
          const v = outputs[name];
          return (
            <button key={name} type="button" className={name === current ? 'on' : ''} onClick={() => setPort(name)} data-testid={`output-port-${name}`}>
              <i style={{ background: portColor(v?.kind ?? 'any') }} />
              {nodeId}.{name}
            </button>
          );
        })}
      </div>
      {value && <PortValueView key={`${nodeId}.${current}`} value={value} />}
    </div>
  );
}
