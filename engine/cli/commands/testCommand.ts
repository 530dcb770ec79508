import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SettingsFileError } from '../../environments/settingsFileError.js';
import { junitXml } from '../../pipelineTest/junitXml.js';
import { runPipelineTests, type PipelineTestReport } from '../../pipelineTest/runPipelineTests.js';
import { trellisHome } from '../../workspace/trellisHome.js';
import type { CliContext } from '../cliContext.js';
import { EXIT, UsageError, type ExitCode } from '../cliIo.js';
import { formatDuration } from '../formatDuration.js';

const USAGE = 'usage: trellis test FILE... [--env NAME] [--junit OUT.xml] [--json]';

/**
 * `trellis test`: runs each pipeline's tests (FILE.test.json) in a temporary home (or --home) and
 * judges their expectations. Exit 0 when all pass, 1 when one fails, 2 for invalid input.
 */
export async function testCommand(args: string[], context: CliContext): Promise<ExitCode> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { env: { type: 'string' }, junit: { type: 'string' }, json: { type: 'boolean' } } });
  if (positionals.length === 0) throw new UsageError(USAGE);
  const reports: PipelineTestReport[] = [];
  for (const file of positionals) {
    try {
      reports.push(
        await runPipelineTests({
          pipelinePath: file,
          registry: context.registry,
          env: values.env,
          home: context.home,
          settingsHome: trellisHome(context.home, context.io.env),
          processEnv: context.io.env,
          onTest: (name) => {
            if (!values.json) context.io.err(`running ${file} › ${name}\n`);
          },
        }),
      );
    } catch (cause) {
      if (cause instanceof SettingsFileError) throw new UsageError(cause.message);
      throw cause;
    }
  }
  if (values.junit !== undefined) writeFileSync(resolve(values.junit), junitXml(reports));
  const outcomes = reports.flatMap((r) => r.tests.flatMap((t) => t.outcomes));
  const failed = outcomes.filter((o) => !o.passed).length;
  if (values.json) context.io.out(`${JSON.stringify({ passed: failed === 0, expectations: outcomes.length, failed, pipelines: reports }, null, 2)}\n`);
  else {
    for (const report of reports) {
      for (const test of report.tests) {
        const bad = test.outcomes.filter((o) => !o.passed);
        context.io.out(`${bad.length ? '✖' : '✔'} ${report.pipelineId} › ${test.name}${test.environment ? ` [${test.environment}]` : ''} (${test.outcomes.length - bad.length}/${test.outcomes.length} in ${formatDuration(test.durationMs)})\n`);
        for (const outcome of bad) context.io.out(`    ✖ ${outcome.name}: ${outcome.message ?? 'failed'}\n`);
      }
    }
    context.io.out(`${outcomes.length - failed} of ${outcomes.length} expectations passed${values.junit ? `; JUnit XML in ${resolve(values.junit)}` : ''}\n`);
  }
  return failed === 0 ? EXIT.ok : EXIT.failed;
}
