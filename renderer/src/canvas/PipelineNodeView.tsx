import { Position, useStore, type NodeProps, type ReactFlowState } from '@xyflow/react';
import { memo, type ReactElement } from 'react';
import type { Diagnostic } from '../api/contract.js';
import { entryFor } from '../model/catalogIndex.js';
import { diagnosticsOf } from '../model/diagnosticsByNode.js';
import { CONTROL_HANDLE } from '../model/endpoints.js';
import { formatDuration } from '../model/runView.js';
import { useDocumentStore } from '../stores/documentStore.js';
import { shownRun, useRunStore } from '../stores/runStore.js';
import { useUiStore } from '../stores/uiStore.js';
import { Elapsed } from './Elapsed.js';
import type { PipelineFlowNode } from './flowElements.js';
import { PortHandle } from './PortHandle.js';
import { categoryColor, portColor, STATE_VISUALS } from './visuals.js';

const NO_DIAGNOSTICS: readonly Diagnostic[] = [];

/**
 * Below this zoom text is under 5 px tall and a handle a few pixels wide, too small to read or
 * aim at. Nodes are then drawn at the same size without their texts and with handles as plain
 * markers (see PortHandle): a large pipeline fitted into view costs a thousand plain boxes, not
 * thousands of clipped text boxes and live handles that each follow React Flow's store.
 */
export const DETAIL_MIN_ZOOM = 0.35;
const tooSmallForDetail = (s: ReactFlowState): boolean => s.transform[2] < DETAIL_MIN_ZOOM;

/** One pipeline node on the canvas: ports as typed handles, live run state, its problems. */
function PipelineNodeView({ id, data, selected }: NodeProps<PipelineFlowNode>): ReactElement {
  const node = data.node;
  const entry = useUiStore((s) => entryFor(s.catalog, node.type, node.version));
  const readOnly = useRunStore((s) => s.viewing !== null);
  const task = useRunStore((s) => shownRun(s)?.tasks[id]);
  const diagnostics = useDocumentStore((s) => (readOnly ? NO_DIAGNOSTICS : diagnosticsOf(s.diagnostics, id)));
  const live = !useStore(tooSmallForDetail);

  const state = task?.state;
  const inputs = entry?.inputs ?? [];
  const outputs = entry?.outputs ?? [];
  const rows = Math.max(inputs.length, outputs.length);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const visual = state ? STATE_VISUALS[state] : undefined;
  const duration = task?.startedAt !== undefined && task.finishedAt !== undefined ? formatDuration(task.finishedAt - task.startedAt) : undefined;
  const classes = ['tn', state ? `tn--${state}` : 'tn--idle', selected ? 'tn--selected' : '', entry ? '' : 'tn--unknown'].filter(Boolean).join(' ');

  return (
    <div className={classes} data-testid={`node-${id}`} data-state={state ?? 'idle'} data-node-type={node.type}>
      <PortHandle live={live} type="target" position={Position.Top} id={CONTROL_HANDLE} className="tn-control" data-testid={`handle-${id}-control-in`} title="control in: run after the node connected here" />
      <div className="tn-header" style={{ borderTopColor: categoryColor(entry?.category) }}>
        <span className="tn-state" title={visual?.label ?? 'not run'} data-testid={`node-state-${id}`}>
          {visual?.icon ?? '•'}
        </span>
        <div className="tn-titles">
          {/* Fixed line heights (canvas.css): a node is as tall without its texts as with them. */}
          <div className="tn-title">{live ? (node.title ?? id) : null}</div>
          <div className="tn-sub">
            {live && (
              <>
                {node.title !== undefined ? `${id} · ` : entry ? `${entry.title} · ` : ''}
                {node.type}
                {entry ? '' : ' (unknown type)'}
              </>
            )}
          </div>
        </div>
        {task?.state === 'cached' && (
          <span className="tn-badge tn-badge--cached" title={task.cache?.reason ?? 'reused an earlier result'} data-testid={`node-cached-${id}`}>
            cached
          </span>
        )}
        {diagnostics.length > 0 && (
          <span
            className={`tn-badge ${errors ? 'tn-badge--error' : 'tn-badge--warning'}`}
            title={diagnostics.map((d) => `${d.code}: ${d.message}`).join('\n')}
            data-testid={`node-problems-${id}`}
          >
            {diagnostics.length}
          </span>
        )}
      </div>
      {rows > 0 && (
        <div className="tn-ports">
          {Array.from({ length: rows }, (_, i) => {
            const input = inputs[i];
            const output = outputs[i];
            return (
              <div className="tn-port-row" key={i}>
                <div className="tn-port tn-port--in">
                  {input && (
                    <>
                      <PortHandle
                        live={live}
                        type="target"
                        position={Position.Left}
                        id={input.name}
                        className={`tn-handle${input.multiple ? ' tn-handle--multiple' : ''}`}
                        style={{ background: portColor(input.type), borderColor: portColor(input.type) }}
                        data-testid={`handle-${id}-in-${input.name}`}
                        data-port-type={input.type}
                        title={`${input.name}: ${input.type}${input.multiple ? ' (many edges)' : ''}${input.optional ? ' (optional)' : ''}${input.description ? ` — ${input.description}` : ''}`}
                      />
                      {live && (
                        <span className="tn-port-label" style={{ color: portColor(input.type) }}>
                          {input.name}
                          {input.optional ? '?' : ''}
                        </span>
                      )}
                    </>
                  )}
                </div>
                <div className="tn-port tn-port--out">
                  {output && (
                    <>
                      {live && (
                        <span className="tn-port-label" style={{ color: portColor(output.type) }}>
                          {output.name}
                        </span>
                      )}
                      <PortHandle
                        live={live}
                        type="source"
                        position={Position.Right}
                        id={output.name}
                        className="tn-handle"
                        style={{ background: portColor(output.type), borderColor: portColor(output.type) }}
                        data-testid={`handle-${id}-out-${output.name}`}
                        data-port-type={output.type}
                        title={`${output.name}: ${output.type}${output.description ? ` — ${output.description}` : ''}`}
                      />
                    </>
                  )}
                </div>
              </div>
            );
          })}
        </div>
      )}
      {state === 'running' && (
        <div className="tn-progress" data-testid={`node-progress-${id}`}>
          <div className={`tn-progress-bar${task?.progress ? '' : ' tn-progress-bar--indeterminate'}`} style={task?.progress ? { width: `${Math.round(task.progress.fraction * 100)}%` } : undefined} />
        </div>
      )}
      {task && (state === 'running' || duration !== undefined || (task.attempt > 1)) && (
        <div className="tn-footer">
          {state === 'running' && task.progress?.message ? <span className="tn-progress-message">{task.progress.message}</span> : <span>{visual?.label}</span>}
          <span className="tn-duration" data-testid={`node-duration-${id}`}>
            {task.attempt > 1 ? `attempt ${task.attempt} · ` : ''}
            {state === 'running' && task.startedAt !== undefined ? <Elapsed since={task.startedAt} /> : duration}
          </span>
        </div>
      )}
      {state === 'failed' && task?.error && (
        <div className="tn-error nodrag" data-testid={`node-error-${id}`} title={task.error.hint ?? task.error.message}>
          {task.error.param ? <b>{task.error.param}: </b> : null}
          {task.error.message}
        </div>
      )}
      {state === 'skipped' && task?.reason && <div className="tn-note">{task.reason}</div>}
      <PortHandle live={live} type="source" position={Position.Bottom} id={CONTROL_HANDLE} className="tn-control" data-testid={`handle-${id}-control-out`} title="control out: nodes connected here run after this one" />
    </div>
  );
}

/**
 * Re-rendered only when what it draws changes: React Flow also hands a node its position, which
 * changes on every pointer move of a drag, and moving the node is React Flow's wrapper's job.
 * Keep this list in step with the props the view reads.
 */
function sameView(a: NodeProps<PipelineFlowNode>, b: NodeProps<PipelineFlowNode>): boolean {
  return a.id === b.id && a.data === b.data && a.selected === b.selected;
}

export default memo(PipelineNodeView, sameView);
