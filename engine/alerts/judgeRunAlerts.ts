import type { MetricRecord, RunRecord, TaskRecord } from '../store/runStore.js';
import type { Alert } from './alert.js';
import { DRIFT_VERDICT_METRICS, type AlertRule } from './alertRule.js';

export interface RaisedAlert {
  rule: AlertRule;
  alert: Alert;
}

export interface FinishedRun {
  run: RunRecord;
  tasks: readonly TaskRecord[];
  metrics: readonly MetricRecord[];
  /** When it is judged (epoch ms). */
  now: number;
}

/** Each metric's last value in the run, per node. */
function lastValues(metrics: readonly MetricRecord[]): MetricRecord[] {
  const last = new Map<string, MetricRecord>();
  for (const m of metrics) {
    const key = `${m.nodeId}\u0000${m.name}`;
    const seen = last.get(key);
    if (!seen || seen.time <= m.time) last.set(key, m);
  }
  return [...last.values()];
}

const ruleKey = (run: RunRecord, rule: AlertRule): string => `${run.pipelineId}/${rule.id}`;

/**
 * The pipeline-level alerts a finished run raises, one per rule and subject: pure, so what fires
 * is testable without sending anything. The cooldown is the sender's business.
 */
export function judgeRunAlerts(rules: readonly AlertRule[], finished: FinishedRun): RaisedAlert[] {
  const { run, tasks, now } = finished;
  const metrics = lastValues(finished.metrics);
  const raised: RaisedAlert[] = [];
  const base = (rule: AlertRule): Pick<Alert, 'rule' | 'pipelineId' | 'runId' | 'time'> => ({ rule: ruleKey(run, rule), pipelineId: run.pipelineId, runId: run.id, time: now });
  for (const rule of rules) {
    switch (rule.on) {
      case 'failure': {
        if (run.state !== 'failed') break;
        const failed = tasks.filter((t) => t.state === 'failed');
        const first = failed[0];
        raised.push({
          rule,
          alert: {
            ...base(rule),
            subject: `failure:${run.pipelineId}`,
            severity: 'critical',
            title: `${run.pipelineName} failed`,
            message: first?.error?.message ?? run.error ?? 'The run failed.',
            facts: { failed_nodes: failed.map((t) => t.nodeId).join(', ') },
          },
        });
        break;
      }
      case 'drift': {
        for (const m of metrics) {
          if (!DRIFT_VERDICT_METRICS.includes(m.name) || m.value < 1 || (rule.node !== undefined && rule.node !== m.nodeId)) continue;
          raised.push({
            rule,
            alert: {
              ...base(rule),
              subject: `drift:${m.nodeId}`,
              severity: 'warning',
              title: `${run.pipelineName}: drift detected by ${m.nodeId}`,
              message: `Node ${m.nodeId} reported ${m.name.replace('_', ' ')} in run ${run.id}.`,
              facts: { node: m.nodeId, metric: m.name, value: m.value },
            },
          });
        }
        break;
      }
      case 'kpi': {
        for (const m of metrics) {
          if (m.name !== rule.metric || (rule.node !== undefined && rule.node !== m.nodeId)) continue;
          const tooHigh = rule.above !== undefined && m.value > rule.above;
          const tooLow = rule.below !== undefined && m.value < rule.below;
          if (!tooHigh && !tooLow) continue;
          const bound = tooHigh ? `above ${rule.above}` : `below ${rule.below}`;
          raised.push({
            rule,
            alert: {
              ...base(rule),
              subject: `kpi:${m.nodeId}.${m.name}`,
              severity: 'warning',
              title: `${run.pipelineName}: ${m.name} ${bound}`,
              message: `${m.nodeId}.${m.name} is ${m.value}, ${bound}.`,
              facts: { node: m.nodeId, metric: m.name, value: m.value, ...(rule.above !== undefined ? { above: rule.above } : {}), ...(rule.below !== undefined ? { below: rule.below } : {}) },
            },
          });
        }
        break;
      }
      case 'deadline': {
        const alert = deadlineAlert(rule, run, (run.finishedAt ?? now) - run.startedAt, now);
        if (alert) raised.push({ rule, alert });
        break;
      }
    }
  }
  return raised;
}

/** The missed-deadline alert of a run that has been going (or went) for `durationMs`, if it is over. */
export function deadlineAlert(rule: Extract<AlertRule, { on: 'deadline' }>, run: Pick<RunRecord, 'id' | 'pipelineId' | 'pipelineName'>, durationMs: number, now: number): Alert | undefined {
  const limitMs = rule.maxMinutes * 60_000;
  if (durationMs <= limitMs) return undefined;
  return {
    rule: `${run.pipelineId}/${rule.id}`,
    pipelineId: run.pipelineId,
    runId: run.id,
    time: now,
    // Per run: a slow run is reported once however often it is judged; the next slow run again.
    subject: `deadline:${run.id}`,
    severity: 'warning',
    title: `${run.pipelineName} missed its deadline`,
    message: `Run ${run.id} has taken ${(durationMs / 60_000).toFixed(1)} min, more than the ${rule.maxMinutes} min allowed.`,
    facts: { duration_ms: Math.round(durationMs), max_minutes: rule.maxMinutes },
  };
}
