/**
 * Time as the scheduler sees it, injected so tests can move it: `now` in epoch ms, and `sleep`,
 * which calls `wake` once after `ms` unless the returned function cancels it first.
 */
export interface SchedulerClock {
  now(): number;
  sleep(ms: number, wake: () => void): () => void;
}

/** The real clock. Timers do not keep the process alive on their own (the scheduler's caller does). */
export const systemClock: SchedulerClock = {
  now: () => Date.now(),
  sleep(ms, wake) {
    const timer = setTimeout(wake, ms);
    timer.unref();
    return () => clearTimeout(timer);
  },
};
