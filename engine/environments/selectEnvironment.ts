import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { PipelineDocument } from '../format/pipelineDocument.js';
import { applyEnvironment, connectionReferences } from './applyEnvironment.js';
import { ENVIRONMENTS_FILE, EnvironmentsFileSchema, type EnvironmentsFile } from './environmentsFile.js';
import { readSettingsFile } from './readSettingsFile.js';
import { SettingsFileError } from './settingsFileError.js';

export interface EnvironmentChoice {
  /** The pipeline file the document was read from: its folder is searched first. */
  pipelinePath: string;
  document: PipelineDocument;
  /** `--env`, when given. */
  name?: string | undefined;
  /** The Trellis home: searched after the pipeline's folder. */
  home: string;
  env?: NodeJS.ProcessEnv;
}

export interface SelectedEnvironment {
  document: PipelineDocument;
  /** The environment applied, if any. */
  environment?: string;
  /** The environments file it came from. */
  file?: string;
}

/** The environments file that applies to a pipeline: beside it, else in the Trellis home. */
export function findEnvironmentsFile(pipelinePath: string, home: string): string | undefined {
  return [join(dirname(pipelinePath), ENVIRONMENTS_FILE), join(home, ENVIRONMENTS_FILE)].find((path) => existsSync(path));
}

export function loadEnvironmentsFile(path: string): EnvironmentsFile {
  return readSettingsFile(path, EnvironmentsFileSchema);
}

/**
 * Picks the environment a command runs a pipeline in — `--env`, else `TRELLIS_ENV`, else the
 * file's `default` — and applies it. No environment and no file leave the document as it is.
 */
export function selectEnvironment(choice: EnvironmentChoice): SelectedEnvironment {
  const env = choice.env ?? process.env;
  const requested = choice.name ?? (env.TRELLIS_ENV || undefined);
  const path = findEnvironmentsFile(choice.pipelinePath, choice.home);
  const file = path === undefined ? undefined : loadEnvironmentsFile(path);
  const name = requested ?? file?.default;
  if (name === undefined) {
    const used = connectionReferences(choice.document)[0];
    if (used) {
      const known = file ? Object.keys(file.environments) : [];
      throw new SettingsFileError(`node "${used.node}" uses connection "${used.connection}", which comes from an environment; choose one with --env NAME or TRELLIS_ENV${known.length ? ` (known: ${known.join(', ')})` : `, defined in ${ENVIRONMENTS_FILE} beside the pipeline or in ${choice.home}`}.`);
    }
    return { document: choice.document };
  }
  const source = choice.name !== undefined ? `--env ${name}` : requested !== undefined ? `TRELLIS_ENV=${name}` : `the default environment "${name}"`;
  if (!file || path === undefined) {
    throw new SettingsFileError(`${source}: there is no ${ENVIRONMENTS_FILE} beside ${choice.pipelinePath} nor in ${choice.home}; create one with {"format": "trellis.environments/1", "environments": {"${name}": {"params": {}, "connections": {}}}}.`);
  }
  const environment = Object.hasOwn(file.environments, name) ? file.environments[name] : undefined;
  if (!environment) {
    throw new SettingsFileError(`${source}: there is no environment "${name}" in ${path}. Known environments: ${Object.keys(file.environments).join(', ') || 'none'}.`);
  }
  return { document: applyEnvironment(choice.document, environment, `environment "${name}" (${path})`), environment: name, file: path };
}
