import type { RunEvent } from '../run/runEvent.js';
import type { TaskState } from '../run/taskState.js';
import type { CliIo } from './cliIo.js';
import { formatDuration } from './formatDuration.js';

const ICON: Record<TaskState, string> = {
  pending: '·', queued: '○', running: '▶', waiting: '⏸', succeeded: '✔', failed: '✖', skipped: '↷', cancelled: '■', cached: '⚡',
};
const COLOR: Record<TaskState, string> = {
  pending: '2', queued: '2', running: '36', waiting: '93', succeeded: '32', failed: '31', skipped: '33', cancelled: '35', cached: '34',
};
/** Redraws at most this often on a terminal. */
const FRAME_MS = 100;
/** Most task lines shown at once; the header counts the rest. */
const MAX_LINES = 20;

interface TaskView {
  id: string;
  type: string;
  state: TaskState;
  attempt: number;
  startedAt?: number;
  finishedAt?: number;
  fraction?: number;
  message?: string;
  note?: string;
}

/**
 * Shows a run as it happens. On a terminal: a header with counts and a live block of task lines
 * (running tasks with progress bars first) redrawn in place. Elsewhere: one plain line per
 * task state change, so logs and CI output stay readable.
 */
export class RunProgressView {
  private readonly tasks = new Map<string, TaskView>();
  private drawnLines = 0;
  private timer: NodeJS.Timeout | undefined;
  private runId = '';

  constructor(private readonly io: CliIo) {}

  readonly listener = (event: RunEvent): void => {
    this.apply(event);
    if (this.io.isTty) this.schedule();
    else this.plain(event);
  };

  /** Final redraw; call once the run has finished. */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.io.isTty) this.draw();
  }

  private apply(event: RunEvent): void {
    if (event.type === 'run.started') {
      this.runId = event.runId;
      for (const node of event.nodes) if (!this.tasks.has(node.id)) this.tasks.set(node.id, { id: node.id, type: node.type, state: 'pending', attempt: 0 });
      return;
    }
    if (event.type === 'task.state') {
      const task = this.tasks.get(event.nodeId);
      if (!task) return;
      task.state = event.state;
      task.attempt = event.attempt || task.attempt;
      if (event.state === 'running' && task.startedAt === undefined) task.startedAt = event.time;
      if (event.state !== 'running' && event.state !== 'queued' && event.state !== 'pending' && event.state !== 'waiting') task.finishedAt = event.time;
      task.note = event.error?.message ?? event.reason ?? (event.cache && event.state === 'cached' ? `cached: ${event.cache.reason}` : task.note);
    }
    if (event.type === 'task.progress') {
      const task = this.tasks.get(event.nodeId);
      if (!task) return;
      task.fraction = event.fraction;
      if (event.message !== undefined) task.message = event.message;
    }
  }

  private plain(event: RunEvent): void {
    const time = new Date(event.time).toISOString().slice(11, 19);
    if (event.type === 'run.started') this.io.out(`${time} run ${event.runId} started: ${event.pipelineId} (${event.nodes.length} nodes)${event.resumed ? ', resumed' : ''}\n`);
    if (event.type === 'task.state' && event.state !== 'queued' && event.state !== 'pending') {
      const task = this.tasks.get(event.nodeId);
      const took = task?.startedAt !== undefined && task.finishedAt !== undefined ? ` in ${formatDuration(task.finishedAt - task.startedAt)}` : '';
      const attempt = event.state === 'running' && event.attempt > 1 ? ` (attempt ${event.attempt})` : '';
      const detail = event.error?.message ?? event.reason ?? (event.cache ? `cache ${event.cache.outcome}: ${event.cache.reason}` : '');
      this.io.out(`${time} ${event.nodeId} ${event.state}${attempt}${took}${detail ? ` — ${detail}` : ''}\n`);
    }
    if (event.type === 'task.log' && (event.level === 'warn' || event.level === 'error')) this.io.out(`${time} ${event.nodeId} ${event.level}: ${event.message}\n`);
    if (event.type === 'run.finished') this.io.out(`${time} run ${event.runId} ${event.state}${event.error ? `: ${event.error}` : ''}\n`);
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.draw();
    }, FRAME_MS);
  }

  private draw(): void {
    const tasks = [...this.tasks.values()];
    const counts = new Map<TaskState, number>();
    for (const task of tasks) counts.set(task.state, (counts.get(task.state) ?? 0) + 1);
    const done = tasks.filter((t) => t.finishedAt !== undefined).length;
    const header = `run ${this.runId}  ${done}/${tasks.length} done  ` + [...counts].map(([state, n]) => paint(state, `${ICON[state]} ${n} ${state}`)).join('  ');
    const rank = (t: TaskView): number => (t.state === 'running' || t.state === 'waiting' ? 0 : t.state === 'failed' ? 1 : t.state === 'queued' ? 3 : t.finishedAt !== undefined ? 2 : 4);
    const shown = [...tasks].sort((a, b) => rank(a) - rank(b) || (b.finishedAt ?? 0) - (a.finishedAt ?? 0)).slice(0, MAX_LINES);
    const width = Math.max(40, this.io.columns - 1);
    const now = Date.now();
    const lines = [header, ...shown.map((task) => this.line(task, now))].map((line) => truncate(line, width));
    const up = this.drawnLines > 0 ? `\x1b[${this.drawnLines}A` : '';
    this.io.out(`${up}${lines.map((line) => `\x1b[2K${line}`).join('\n')}\n`);
    this.drawnLines = lines.length;
  }

  private line(task: TaskView, now: number): string {
    const elapsed = task.startedAt === undefined ? '' : formatDuration((task.finishedAt ?? now) - task.startedAt);
    const bar = task.state === 'running' ? ` ${progressBar(task.fraction ?? 0, 20)} ${Math.round((task.fraction ?? 0) * 100)}%` : '';
    const attempt = task.attempt > 1 ? ` attempt ${task.attempt}` : '';
    const note = task.state === 'running' ? (task.message ?? '') : (task.note ?? '');
    return `${paint(task.state, `${ICON[task.state]} ${task.id}`)} ${dim(task.type)}${bar} ${elapsed}${attempt}${note ? ` ${dim(note)}` : ''}`;
  }
}

function paint(state: TaskState, text: string): string {
  return `\x1b[${COLOR[state]}m${text}\x1b[0m`;
}

function dim(text: string): string {
  return `\x1b[2m${text}\x1b[0m`;
}

function progressBar(fraction: number, width: number): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `[${'█'.repeat(filled)}${' '.repeat(width - filled)}]`;
}

/** Cuts a line with escape codes to `width` visible characters. */
function truncate(line: string, width: number): string {
  let visible = 0;
  let out = '';
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '\x1b') {
      const end = line.indexOf('m', i);
      out += line.slice(i, end + 1);
      i = end;
      continue;
    }
    if (visible >= width) continue;
    out += line[i];
    visible++;
  }
  return `${out}\x1b[0m`;
}
