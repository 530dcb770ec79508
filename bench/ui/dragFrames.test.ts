import { describe, expect, it } from 'vitest';
import { dragFrameSamples } from './dragFrames.js';

describe('dragFrameSamples', () => {
  it('times each frame from the first move it answers to when it was drawn', () => {
    const samples = dragFrameSamples({
      moves: [0, 20, 25, 60],
      frames: [
        { committedAt: 8, paintedAt: 12 },
        { committedAt: 30, paintedAt: 33 },
        { committedAt: 70, paintedAt: 90 },
      ],
    });
    expect(samples.frameMs).toEqual([12, 13, 30]);
    expect(samples.movesPerFrame).toEqual([1, 2, 1]);
    expect(samples.unanswered).toBe(0);
  });

  it('skips commits no move led to and counts moves left unanswered', () => {
    const samples = dragFrameSamples({
      moves: [10, 50],
      frames: [
        { committedAt: 5, paintedAt: 6 },
        { committedAt: 15, paintedAt: 18 },
      ],
    });
    expect(samples.frameMs).toEqual([8]);
    expect(samples.unanswered).toBe(1);
  });
});
