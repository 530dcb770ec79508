/**
 * Instants and wall-clock times in an IANA timezone, from the ICU data Node ships with. Logical
 * dates are written as local time with its UTC offset ("2026-03-29T03:00:00+02:00"), so the date
 * part is the date people in that timezone see, and the text still names one instant.
 */
interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timezone, f);
  }
  return f;
}

function wallClock(ms: number, timezone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const part of formatter(timezone).formatToParts(new Date(ms))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return { year: parts.year ?? 0, month: parts.month ?? 1, day: parts.day ?? 1, hour: parts.hour ?? 0, minute: parts.minute ?? 0, second: parts.second ?? 0 };
}

/** Offset of `timezone` from UTC at the instant `ms`, in minutes (Berlin in summer: 120). */
export function utcOffsetMinutes(ms: number, timezone: string): number {
  const w = wallClock(ms, timezone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
}

const pad = (n: number, width = 2): string => String(Math.abs(n)).padStart(width, '0');

/** ISO 8601 local time with offset, to the second: `2026-10-25T02:00:00+02:00`. */
export function zonedIso(ms: number, timezone: string): string {
  const w = wallClock(ms, timezone);
  const offset = utcOffsetMinutes(ms, timezone);
  const sign = offset < 0 ? '-' : '+';
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${sign}${pad(Math.trunc(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
}

/**
 * The instant at which clocks in `timezone` show this wall time. A time skipped by a
 * daylight-saving change resolves to the instant just after the gap's offset change; a time shown
 * twice resolves to its first occurrence.
 */
export function zonedWallTimeToInstant(wall: WallClock, timezone: string): number {
  const guess = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  // The offsets in force a day either side cover any daylight-saving change near this time.
  const offsets = new Set([-DAY, 0, DAY].map((shift) => utcOffsetMinutes(guess + shift, timezone)));
  const candidates = [...offsets].map((offset) => guess - offset * 60_000).sort((a, b) => a - b);
  const shown = candidates.find((ms) => zonedIso(ms, timezone).slice(0, 19) === isoWall(wall));
  return shown ?? (candidates[candidates.length - 1] as number);
}

const DAY = 86_400_000;

function isoWall(w: WallClock): string {
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * A `--from`/`--to` bound as an instant. `2026-01-31` is that day in `timezone` (its start, or
 * for an end bound its last moment, so `--to 2026-01-31` includes that day's slots);
 * `2026-01-31T06:00` is a wall time there; text with `Z` or an offset is that instant.
 * Undefined when the text is none of these.
 */
export function parseBound(text: string, timezone: string, end: boolean): number | undefined {
  const date = DATE_ONLY.exec(text);
  if (date) {
    const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
    if (!validDate(year, month, day)) return undefined;
    if (!end) return zonedWallTimeToInstant({ year, month, day, hour: 0, minute: 0, second: 0 }, timezone);
    const next = new Date(Date.UTC(year, month - 1, day + 1));
    return zonedWallTimeToInstant({ year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate(), hour: 0, minute: 0, second: 0 }, timezone) - 1;
  }
  const local = LOCAL_DATE_TIME.exec(text);
  if (local) {
    const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(local[i] ?? 0)) as [number, number, number, number, number, number];
    if (!validDate(year, month, day) || hour > 23 || minute > 59 || second > 59) return undefined;
    return zonedWallTimeToInstant({ year, month, day, hour, minute, second }, timezone);
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : undefined;
}

function validDate(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}
