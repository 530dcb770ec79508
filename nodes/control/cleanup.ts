import { z } from 'zod';
import { defineNode } from '../../engine/node/nodeDefinition.js';
import { RetentionPolicySchema } from '../../engine/retention/retentionPolicy.js';
import { DURATION_HELP, parseDuration } from '../../engine/util/parseDuration.js';

const DurationText = z.string().refine((text) => parseDuration(text) !== undefined, { message: `a duration is ${DURATION_HELP}` });

/**
 * Workspace retention as a pipeline step (put it in a scheduled pipeline): keeps the newest N
 * versions of every model, every aliased version and everything a kept thing references, and
 * drops feature partitions and run artifacts older than the horizon. This run's own outputs are
 * never touched (a running run's artifacts always stay). The full report (every item with its
 * reasons) is the `report` output; the counts are metrics.
 *
 * Volatile: what may go changes with time and with other runs, so a cached pass would be stale.
 */
export default defineNode({
  type: 'control.cleanup',
  version: 1,
  title: 'Cleanup (retention)',
  category: 'control',
  description: 'Drops old model versions, feature partitions and run artifacts by a retention policy; never anything a kept model, alias or live run references.',
  inputs: [],
  outputs: [
    { name: 'report', type: 'report', description: 'every version, partition and artifact looked at, kept or dropped, with the reasons' },
    { name: 'summary', type: 'metrics', description: 'dropped and kept counts and bytes' },
  ],
  volatile: true,
  params: z.object({
    keepVersions: z.int().min(0).default(10).describe('the newest N versions of each model stay (aliased versions always stay)'),
    olderThan: DurationText.default('30d').describe(`feature partitions and run artifacts older than this may go (${DURATION_HELP})`),
    dryRun: z.boolean().default(false).describe('only report what would go'),
  }),
  async execute(ctx) {
    const policy = RetentionPolicySchema.parse({ keepVersions: ctx.params.keepVersions, olderThanMs: parseDuration(ctx.params.olderThan) });
    const report = await ctx.services.retention.run(policy, { dryRun: ctx.params.dryRun, actor: `pipeline:${ctx.pipelineId}/run:${ctx.runId}` });
    const { dropped, kept } = report;
    ctx.log.info(`${report.dryRun ? 'would drop' : 'dropped'} ${dropped.versions} versions, ${dropped.partitions} partitions, ${dropped.artifacts} artifacts (${dropped.bytes} bytes)`);
    ctx.metric('cleanup.dropped_bytes', dropped.bytes);
    ctx.metric('cleanup.dropped_artifacts', dropped.artifacts);
    return {
      report: { kind: 'report', artifact: ctx.artifacts.putJson(report), summary: { dryRun: report.dryRun, dropped, kept } },
      summary: {
        kind: 'metrics',
        values: {
          dropped_versions: dropped.versions,
          dropped_partitions: dropped.partitions,
          dropped_artifacts: dropped.artifacts,
          dropped_bytes: dropped.bytes,
          kept_versions: kept.versions,
          kept_artifacts: kept.artifacts,
        },
        details: {},
      },
    };
  },
});
