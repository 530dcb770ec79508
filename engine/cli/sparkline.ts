const BARS = '▁▂▃▄▅▆▇█';

/** The last `width` values as a row of block characters, scaled between their min and max (flat: all middle). */
export function sparkline(values: readonly number[], width = 20): string {
  const shown = values.slice(-width);
  if (shown.length === 0) return '';
  const min = Math.min(...shown);
  const max = Math.max(...shown);
  return shown.map((v) => BARS[max === min ? 3 : Math.round(((v - min) / (max - min)) * (BARS.length - 1))]).join('');
}
