import type { NodeRegistry } from '../node/nodeRegistry.js';
import type { CliContext } from './cliContext.js';
import { EXIT, UsageError, processIo, type CliIo, type ExitCode } from './cliIo.js';
import { approvalsCommand } from './commands/approvalsCommand.js';
import { cleanupCommand } from './commands/cleanupCommand.js';
import { decideCommand } from './commands/decideCommand.js';
import { kpisCommand } from './commands/kpisCommand.js';
import { backfillCommand } from './commands/backfillCommand.js';
import { logsCommand } from './commands/logsCommand.js';
import { modelsCommand } from './commands/modelsCommand.js';
import { nodesCommand } from './commands/nodesCommand.js';
import { predictCommand } from './commands/predictCommand.js';
import { pushCommand } from './commands/pushCommand.js';
import { reportCommand } from './commands/reportCommand.js';
import { resumeCommand } from './commands/resumeCommand.js';
import { runCommand } from './commands/runCommand.js';
import { runsCommand } from './commands/runsCommand.js';
import { schedulerCommand } from './commands/schedulerCommand.js';
import { schedulesCommand } from './commands/schedulesCommand.js';
import { schemaCommand } from './commands/schemaCommand.js';
import { serveCommand } from './commands/serveCommand.js';
import { serveModelCommand } from './commands/serveModelCommand.js';
import { showCommand } from './commands/showCommand.js';
import { startCommand } from './commands/startCommand.js';
import { validateCommand } from './commands/validateCommand.js';
import { testCommand } from './commands/testCommand.js';

export type Command = (args: string[], context: CliContext) => Promise<ExitCode>;

/** Commands other hosts add (the server's `serve`, the app's `start`), by name. */
export type ExtraCommands = Record<string, { run: Command; summary: string }>;

const COMMANDS: ExtraCommands = {
  validate: { run: validateCommand, summary: 'validate FILE [--env NAME] [--json]    check a pipeline without running it' },
  test: { run: testCommand, summary: 'test FILE [--env NAME] [--junit OUT.xml] [--json]   run the pipeline\'s tests (FILE.test.json) against their expectations' },
  run: { run: runCommand, summary: 'run FILE [--env NAME] [--param k=v]... [--from|--to|--only NODE] [--no-cache] [--concurrency N] [--no-wait] [--json]' },
  resume: { run: resumeCommand, summary: 'resume RUN [--no-wait]                 finish an interrupted, waiting, failed or cancelled run' },
  runs: { run: runsCommand, summary: 'runs [--pipeline ID] [--state S] [--limit N] [--json]' },
  show: { run: showCommand, summary: 'show RUN [--node NODE [--port PORT]] [--json]' },
  kpis: { run: kpisCommand, summary: 'kpis PIPELINE [--metric M] [--limit N] [--json]   KPI time series: node metrics, run duration and outcome' },
  logs: { run: logsCommand, summary: 'logs RUN [NODE] [--json]' },
  report: { run: reportCommand, summary: 'report RUN --out FILE.html                a standalone HTML report of a run (charts, metrics, nodes)' },
  scheduler: { run: schedulerCommand, summary: 'scheduler [--pipelines DIR|FILE...] [--env NAME]   fire scheduled pipelines until Ctrl-C' },
  schedules: { run: schedulesCommand, summary: 'schedules [--pipelines DIR|FILE...] [--limit N] [--json]   next slot and latest slots per pipeline' },
  backfill: { run: backfillCommand, summary: 'backfill FILE --from DATE --to DATE [--segment ID] [--reprocess failed|all] [--max-active N] [--env NAME] [--json]' },
  schema: { run: schemaCommand, summary: 'schema [--kind pipeline|environments|test] [--out FILE]   a file format as JSON Schema' },
  approvals: { run: approvalsCommand, summary: 'approvals [--all] [--json]             what waits for a person\'s approval' },
  approve: { run: decideCommand('approve'), summary: 'approve RUN NODE --comment TEXT        approve a waiting control.approval node (audited)' },
  reject: { run: decideCommand('reject'), summary: 'reject RUN NODE --comment TEXT         reject it: the node fails, what depends on it is skipped' },
  cleanup: { run: cleanupCommand, summary: 'cleanup [--dry-run] [--keep-versions N] [--older-than 30d] [--json]   retention: drop what is old and unreferenced' },
  models: { run: modelsCommand, summary: 'models [NAME | promote NAME VERSION | rollback NAME] [--alias A] [--reason TEXT] [--json]' },
  predict: { run: predictCommand, summary: 'predict NAME[@ALIAS] FILE [--out FILE.csv|.parquet] [--json]   score a file with a registered model' },
  'serve-model': { run: serveModelCommand, summary: 'serve-model NAME@ALIAS [--host H] [--port 4400] [--token T]   a JSON prediction endpoint' },
  nodes: { run: nodesCommand, summary: 'nodes [--json]                         the node catalog' },
  serve: { run: serveCommand, summary: 'serve [--host H] [--port N] [--token T | --token-file F] [--open]   the UI and API over HTTP' },
  push: { run: pushCommand, summary: 'push FILE --server URL [--token T] [--run]   save (and run) a pipeline on a server' },
  start: { run: startCommand, summary: 'start [--web]                          the desktop app, or the web UI where Electron cannot run' },
};

function help(commands: ExtraCommands, version: string): string {
  return [
    `trellis ${version} — ML pipelines on your workstation`,
    '',
    'usage: trellis [--home DIR] COMMAND ...',
    '',
    ...Object.entries(commands).map(([, c]) => `  ${c.summary}`),
    '',
    'Exit codes: 0 succeeded, 1 the run failed, 2 invalid input or usage, 3 the run waits for an approval (--no-wait).',
    'Data lives in --home DIR, else $TRELLIS_HOME, else the application-data folder.',
    'Environments (--env NAME, else $TRELLIS_ENV) come from trellis.environments.json beside the pipeline, else in the home.',
    '',
  ].join('\n');
}

/** The `trellis` command. The node catalog (and any extra commands) are handed in by the host. */
export async function runCli(argv: readonly string[], options: { registry: NodeRegistry; version: string; io?: CliIo; extraCommands?: ExtraCommands }): Promise<ExitCode> {
  const io = options.io ?? processIo();
  const commands: ExtraCommands = { ...COMMANDS, ...(options.extraCommands ?? {}) };
  const args = [...argv];
  let home: string | undefined;
  const homeAt = args.findIndex((a) => a === '--home' || a.startsWith('--home='));
  if (homeAt >= 0) {
    const flag = args[homeAt] as string;
    home = flag.includes('=') ? flag.slice('--home='.length) : args[homeAt + 1];
    args.splice(homeAt, flag.includes('=') ? 1 : 2);
    if (!home) {
      io.err('--home needs a folder\n');
      return EXIT.usage;
    }
  }
  const [name, ...rest] = args;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.out(help(commands, options.version));
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === 'version') {
    io.out(`${options.version}\n`);
    return EXIT.ok;
  }
  const command = commands[name];
  if (!command) {
    io.err(`trellis: unknown command "${name}"\n\n${help(commands, options.version)}`);
    return EXIT.usage;
  }
  try {
    return await command.run(rest, { io, registry: options.registry, version: options.version, ...(home ? { home } : {}) });
  } catch (cause) {
    if (cause instanceof UsageError || (cause instanceof TypeError && 'code' in cause && String(cause.code).startsWith('ERR_PARSE_ARGS'))) {
      io.err(`trellis ${name}: ${cause.message}\n`);
      return EXIT.usage;
    }
    io.err(`trellis ${name}: ${cause instanceof Error ? (cause.stack ?? cause.message) : String(cause)}\n`);
    return EXIT.failed;
  }
}
