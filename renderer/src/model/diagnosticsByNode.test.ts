import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../api/contract.js';
import { diagnosticsOf } from './diagnosticsByNode.js';

const diagnostic = (nodeId: string | undefined, message: string): Diagnostic => ({ severity: 'error', code: 'param.missing', message, pointer: '', ...(nodeId === undefined ? {} : { nodeId }) });

describe('diagnosticsOf', () => {
  it('gives each node its own diagnostics, in order, and the same array on every ask', () => {
    const all = [diagnostic('a', 'one'), diagnostic('b', 'two'), diagnostic(undefined, 'pipeline'), diagnostic('a', 'three')];
    expect(diagnosticsOf(all, 'a').map((d) => d.message)).toEqual(['one', 'three']);
    expect(diagnosticsOf(all, 'a')).toBe(diagnosticsOf(all, 'a'));
    expect(diagnosticsOf(all, 'c')).toEqual([]);
    expect(diagnosticsOf(all, 'c')).toBe(diagnosticsOf([], 'd'));
  });
});
