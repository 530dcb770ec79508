import type { NodeContext } from '../../engine/node/nodeContext.js';
import { NodeError } from '../../engine/node/nodeError.js';
import type { MetricsValue, NodeOutputs } from '../../engine/node/portValue.js';
import { TaskDeferral } from '../../engine/node/taskDeferral.js';
import { TaskSkip } from '../../engine/node/taskSkip.js';
import { parseDuration } from '../../engine/util/parseDuration.js';
import { pokeIntervalMs, type SensorParams } from './sensorParams.js';

/** One look at the world: not yet (with what was seen, for the log), or found. */
export type PokeResult =
  | { found: false; seen: string }
  | {
      found: true;
      /** Said in the log and kept in the `found` output's details. */
      seen: string;
      values?: Record<string, number>;
      details?: Record<string, unknown>;
      /** More outputs beside `found` (e.g. a table of the matching files). */
      outputs?: NodeOutputs;
    };

/**
 * Pokes once; found: returns the `found` metrics (pokes, waited_ms and the poke's own values)
 * and the poke's outputs. Not found: throws a TaskDeferral whose check only lets the interval
 * pass, so the waiting task holds no worker slot and the executor runs it again (the next poke)
 * once the interval is over. The first poke's time and the poke count are in the workspace's
 * sensor log, so the timeout and the backoff count from the first poke even across a resume in
 * another process (both forgotten once it is done, so resuming after a timeout waits anew).
 * Timed out: fails, or with `softFail` ends skipped (TaskSkip).
 */
export async function awaitSensor(ctx: NodeContext<SensorParams>, what: string, poke: () => Promise<PokeResult>): Promise<NodeOutputs> {
  const sensors = ctx.services.sensors;
  const pokes = sensors.poke(ctx.runId, ctx.nodeId, Date.now());
  let result: PokeResult;
  try {
    result = await poke();
  } catch (cause) {
    // A broken sensor (a wrong query) is done too: once fixed, it waits a full timeout again.
    sensors.clearPokes(ctx.runId, ctx.nodeId);
    throw cause;
  }
  const waited = Date.now() - pokes.firstPokeAt;
  if (result.found) {
    sensors.clearPokes(ctx.runId, ctx.nodeId);
    ctx.log.info(`found after ${pokes.pokes} poke${pokes.pokes === 1 ? '' : 's'} (${waited} ms): ${result.seen}`);
    ctx.metric('sensor.waited_ms', waited);
    ctx.metric('sensor.pokes', pokes.pokes);
    const found: MetricsValue = {
      kind: 'metrics',
      values: { pokes: pokes.pokes, waited_ms: waited, ...result.values },
      details: { seen: result.seen, ...result.details },
    };
    return { ...result.outputs, found };
  }
  const timeoutMs = ctx.params.timeout.trim() === '' ? undefined : parseDuration(ctx.params.timeout);
  const deadline = timeoutMs === undefined ? undefined : pokes.firstPokeAt + timeoutMs;
  const now = Date.now();
  if (deadline !== undefined && now >= deadline) {
    sensors.clearPokes(ctx.runId, ctx.nodeId);
    const message = `Sensor "${ctx.nodeId}" in pipeline "${ctx.pipelineId}" timed out after ${ctx.params.timeout} (${pokes.pokes} pokes) waiting for ${what}; last seen: ${result.seen}.`;
    if (ctx.params.softFail) {
      ctx.log.warn(`${message} softFail is on: skipped, and what needs it too.`);
      throw new TaskSkip(`${message} (softFail)`);
    }
    throw new NodeError(message, { param: 'timeout', hint: 'Raise the timeout, check what the sensor waits for, or set softFail to skip instead of failing.' });
  }
  const interval = pokeIntervalMs(ctx.params, pokes.pokes);
  // Never sleep past the deadline: the poke after it decides the timeout on time.
  const pollMs = deadline === undefined ? interval : Math.max(1, Math.min(interval, deadline - now));
  ctx.log.debug(`poke ${pokes.pokes}: not yet (${result.seen}); next in ${pollMs} ms`);
  throw new TaskDeferral({
    message: `sensing ${what}: not yet after ${pokes.pokes} poke${pokes.pokes === 1 ? '' : 's'} (${result.seen})`,
    pollMs,
    // The executor asks after pollMs: the interval is over, so poke again.
    ready: () => Promise.resolve(true),
  });
}
