import type { PipelineParam } from '../format/pipelineDocument.js';
import type { ParamValue } from './paramReferences.js';

/**
 * A default is written in the file as typed JSON, so it must already have its declared type
 * ("5" is not an integer there); only run-time overrides, which arrive as text, are coerced.
 */
export function defaultFits(value: ParamValue, declared: PipelineParam): boolean {
  switch (declared.type) {
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
  }
}
