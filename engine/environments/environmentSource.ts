import { join } from 'node:path';
import { pipelineHash } from '../format/pipelineHash.js';
import type { PipelineListing, PipelineSource } from '../scheduler/pipelineSource.js';
import { selectEnvironment } from './selectEnvironment.js';
import { SettingsFileError } from './settingsFileError.js';

/**
 * The scheduler's pipelines as they run in one environment. A pipeline the environment does not
 * fit is listed as a problem (the scheduler reports it and keeps the others running).
 */
export function environmentSource(source: PipelineSource, name: string | undefined, home: string, env: NodeJS.ProcessEnv = process.env): PipelineSource {
  return {
    async list() {
      const listing = await source.list();
      const result: PipelineListing = { pipelines: [], problems: [...listing.problems] };
      for (const pipeline of listing.pipelines) {
        // A file pipeline looks beside its file; a workspace one in its base folder, then the home.
        const pipelinePath = pipeline.origin === 'workspace' ? join(pipeline.baseDir, `${pipeline.document.id}.trellis.json`) : pipeline.origin;
        try {
          const { document } = selectEnvironment({ pipelinePath, document: pipeline.document, name, home, env });
          if (document === pipeline.document) result.pipelines.push(pipeline);
          else if (document.schedule) result.pipelines.push({ ...pipeline, document, schedule: document.schedule, hash: pipelineHash(document) });
        } catch (cause) {
          if (!(cause instanceof SettingsFileError)) throw cause;
          result.problems.push({ origin: pipeline.origin, message: cause.message });
        }
      }
      return result;
    },
  };
}
