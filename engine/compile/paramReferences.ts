/**
 * Node params may refer to pipeline params as `{{ params.name }}`. A string that is exactly one
 * reference takes the param's value with its type (a number stays a number); a reference inside
 * a longer string is interpolated as text. Lookups are own-property only: `params.constructor`
 * must not find Object.prototype's.
 */
const REFERENCE = /\{\{\s*params\.([A-Za-z_][A-Za-z0-9_-]*)\s*\}\}/g;
const WHOLE_REFERENCE = /^\{\{\s*params\.([A-Za-z_][A-Za-z0-9_-]*)\s*\}\}$/;

export type ParamValue = string | number | boolean;

export interface Substitution {
  value: unknown;
  /** Referenced names that are not declared, with the JSON pointer suffix where they occur. */
  undefinedReferences: Array<{ name: string; path: Array<string | number> }>;
}

/** Whether any string inside `value` could hold a reference (most params hold none). */
function mentionsReference(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('{{');
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some(mentionsReference);
  for (const key in value) if (Object.hasOwn(value, key) && mentionsReference((value as Record<string, unknown>)[key])) return true;
  return false;
}

export function substituteParams(value: unknown, params: Readonly<Record<string, ParamValue>>): Substitution {
  // Nothing to substitute: the value as it is (callers copy before they change anything).
  if (!mentionsReference(value)) return { value, undefinedReferences: [] };
  const undefinedReferences: Substitution['undefinedReferences'] = [];
  const walk = (v: unknown, path: Array<string | number>): unknown => {
    if (typeof v === 'string') {
      const whole = WHOLE_REFERENCE.exec(v);
      if (whole) {
        const name = whole[1] as string;
        if (!Object.hasOwn(params, name)) {
          undefinedReferences.push({ name, path });
          return v;
        }
        return params[name];
      }
      return v.replace(REFERENCE, (match, name: string) => {
        if (!Object.hasOwn(params, name)) {
          undefinedReferences.push({ name, path });
          return match;
        }
        return String(params[name]);
      });
    }
    if (Array.isArray(v)) return v.map((item, i) => walk(item, [...path, i]));
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, walk(item, [...path, k])]));
    }
    return v;
  };
  return { value: walk(value, []), undefinedReferences };
}
