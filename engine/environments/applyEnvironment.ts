import { defaultFits } from '../compile/defaultFits.js';
import type { PipelineDocument } from '../format/pipelineDocument.js';
import type { Environment } from './environmentsFile.js';
import { SettingsFileError } from './settingsFileError.js';

type Scalar = string | number | boolean;

const CONNECTION_REFERENCE = /\{\{\s*connections\.([A-Za-z_][A-Za-z0-9_-]*)\.([A-Za-z_][A-Za-z0-9_-]*)\s*\}\}/g;
const WHOLE_CONNECTION_REFERENCE = /^\{\{\s*connections\.([A-Za-z_][A-Za-z0-9_-]*)\.([A-Za-z_][A-Za-z0-9_-]*)\s*\}\}$/;

/** Where a node param mentions `{{ connections.NAME.FIELD }}`: node id and the reference. */
export function connectionReferences(document: PipelineDocument): Array<{ node: string; connection: string; field: string }> {
  const found: Array<{ node: string; connection: string; field: string }> = [];
  const walk = (node: string, value: unknown): void => {
    if (typeof value === 'string') {
      for (const match of value.matchAll(CONNECTION_REFERENCE)) found.push({ node, connection: match[1] as string, field: match[2] as string });
    } else if (Array.isArray(value)) value.forEach((item) => walk(node, item));
    else if (value !== null && typeof value === 'object') Object.values(value).forEach((item) => walk(node, item));
  };
  for (const node of document.nodes) walk(node.id, node.params);
  return found;
}

/**
 * The document as it runs in one environment: the environment's param values become the param
 * defaults (so `--param` still wins over them), and `{{ connections.NAME.FIELD }}` in node params
 * takes the connection's value (typed when it is the whole string). Secrets stay references;
 * nodes resolve them when they run. Throws a SettingsFileError naming what does not fit.
 */
export function applyEnvironment(document: PipelineDocument, environment: Environment, where: string): PipelineDocument {
  const params = { ...document.params };
  const own = Object.hasOwn(environment.pipelines, document.id) ? environment.pipelines[document.id]?.params : undefined;
  for (const [name, value] of Object.entries({ ...environment.params, ...own })) {
    const declared = Object.hasOwn(document.params, name) ? document.params[name] : undefined;
    if (!declared) {
      const known = Object.keys(document.params);
      throw new SettingsFileError(`${where} sets param "${name}", which pipeline "${document.id}" does not declare. ${known.length ? `Its params: ${known.join(', ')}.` : 'It declares no params.'} Remove it from the environment or declare it under "params" in the pipeline.`);
    }
    // Written as typed JSON like a default, so it must already have the declared type.
    if (!defaultFits(value, declared)) throw new SettingsFileError(`${where} sets param "${name}" to ${JSON.stringify(value)}, but pipeline "${document.id}" declares it a ${declared.type}.`);
    params[name] = { ...declared, default: value };
  }
  const lookup = (node: string, connection: string, field: string): Scalar => {
    const settings = Object.hasOwn(environment.connections, connection) ? environment.connections[connection] : undefined;
    if (!settings) {
      const known = Object.keys(environment.connections);
      throw new SettingsFileError(`node "${node}" uses connection "${connection}", which ${where} does not define. ${known.length ? `Its connections: ${known.join(', ')}.` : 'It defines no connections.'}`);
    }
    const value = Object.hasOwn(settings, field) ? settings[field] : undefined;
    if (value === undefined) throw new SettingsFileError(`node "${node}" reads "${field}" of connection "${connection}", which ${where} does not set. It sets: ${Object.keys(settings).join(', ') || 'nothing'}.`);
    return value;
  };
  const substitute = (node: string, value: unknown): unknown => {
    if (typeof value === 'string') {
      const whole = WHOLE_CONNECTION_REFERENCE.exec(value);
      if (whole) return lookup(node, whole[1] as string, whole[2] as string);
      return value.replace(CONNECTION_REFERENCE, (_match, connection: string, field: string) => String(lookup(node, connection, field)));
    }
    if (Array.isArray(value)) return value.map((item) => substitute(node, item));
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substitute(node, item)]));
    return value;
  };
  return { ...document, params, nodes: document.nodes.map((node) => ({ ...node, params: Object.fromEntries(Object.entries(node.params).map(([key, value]) => [key, substitute(node.id, value)])) })) };
}
