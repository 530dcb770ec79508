import type { RunEvent } from '../run/runEvent.js';
import type { RunStore } from '../store/runStore.js';

export type RunEventListener = (event: RunEvent) => void;

/**
 * Commits closer together than this are merged into one. Each commit writes every database page
 * its events touched, and a large run's task updates land on pages all over the cache-key index,
 * so committing every turn of the event loop rewrote the same pages dozens of times a second.
 * Listeners hear of events at most this much later, which a progress display does not notice.
 */
const MIN_COMMIT_INTERVAL_MS = 50;

/**
 * Commits events to the store in batches and only then hands them to listeners, so whatever a
 * listener (CLI, UI, server) has seen is already durable. Events raised together (within a turn
 * of the event loop, or within MIN_COMMIT_INTERVAL_MS of the last commit) share one transaction:
 * that keeps a 10,000-node run from paying one commit per state change while every change is
 * still committed before anyone hears of it.
 */
export class EventRecorder {
  private pending: RunEvent[] = [];
  private flushing: Promise<void> | undefined;
  /** Starts the scheduled commit now instead of at its time (see flush). */
  private hurry: (() => void) | undefined;
  private lastCommit = Number.NEGATIVE_INFINITY;
  private failure: unknown;

  constructor(
    private readonly store: RunStore,
    private readonly listeners: readonly RunEventListener[],
  ) {}

  emit(event: RunEvent): void {
    this.pending.push(event);
    if (this.flushing) return;
    const wait = this.lastCommit + MIN_COMMIT_INTERVAL_MS - performance.now();
    this.flushing = new Promise<void>((resolve) => {
      if (wait <= 0) {
        setImmediate(resolve);
        return;
      }
      const timer = setTimeout(go, wait);
      function go(): void {
        clearTimeout(timer);
        resolve();
      }
      this.hurry = go;
    }).then(() => this.drain());
  }

  /** Resolves once everything emitted so far is committed and delivered; rejects if a commit failed. */
  async flush(): Promise<void> {
    while (this.flushing) {
      this.hurry?.();
      await this.flushing;
    }
    if (this.failure !== undefined) throw this.failure;
  }

  private async drain(): Promise<void> {
    this.hurry = undefined;
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      try {
        await this.store.apply(batch);
      } catch (cause) {
        this.failure ??= cause;
        continue;
      } finally {
        this.lastCommit = performance.now();
      }
      for (const event of batch) {
        for (const listener of this.listeners) {
          try {
            listener(event);
          } catch {
            // A listener's bug must not stop the run or the other listeners.
          }
        }
      }
    }
    this.flushing = undefined;
  }
}
