import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { EngineService } from '../../api/engineService.js';
import { bindRefusal } from '../../server/bindPolicy.js';
import { createServer } from '../../server/createServer.js';
import { installPaths } from '../../server/installPaths.js';
import { workspacePipelines } from '../../scheduler/pipelineSource.js';
import { Scheduler } from '../../scheduler/scheduler.js';
import { openBrowser } from '../../server/openBrowser.js';
import { seedExamples } from '../../server/seedExamples.js';
import { TokenTable } from '../../server/tokenTable.js';
import { openWorkspace, type CliContext } from '../cliContext.js';
import { EXIT, UsageError, type ExitCode } from '../cliIo.js';
import { formatSchedulerEvent } from '../formatSchedulerEvent.js';
import { listenProblem, untilSignal, urlHost } from '../listening.js';

const USAGE = 'usage: trellis serve [--host 127.0.0.1] [--port 4300] [--token T] [--token-file F] [--open]';

export interface ServeSettings {
  host: string;
  /** 0 picks a free port. */
  port: number;
  token?: string;
  tokenFile?: string;
  /** Open the UI in the default browser once listening. */
  open: boolean;
}

export async function serveCommand(args: string[], context: CliContext): Promise<ExitCode> {
  return serve(parseServeArgs(args, { host: '127.0.0.1', port: 4300, open: false }, USAGE), context);
}

/** The flags `serve` takes, with per-command defaults (`start` uses port 0 and opens a browser). */
export function parseServeArgs(args: string[], defaults: ServeSettings, usage: string, options: { allowWeb?: boolean } = {}): ServeSettings & { web: boolean } {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      token: { type: 'string' },
      'token-file': { type: 'string' },
      open: { type: 'boolean' },
      'no-open': { type: 'boolean' },
      web: { type: 'boolean' },
    },
  });
  if (values.web && !options.allowWeb) throw new UsageError(`unknown option --web\n${usage}`);
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"\n${usage}`);
  const port = values.port === undefined ? defaults.port : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port takes a port number from 0 to 65535 (0 picks a free one), got "${values.port}"`);
  const host = values.host ?? defaults.host;
  if (host.trim() === '') throw new UsageError('--host needs an address, e.g. 127.0.0.1');
  return {
    host,
    port,
    open: values['no-open'] ? false : (values.open ?? defaults.open),
    web: values.web === true,
    ...(values.token !== undefined ? { token: values.token } : {}),
    ...(values['token-file'] !== undefined ? { tokenFile: values['token-file'] } : {}),
  };
}

/**
 * Serves the workspace over HTTP until SIGINT or SIGTERM, then cancels active runs and closes.
 * Prints `Trellis is serving http://HOST:PORT` on stdout once listening (tools parse that line).
 */
export async function serve(settings: ServeSettings, context: CliContext): Promise<ExitCode> {
  const loaded = TokenTable.load({ env: context.io.env, ...(settings.token !== undefined ? { token: settings.token } : {}), ...(settings.tokenFile !== undefined ? { tokenFile: settings.tokenFile } : {}) });
  if (!loaded.ok) throw new UsageError(loaded.message);
  const tokens = loaded.table;
  const refusal = bindRefusal(settings.host, tokens.size);
  if (refusal) throw new UsageError(refusal);

  const paths = installPaths();
  const workspace = await openWorkspace(context);
  try {
    const pipelinesDir = join(workspace.home, 'pipelines');
    mkdirSync(pipelinesDir, { recursive: true });
    const service = new EngineService(workspace, { examplesDir: paths.examplesDir, pipelinesDir });
    // Runs left waiting for an approval (their process let go) continue here once decided.
    const stopWatching = service.watchApprovals(5000, (cause) => context.io.err(`note: checking waiting approvals failed: ${cause instanceof Error ? cause.message : String(cause)}\n`));
    const seeded = await seedExamples(service);
    if (seeded.saved.length > 0) context.io.err(`Saved the example pipeline${seeded.saved.length === 1 ? '' : 's'} ${seeded.saved.join(', ')} into the workspace.\n`);
    for (const skipped of seeded.skipped) context.io.err(`note: example ${skipped.file} was not saved: ${skipped.reason}\n`);

    const app = createServer({ service, tokens, host: settings.host, staticDir: paths.staticDir, logger: (message) => context.io.err(`${message}\n`) });
    try {
      await app.listen({ host: settings.host, port: settings.port });
    } catch (cause) {
      await app.close();
      throw new UsageError(listenProblem(cause, settings.host, settings.port));
    }
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : settings.port;
    const url = `http://${urlHost(settings.host)}:${port}`;
    context.io.out(`Trellis is serving ${url}\n`);
    if (tokens.size > 0) context.io.err('Requests need a token: send "Authorization: Bearer <token>".\n');
    if (settings.open) {
      const browsable = `http://${browsableHost(settings.host)}:${port}/`;
      // The web UI takes its token from ?token= once and drops it from the address bar.
      const token = settings.token ?? context.io.env.TRELLIS_TOKEN;
      const opened = await openBrowser(token ? `${browsable}?token=${encodeURIComponent(token)}` : browsable, context.io.env);
      if (!opened.ok) context.io.err(`Could not open a browser (${opened.reason}); open ${browsable} yourself${token ? ' (add ?token=<your token>)' : ''}.\n`);
    }

    // Pipelines saved here with a schedule fire while the server runs; their runs stream to clients like any other.
    const scheduler = new Scheduler({
      workspace,
      source: workspacePipelines(workspace.store, pipelinesDir),
      role: 'serve',
      runListeners: [(event) => service.broadcast(event)],
      onEvent: (event) => context.io.err(`${formatSchedulerEvent(event, Date.now())}\n`),
    });
    await scheduler.start();

    const signal = await untilSignal();
    context.io.err(`${signal}: cancelling active runs and stopping the server\n`);
    // Stop taking connections first, so no run starts while the active ones are cancelled.
    stopWatching();
    const closing = app.close();
    await scheduler.stop();
    await service.shutdown();
    await closing;
    await service.shutdown();
    return EXIT.ok;
  } finally {
    await workspace.close();
  }
}

/** A wildcard bind is served on every interface, but a browser needs a real address to open. */
function browsableHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return urlHost(host);
}
