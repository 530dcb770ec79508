import { z } from 'zod';
import { DURATION_HELP, parseDuration } from '../../engine/util/parseDuration.js';

const DurationText = z.string().refine((text) => text.trim() === '' || parseDuration(text) !== undefined, { message: `a duration is ${DURATION_HELP}, or empty to wait for ever` });

/** The params every sensor shares: how often it pokes, for how long, and what a timeout does. */
export const sensorParams = {
  pokeSeconds: z.number().min(0.001).max(86_400).default(60).describe('seconds between pokes (the first interval when backing off)'),
  timeout: DurationText.default('1h').describe(`how long to keep poking, counted from the first poke of this run, resumes included (${DURATION_HELP}); empty pokes for ever`),
  softFail: z.boolean().default(false).describe('on timeout, end skipped (and skip what depends on it) instead of failing the run'),
  backoffFactor: z.number().min(1).max(10).default(1).describe('each interval is the previous one times this (1: a fixed interval)'),
  maxPokeSeconds: z.number().min(0.001).max(86_400).default(3600).describe('the longest interval backing off may reach'),
};

export const SensorParamsSchema = z.object(sensorParams);
export type SensorParams = z.infer<typeof SensorParamsSchema>;

/** The wait after the `pokes`-th poke (1 after the first): the poke interval, grown by the backoff factor, capped. */
export function pokeIntervalMs(params: Pick<SensorParams, 'pokeSeconds' | 'backoffFactor' | 'maxPokeSeconds'>, pokes: number): number {
  const seconds = params.pokeSeconds * params.backoffFactor ** Math.max(0, pokes - 1);
  return Math.max(1, Math.round(Math.min(seconds, Math.max(params.pokeSeconds, params.maxPokeSeconds)) * 1000));
}
