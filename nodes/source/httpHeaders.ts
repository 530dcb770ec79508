import { z } from 'zod';
import { isSecretReference, resolveSecret } from './secretReference.js';

/** Header names whose values are credentials: they must be secret references. */
const SENSITIVE_HEADER = /^(authorization|proxy-authorization|cookie)$|token|secret|password|api[-_]?key|auth/i;

/** Request headers in a pipeline file: credentials only as secret references (env:NAME). */
export const HeadersSchema = z.record(z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'not a valid HTTP header name'), z.string()).superRefine((headers, issue) => {
  for (const [name, value] of Object.entries(headers)) {
    if (SENSITIVE_HEADER.test(name) && !isSecretReference(value)) {
      issue.addIssue({
        code: 'custom',
        path: [name],
        message: `header "${name}" carries a credential, so its value must be a secret reference such as "env:API_TOKEN" or "Bearer env:API_TOKEN"; a literal value is not allowed in a pipeline file`,
      });
    }
  }
});

/** The headers to send: secret references resolved from the environment of the running task. */
export function resolveHeaders(headers: Record<string, string>): Record<string, string> {
  const resolved: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) resolved[name] = isSecretReference(value) ? resolveSecret(value, `headers.${name}`) : value;
  return resolved;
}
