import type { RunResult } from '../executor/executePlan.js';
import { DetachRequest } from '../executor/detachRequest.js';
import type { RunEventListener } from '../executor/eventRecorder.js';
import type { CliIo } from './cliIo.js';
import { RunProgressView } from './runProgressView.js';

/**
 * Runs `start` with live progress and Ctrl-C handling: the first Ctrl-C cancels cleanly (tasks
 * stop, child processes are killed, the run is recorded as cancelled, or as waiting when a task
 * awaits an approval), a second one exits at once
 * (the run is then marked interrupted at the next start and can be resumed).
 */
export async function runInteractive(
  io: CliIo,
  quiet: boolean,
  start: (signal: AbortSignal, listeners: RunEventListener[]) => Promise<RunResult>,
  exit: (code: number) => void = (code) => process.exit(code),
): Promise<RunResult> {
  const controller = new AbortController();
  const view = quiet ? undefined : new RunProgressView(io);
  let interrupts = 0;
  const onSignal = (): void => {
    interrupts++;
    if (interrupts === 1) {
      io.err('\ncancelling the run… (tasks waiting for an approval stay waiting; press Ctrl-C again to stop immediately)\n');
      // Leaving, not stopping the run: an approval someone has yet to give keeps the run waiting.
      controller.abort(new DetachRequest());
    } else {
      io.err('\nstopped; resume later with `trellis resume RUN`\n');
      exit(130);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await start(controller.signal, view ? [view.listener] : []);
  } finally {
    view?.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
