import { z } from 'zod';

/** Per output column: [mean, population std]. Both sides report these, to check they agree. */
export const ColumnStatsSchema = z.record(z.string(), z.tuple([z.number(), z.number()]));
export type ColumnStats = z.infer<typeof ColumnStatsSchema>;

/** Wall and CPU seconds per stage of a run, in the order they ran. */
export const StagesSchema = z.record(z.string(), z.object({ seconds: z.number(), cpuSeconds: z.number() }));
export type Stages = z.infer<typeof StagesSchema>;

/** What trellisPart prints: wall and CPU time and peak RSS of our side, and the numbers it produced. */
export const TrellisPartSchema = z.object({
  seconds: z.number(),
  cpuSeconds: z.number(),
  peakRssBytes: z.number(),
  rows: z.number(),
  output: z.string(),
  stages: StagesSchema,
  stats: ColumnStatsSchema,
});
export type TrellisPartResult = z.infer<typeof TrellisPartSchema>;
