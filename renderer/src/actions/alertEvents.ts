import type { RunEvent } from '../api/contract.js';
import { receiveRunEvent } from '../stores/runStore.js';
import { showToast } from '../stores/uiStore.js';

/** The text a desktop alert shows in the app. */
export function alertText(alert: Extract<RunEvent, { type: 'alert' }>['alert']): string {
  return `Alert: ${alert.title}. ${alert.message}`;
}

/**
 * Routes the engine's events: desktop alerts become a notification (they belong to no run view;
 * the Electron host also shows them in the system's notification area), the rest go to the runs.
 */
export function receiveEngineEvent(event: RunEvent): void {
  if (event.type === 'alert') {
    showToast(event.alert.severity === 'info' ? 'info' : 'error', alertText(event.alert));
    return;
  }
  receiveRunEvent(event);
}
