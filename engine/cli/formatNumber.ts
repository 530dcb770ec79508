/** A metric value for a table: integers as they are, others to 4 significant digits. */
export function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 1e6 || Math.abs(value) < 1e-3 ? value.toExponential(3) : String(Number(value.toPrecision(4)));
}
