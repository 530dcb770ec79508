import type { TaskState } from '../api/contract.js';

/** Port colours: one per port type, used by handles, port labels and edges (see canvas.css). */
export const PORT_COLORS: Readonly<Record<string, string>> = {
  table: '#2f6fd0',
  model: '#8b3fc4',
  transform: '#d9822b',
  metrics: '#1f9d55',
  report: '#5f6b7a',
  chart: '#c43f5e',
  any: '#8a8f98',
  control: '#9aa0a6',
};

export function portColor(type: string): string {
  return PORT_COLORS[type] ?? PORT_COLORS.any ?? '#888';
}

/** Category accents on node headers and palette groups. */
const CATEGORY_COLORS: Readonly<Record<string, string>> = {
  source: '#2f6fd0',
  data: '#0e8a9a',
  featurize: '#d9822b',
  split: '#a86b00',
  code: '#5a55c9',
  train: '#8b3fc4',
  model: '#8b3fc4',
  evaluate: '#1f9d55',
  monitor: '#c43f5e',
  chart: '#c43f5e',
  control: '#5f6b7a',
  sensor: '#5f6b7a',
  featurestore: '#0e8a9a',
  debug: '#8a8f98',
};

export function categoryColor(category: string | undefined): string {
  return (category !== undefined ? CATEGORY_COLORS[category] : undefined) ?? '#8a8f98';
}

/** An icon and a word per task state (colours live in canvas.css, `.tn--<state>`). */
export const STATE_VISUALS: Readonly<Record<TaskState, { icon: string; label: string }>> = {
  pending: { icon: '○', label: 'pending' },
  queued: { icon: '◔', label: 'queued' },
  running: { icon: '◌', label: 'running' },
  waiting: { icon: '⏸', label: 'awaiting approval' },
  succeeded: { icon: '✓', label: 'succeeded' },
  failed: { icon: '✕', label: 'failed' },
  skipped: { icon: '↷', label: 'skipped' },
  cancelled: { icon: '⊘', label: 'cancelled' },
  cached: { icon: '⚡', label: 'cached' },
};
