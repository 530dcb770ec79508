/**
 * The value at a dot path in parsed JSON (`data.items.0.state`; an empty path is the whole
 * document), or undefined where the path leads nowhere.
 */
export function valueAtPath(document: unknown, path: string): unknown {
  let value = document;
  for (const key of path.split('.').filter((k) => k !== '')) {
    if (Array.isArray(value) && /^\d+$/.test(key)) value = value[Number(key)];
    else if (value !== null && typeof value === 'object' && !Array.isArray(value)) value = Object.entries(value).find(([k]) => k === key)?.[1];
    else return undefined;
  }
  return value;
}
