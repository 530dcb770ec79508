const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/;

/**
 * `"30d"`, `"12h"`, `"90m"`, `"45s"`, `"250ms"`, `"2w"` → milliseconds; undefined for anything
 * else, so callers can name the flag or param in their own error.
 */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (!match) return undefined;
  const unit = match[2] as keyof typeof UNIT_MS;
  return Math.round(Number(match[1]) * UNIT_MS[unit]);
}

/** What `parseDuration` accepts, for error messages and param descriptions. */
export const DURATION_HELP = 'a number and a unit: ms, s, m, h, d or w (e.g. 30d, 12h, 90s)';
