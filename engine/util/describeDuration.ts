/** 90000 → "1m30s", 2592000000 → "30d": a duration people read in reasons and comments. */
export function describeDuration(ms: number): string {
  const parts: string[] = [];
  let left = Math.round(ms / 1000);
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    if (left >= size) {
      parts.push(`${Math.floor(left / size)}${unit}`);
      left %= size;
    }
  }
  return parts.length ? parts.join('') : `${ms}ms`;
}
