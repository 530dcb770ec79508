import { parseArgs } from 'node:util';
import { RetentionPolicySchema, type RetentionItem, type RetentionReport } from '../../retention/retentionPolicy.js';
import { describeDuration } from '../../util/describeDuration.js';
import { DURATION_HELP, parseDuration } from '../../util/parseDuration.js';
import { cliActor } from '../cliActor.js';
import { openWorkspace, type CliContext } from '../cliContext.js';
import { EXIT, UsageError, type CliIo, type ExitCode } from '../cliIo.js';
import { formatTable } from '../formatTable.js';

const USAGE = 'usage: trellis cleanup [--dry-run] [--keep-versions N] [--older-than 30d] [--json]';

/**
 * Retention from the command line: keeps the newest N versions of each model, every aliased
 * version and everything a kept thing references, and drops feature partitions and run artifacts
 * older than the horizon. `--dry-run` lists what would go and why each kept item stays.
 */
export async function cleanupCommand(args: string[], context: CliContext): Promise<ExitCode> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { 'dry-run': { type: 'boolean' }, 'keep-versions': { type: 'string' }, 'older-than': { type: 'string' }, json: { type: 'boolean' } },
  });
  if (positionals.length > 0) throw new UsageError(USAGE);
  const keepVersions = values['keep-versions'] === undefined ? undefined : Number(values['keep-versions']);
  if (keepVersions !== undefined && !(Number.isInteger(keepVersions) && keepVersions >= 0)) throw new UsageError(`--keep-versions takes a whole number ≥ 0, got "${values['keep-versions']}"`);
  const olderThanMs = values['older-than'] === undefined ? undefined : parseDuration(values['older-than']);
  if (values['older-than'] !== undefined && olderThanMs === undefined) throw new UsageError(`--older-than takes ${DURATION_HELP}; got "${values['older-than']}"`);
  const policy = RetentionPolicySchema.parse({ ...(keepVersions === undefined ? {} : { keepVersions }), ...(olderThanMs === undefined ? {} : { olderThanMs }) });
  const dryRun = values['dry-run'] === true;

  const workspace = await openWorkspace(context);
  try {
    const report = await workspace.services.retention.run(policy, { dryRun, actor: cliActor(context.io.env) });
    if (values.json) context.io.out(`${JSON.stringify(report, null, 2)}\n`);
    else printReport(context.io, report);
    return EXIT.ok;
  } finally {
    await workspace.close();
  }
}

const KIND: Record<RetentionItem['kind'], string> = { model_version: 'version', partition: 'partition', artifact: 'artifact' };

function printReport(io: CliIo, report: RetentionReport): void {
  const { policy, dropped, kept } = report;
  io.out(`policy: keep the newest ${policy.keepVersions} versions of each model and every aliased one; drop partitions and run artifacts older than ${describeDuration(policy.olderThanMs)}\n\n`);
  const rows = (action: 'keep' | 'drop'): string[][] => report.items
    .filter((item) => item.action === action)
    .map((item) => [KIND[item.kind], item.kind === 'artifact' ? item.id.slice(0, 12) : item.id, item.label, item.bytes ? megabytes(item.bytes) : '', item.reasons.join('; ')]);
  const gone = rows('drop');
  io.out(`${report.dryRun ? 'would drop' : 'dropped'}: ${dropped.versions} versions, ${dropped.partitions} partitions, ${dropped.artifacts} artifacts (${megabytes(dropped.bytes)})\n`);
  if (gone.length > 0) io.out(formatTable(['KIND', 'ID', 'WHAT', 'SIZE', 'WHY'], gone));
  io.out(`\nkept: ${kept.versions} versions, ${kept.partitions} partitions, ${kept.artifacts} artifacts (${megabytes(kept.bytes)})\n`);
  // The dry run is where people check the reasons; a real pass only says what went.
  if (report.dryRun && kept.versions + kept.partitions + kept.artifacts > 0) io.out(formatTable(['KIND', 'ID', 'WHAT', 'SIZE', 'WHY KEPT'], rows('keep')));
  if (report.dryRun) io.out('\nnothing was removed (--dry-run)\n');
}

function megabytes(bytes: number): string {
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
