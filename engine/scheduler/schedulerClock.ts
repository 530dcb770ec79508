/**
 * Time as the scheduler sees it, injected so tests can move it: `now` in epoch ms, and `sleep`,
 * which calls `wake` once after `ms` unless the returned function cancels it first.
 */
export interface SchedulerClock {
  now(): number;
  sleep(ms: number, wake: () => void): () => void;
}

/**
 * The real clock. Its timer keeps the process alive, which is what `trellis scheduler` needs
 * between slots; `Scheduler.stop` cancels it.
 */
export const systemClock: SchedulerClock = {
  now: () => Date.now(),
  sleep(ms, wake) {
    // setTimeout holds at most 2^31-1 ms; the scheduler never sleeps longer than its maxSleepMs anyway.
    const timer = setTimeout(wake, Math.min(ms, 2_147_483_647));
    return () => clearTimeout(timer);
  },
};
