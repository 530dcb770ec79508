import type { SchedulerClock } from '../scheduler/schedulerClock.js';

/** A clock tests move by hand: `set` jumps to a time and wakes the sleepers whose time has come. */
export class ManualClock implements SchedulerClock {
  private sleepers: Array<{ at: number; wake: () => void }> = [];

  constructor(private time: number) {}

  now(): number {
    return this.time;
  }

  sleep(ms: number, wake: () => void): () => void {
    const sleeper = { at: this.time + ms, wake };
    this.sleepers.push(sleeper);
    return () => {
      this.sleepers = this.sleepers.filter((s) => s !== sleeper);
    };
  }

  /** The time the earliest sleeper wakes, if any sleeps. */
  nextWake(): number | undefined {
    return this.sleepers.length === 0 ? undefined : Math.min(...this.sleepers.map((s) => s.at));
  }

  set(time: number | string): void {
    this.time = typeof time === 'string' ? Date.parse(time) : time;
    const due = this.sleepers.filter((s) => s.at <= this.time);
    this.sleepers = this.sleepers.filter((s) => s.at > this.time);
    for (const sleeper of due) sleeper.wake();
  }
}
