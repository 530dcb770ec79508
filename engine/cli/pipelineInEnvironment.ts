import { SettingsFileError } from '../environments/settingsFileError.js';
import { selectEnvironment, type SelectedEnvironment } from '../environments/selectEnvironment.js';
import type { PipelineDocument } from '../format/pipelineDocument.js';
import { trellisHome } from '../workspace/trellisHome.js';
import type { CliContext } from './cliContext.js';
import { UsageError } from './cliIo.js';

/** `--env` (else TRELLIS_ENV, else the file's default) applied to a loaded pipeline; a problem is a usage error (exit 2). */
export function pipelineInEnvironment(context: CliContext, pipelinePath: string, document: PipelineDocument, name: string | undefined): SelectedEnvironment {
  try {
    return selectEnvironment({ pipelinePath, document, name, home: trellisHome(context.home, context.io.env), env: context.io.env });
  } catch (cause) {
    if (cause instanceof SettingsFileError) throw new UsageError(cause.message);
    throw cause;
  }
}
