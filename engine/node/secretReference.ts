import { z } from 'zod';
import { NodeError } from './nodeError.js';

/**
 * Secrets never sit in a pipeline file (it is kept in git and exported to servers): a param
 * holds a reference, `env:NAME`, resolved from the environment of the process that runs the
 * task, so each machine supplies its own credentials. A value may put one word before the
 * reference (`Bearer env:API_TOKEN`), for headers that carry a scheme and a secret.
 */
const REFERENCE = /^(?:([A-Za-z][A-Za-z0-9-]*) )?env:([A-Za-z_][A-Za-z0-9_]*)$/;

/** `env:NAME` or `Scheme env:NAME`. */
export function isSecretReference(value: string): boolean {
  return REFERENCE.test(value);
}

/** A param that must be a secret reference; a literal value fails validation with a clear message. */
export function secretReferenceSchema(what: string): z.ZodString {
  return z
    .string()
    .regex(REFERENCE, `must be a secret reference such as "env:PGPASSWORD" (the name of an environment variable that holds the ${what}); a literal ${what} is not allowed in a pipeline file`);
}

/** The value with its reference resolved; a NodeError naming the variable (never a value) if it is not set. */
export function resolveSecret(reference: string, param: string, env: NodeJS.ProcessEnv = process.env): string {
  const match = REFERENCE.exec(reference);
  const name = match?.[2];
  if (match === null || name === undefined) {
    throw new NodeError(`"${param}" must be a secret reference such as "env:NAME", not a literal value.`, { param, hint: 'Put the secret in an environment variable and reference it as env:NAME.' });
  }
  const value = env[name];
  if (value === undefined || value === '') {
    throw new NodeError(`the environment variable ${name} (referenced by "${param}") is not set.`, {
      param,
      hint: `Set ${name} in the environment Trellis runs in (the app, \`trellis run\`, the server or a worker).`,
    });
  }
  return match[1] === undefined ? value : `${match[1]} ${value}`;
}
