import { describe, expect, it } from 'vitest';
import { CronSlots } from './cronSlots.js';
import { parseBound, zonedIso } from './zonedTime.js';

const iso = (ms: number, tz: string): string => zonedIso(ms, tz);
const BERLIN = 'Europe/Berlin';

describe('CronSlots across daylight-saving changes (Europe/Berlin, 2026)', () => {
  it('a fixed-time job in the spring gap runs once, just after the gap', () => {
    const slots = new CronSlots({ cron: '30 2 * * *', timezone: BERLIN }).between(Date.parse('2026-03-27T00:00:00Z'), Date.parse('2026-03-31T00:00:00Z'), 10);
    expect(slots.map((s) => iso(s, BERLIN))).toEqual([
      '2026-03-27T02:30:00+01:00',
      '2026-03-28T02:30:00+01:00',
      // 02:30 does not exist on the last Sunday of March: clocks go from 02:00 to 03:00.
      '2026-03-29T03:00:00+02:00',
      '2026-03-30T02:30:00+02:00',
    ]);
  });

  it('a fixed-time job at a repeated autumn time runs once, at its first occurrence', () => {
    const slots = new CronSlots({ cron: '30 2 * * *', timezone: BERLIN }).between(Date.parse('2026-10-24T00:00:00Z'), Date.parse('2026-10-27T00:00:00Z'), 10);
    expect(slots.map((s) => iso(s, BERLIN))).toEqual(['2026-10-24T02:30:00+02:00', '2026-10-25T02:30:00+02:00', '2026-10-26T02:30:00+01:00']);
    // 24 + 1 hours between the 25th and the 26th: the day is an hour longer.
    expect(((slots[2] as number) - (slots[1] as number)) / 3_600_000).toBe(25);
  });

  it('an hourly job skips the missing hour and runs in both repeated hours', () => {
    const hourly = new CronSlots({ cron: '30 * * * *', timezone: BERLIN });
    const spring = hourly.between(Date.parse('2026-03-29T00:00:00Z'), Date.parse('2026-03-29T02:00:00Z'), 10).map((s) => iso(s, BERLIN));
    expect(spring).toEqual(['2026-03-29T01:30:00+01:00', '2026-03-29T03:30:00+02:00']);
    const autumn = hourly.between(Date.parse('2026-10-24T23:00:00Z'), Date.parse('2026-10-25T02:00:00Z'), 10).map((s) => iso(s, BERLIN));
    expect(autumn).toEqual(['2026-10-25T01:30:00+02:00', '2026-10-25T02:30:00+02:00', '2026-10-25T02:30:00+01:00']);
  });

  it('reads the cron in its timezone, not in UTC', () => {
    const ny = new CronSlots({ cron: '0 6 * * *', timezone: 'America/New_York' }).next(Date.parse('2026-01-10T00:00:00Z'));
    expect(new Date(ny as number).toISOString()).toBe('2026-01-10T11:00:00.000Z');
  });
});

describe('parseBound', () => {
  it('reads a date as that day in the timezone, and an end bound as its last moment', () => {
    expect(new Date(parseBound('2026-03-29', BERLIN, false) as number).toISOString()).toBe('2026-03-28T23:00:00.000Z');
    // The 29th is 23 hours long in Berlin: it ends at 22:00 UTC.
    expect(new Date(parseBound('2026-03-29', BERLIN, true) as number).toISOString()).toBe('2026-03-29T21:59:59.999Z');
    expect(new Date(parseBound('2026-10-25T02:30', BERLIN, false) as number).toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(parseBound('2026-01-05T06:00:00Z', BERLIN, false)).toBe(Date.parse('2026-01-05T06:00:00Z'));
  });

  it('refuses what is not a date', () => {
    expect(parseBound('2026-02-30', BERLIN, false)).toBeUndefined();
    expect(parseBound('yesterday', BERLIN, false)).toBeUndefined();
    expect(parseBound('2026-01-05T25:00', BERLIN, false)).toBeUndefined();
  });
});
