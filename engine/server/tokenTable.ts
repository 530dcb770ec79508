import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { RoleSchema, type Role } from '../api/engineApi.js';

/** `--token-file`: who may call the server, one entry per token. */
export const TokenFileSchema = z.array(
  z
    .object({
      token: z.string().min(1, 'a token may not be empty'),
      role: RoleSchema,
      /** Who holds it, as the audit log names their approvals (`token:<name>`). */
      name: z.string().regex(/^[\w.@-]{1,64}$/, 'a name is 1–64 letters, digits or . _ - @').optional(),
    })
    .strict(),
);

/** Who a token is: its role and the name the audit log uses. */
export interface TokenIdentity {
  role: Role;
  /** The token file's `name`, else `token-` and the first 8 hex digits of the token's sha256 (not the secret). */
  name: string;
}

export interface TokenSources {
  /** `--token T`: full access (approver). */
  token?: string;
  /** `--token-file F`: JSON `[{ "token": "...", "role": "viewer" }]`. */
  tokenFile?: string;
  /** `TRELLIS_TOKEN` is read from here: full access (approver), like `--token`. */
  env?: NodeJS.ProcessEnv;
}

export type TokenTableResult = { ok: true; table: TokenTable } | { ok: false; message: string };

interface Entry {
  digest: Buffer;
  role: Role;
  name: string;
}

const digest = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

/**
 * The tokens a server accepts and the role each grants. Lookups hash the presented token and
 * compare it with every entry in constant time, so neither the position of a mismatch nor the
 * length of a real token leaks through response timing.
 */
export class TokenTable {
  private readonly entries: Entry[];

  constructor(tokens: ReadonlyArray<{ token: string; role: Role; name?: string }> = []) {
    this.entries = tokens.map(({ token, role, name }) => {
      const hash = digest(token);
      return { digest: hash, role, name: name ?? `token-${hash.toString('hex').slice(0, 8)}` };
    });
  }

  /** Reads `--token`, `--token-file` and `TRELLIS_TOKEN`; a bad file is a message, not a throw. */
  static load(sources: TokenSources): TokenTableResult {
    const tokens: Array<{ token: string; role: Role; name?: string }> = [];
    const fromEnv = sources.env?.TRELLIS_TOKEN;
    if (fromEnv) tokens.push({ token: fromEnv, role: 'approver' });
    if (sources.token !== undefined) {
      if (sources.token === '') return { ok: false, message: '--token needs a value' };
      tokens.push({ token: sources.token, role: 'approver' });
    }
    if (sources.tokenFile !== undefined) {
      const read = readTokenFile(sources.tokenFile);
      if (!read.ok) return read;
      tokens.push(...read.tokens);
    }
    const roles = new Map<string, { role: Role; name?: string }>();
    for (const { token, role, name } of tokens) {
      const seen = roles.get(token);
      // The same secret with two roles is a configuration mistake, not something to resolve silently.
      if (seen !== undefined && seen.role !== role) return { ok: false, message: `one token is listed twice, as ${seen.role} and as ${role}: give each token one role` };
      roles.set(token, { role, ...(name ?? seen?.name ? { name: name ?? seen?.name } : {}) });
    }
    return { ok: true, table: new TokenTable([...roles].map(([token, entry]) => ({ token, ...entry }))) };
  }

  get size(): number {
    return this.entries.length;
  }

  /** The role a presented token grants, or undefined for a missing or unknown token. */
  roleOf(token: string | undefined): Role | undefined {
    return this.identify(token)?.role;
  }

  /** The role and name of a presented token, or undefined for a missing or unknown token. */
  identify(token: string | undefined): TokenIdentity | undefined {
    if (token === undefined || token === '') return undefined;
    const presented = digest(token);
    let found: Entry | undefined;
    // No early exit: every entry is compared whatever matched.
    for (const entry of this.entries) {
      if (timingSafeEqual(entry.digest, presented)) found = entry;
    }
    return found && { role: found.role, name: found.name };
  }
}

function readTokenFile(path: string): { ok: true; tokens: Array<{ token: string; role: Role; name?: string }> } | { ok: false; message: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    return { ok: false, message: `cannot read the token file ${path}: ${cause instanceof Error ? cause.message : String(cause)}` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    return { ok: false, message: `the token file ${path} is not valid JSON (${cause instanceof Error ? cause.message : String(cause)}); expected [{ "token": "...", "role": "viewer" }]` };
  }
  const parsed = TokenFileSchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'file'}: ${issue.message}`).join('; ');
    return { ok: false, message: `the token file ${path} is not a list of { "token", "role" } entries with role viewer, editor or approver (${problems})` };
  }
  if (parsed.data.length === 0) return { ok: false, message: `the token file ${path} lists no tokens` };
  return { ok: true, tokens: parsed.data };
}
