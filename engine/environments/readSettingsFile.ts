import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { parseJson } from '../format/parseJson.js';
import { SettingsFileError } from './settingsFileError.js';

/** Reads and validates a JSON settings file; every problem is a SettingsFileError naming the file and field. */
export function readSettingsFile<T extends z.ZodType>(path: string, schema: T): z.infer<T> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new SettingsFileError(`cannot read ${path}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
  const parsed = parseJson(text);
  if (!parsed.ok) throw new SettingsFileError(`${path}: ${parsed.diagnostic.message}`);
  const checked = schema.safeParse(parsed.value);
  if (!checked.success) {
    const problems = checked.error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(top level)'}: ${issue.message}`);
    throw new SettingsFileError(`${path} is not valid:\n  ${problems.join('\n  ')}`);
  }
  return checked.data;
}
