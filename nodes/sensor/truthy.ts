/**
 * Whether a query's first value says "go": not null, zero, false, an empty string, or the
 * strings "0" / "false" (what a text column of flags holds).
 */
export function truthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false) return false;
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value);
  if (typeof value === 'bigint') return value !== 0n;
  if (typeof value === 'string') return !['', '0', 'false'].includes(value.trim().toLowerCase());
  return true;
}
