import { z } from 'zod';
import { runPython, type PythonResult } from '../lib/runPython.js';
import type { DagTask } from './noopDag.js';

/**
 * Builds the same graph as a Dask task dict, `{key: (noop, dep1, dep2)}`, and runs it with the
 * synchronous single-thread scheduler. The import happens before any clock starts, as our side's
 * module loading does; each repeat builds and runs the whole graph afresh (Dask keeps no results
 * between calls), and the best repeat is reported.
 */
const SCRIPT = String.raw`
import json, sys, time
try:
    import dask
    from dask.local import get_sync
except ImportError as error:
    print(json.dumps({"missing": "dask (" + str(error) + "); install python3-dask"}))
    sys.exit(0)

spec = json.load(sys.stdin)

def noop(*args):
    return None

best = None
walls, cpus = [], []
for _ in range(spec["repeats"]):
    start = time.perf_counter()
    cpu_start = time.process_time()
    graph = {task["id"]: (noop, *task["dependsOn"]) for task in spec["tasks"]}
    built = time.perf_counter()
    get_sync(graph, list(graph))
    done = time.perf_counter()
    result = {"buildMs": (built - start) * 1000, "totalMs": (done - start) * 1000, "cpuMs": (time.process_time() - cpu_start) * 1000}
    walls.append(result["totalMs"])
    cpus.append(result["cpuMs"])
    if best is None or result["totalMs"] < best["totalMs"]:
        best = result
spread = {"minCpuMs": min(cpus), "maxCpuMs": max(cpus), "maxTotalMs": max(walls)}
print(json.dumps({"version": dask.__version__, "python": sys.version.split()[0], **best, **spread}))
`;

const DaskResultSchema = z.object({
  version: z.string(),
  python: z.string(),
  buildMs: z.number(),
  /** The best repeat by wall time, and its CPU time. */
  totalMs: z.number(),
  cpuMs: z.number(),
  /** Over all repeats: the lowest and highest CPU time, the highest wall time. */
  minCpuMs: z.number(),
  maxCpuMs: z.number(),
  maxTotalMs: z.number(),
});
export type DaskResult = z.infer<typeof DaskResultSchema>;

export function runDaskReference(tasks: readonly DagTask[], repeats: number): PythonResult<DaskResult> {
  return runPython(SCRIPT, DaskResultSchema, { input: JSON.stringify({ tasks, repeats }) });
}
