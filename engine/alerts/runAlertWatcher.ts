import type { RunEventListener } from '../executor/eventRecorder.js';
import type { RunResult } from '../executor/executePlan.js';
import type { RunStore } from '../store/runStore.js';
import type { AlertRule } from './alertRule.js';
import type { AlertService } from './alertService.js';
import { deadlineAlert, judgeRunAlerts } from './judgeRunAlerts.js';

/** Where what happened to each alert is reported (the CLI prints it; hosts may log it). */
export type AlertReport = (line: string) => void;

const cooldownOf = (rule: AlertRule): number => rule.cooldownMinutes * 60_000;

/**
 * Runs `execute` with a pipeline's alert rules watching: a deadline rule fires while the run is
 * still going, the moment it overruns; when the run ends, every rule is judged on its stored
 * state and metrics and what fires is sent. Sending never fails the run: a channel error is
 * logged with the alert and reported.
 */
export async function watchRunAlerts(
  rules: readonly AlertRule[],
  alerts: AlertService,
  store: RunStore,
  execute: (listener: RunEventListener) => Promise<RunResult>,
  report: AlertReport = () => undefined,
): Promise<RunResult> {
  if (rules.length === 0) return execute(() => undefined);
  const timers: NodeJS.Timeout[] = [];
  const pending: Array<Promise<unknown>> = [];
  const send = (rule: AlertRule, alert: Parameters<AlertService['dispatch']>[0]): void => {
    pending.push(
      alerts.dispatch(alert, rule.channels, cooldownOf(rule)).then(
        (result) => report(`alert ${alert.title}: ${result.outcome} (${result.detail.join('; ')})`),
        (cause: unknown) => report(`alert ${alert.title}: not sent: ${cause instanceof Error ? cause.message : String(cause)}`),
      ),
    );
  };
  const listener: RunEventListener = (event) => {
    if (event.type !== 'run.started') return;
    for (const rule of rules) {
      if (rule.on !== 'deadline') continue;
      const limitMs = rule.maxMinutes * 60_000;
      const timer = setTimeout(() => {
        void store.getRun(event.runId).then((run) => {
          if (!run || run.state !== 'running') return;
          const alert = deadlineAlert(rule, run, Date.now() - run.startedAt, Date.now());
          if (alert) send(rule, alert);
        });
      }, limitMs + 1);
      timer.unref();
      timers.push(timer);
    }
  };
  try {
    const result = await execute(listener);
    const [run, metrics] = await Promise.all([store.getRun(result.runId), store.getMetrics({ runId: result.runId })]);
    if (run) for (const { rule, alert } of judgeRunAlerts(rules, { run, tasks: result.tasks, metrics, now: Date.now() })) send(rule, alert);
    return result;
  } finally {
    for (const timer of timers) clearTimeout(timer);
    await Promise.allSettled(pending);
  }
}
