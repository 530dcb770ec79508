/**
 * UI benchmark: opens a 1,000-node pipeline in the studio (served by `trellis serve`, drawn by
 * headless Chromium) and drags a node on it. Prints, never asserts:
 * - open to interactive: from `page.goto` until a click on a node is answered (the inspector shows
 *   it), the click being made as soon as every node is drawn and the view has settled;
 * - drag frames: a node of the canvas is held by its header and moved on a loop for ~2 s with the
 *   app's real stores. For each frame that shows the node somewhere new: the time from the first
 *   pointer move it answers (as it reaches the page, before the app's listeners) to the end of
 *   that frame's paint — input handling, React render and commit, style, layout and paint. That
 *   is the time the page spends producing the frame. It is measured in a second browser started
 *   with `--disable-gpu-vsync --disable-frame-rate-limit`: with vsync on, a frame cannot finish
 *   before the display's next tick, so every frame would read at least 16.7 ms (rAF intervals
 *   only ever said "no frame dropped"). Long animation frames (over 50 ms) are listed too.
 *   The open is measured in a browser with default settings, as a user's display would run it.
 * Usage (after `npm run build`):
 *   node dist/bench/ui/run.js [--chains 40] [--length 25] [--repeats 3] [--drag-ms 2000] [--json]
 */
import { parseArgs } from 'node:util';
import { chromium, type Browser, type CDPSession, type Page } from '@playwright/test';
import { z } from 'zod';
import { createHttpEngineClient } from '../../engine/api/httpEngineClient.js';
import { startTrellisServer } from '../../e2e/support/trellisServer.js';
import { dragFrameSamples } from './dragFrames.js';
import { frameStats, type FrameStats } from './frameStats.js';
import { largePipeline } from './largePipeline.js';
import { installProbe } from './pageProbe.js';

const CHROMIUM = {
  executablePath: process.env.TRELLIS_BENCH_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
};
/** For the drag: frames are drawn as soon as they are ready, so their cost is not hidden by vsync. */
const UNCAPPED_FRAMES = ['--disable-gpu-vsync', '--disable-frame-rate-limit'];
const VIEWPORT = { width: 1600, height: 1000 };

// What the probe hands back crosses from the page: validated, not cast.
const DrawnSchema = z.object({ drawnAt: z.number(), settledAt: z.number() });
const PointSchema = z.object({ id: z.string(), x: z.number(), y: z.number() }).nullable();
const FramesSchema = z.object({ moves: z.array(z.number()), frames: z.array(z.object({ committedAt: z.number(), paintedAt: z.number() })), longFrames: z.array(z.number()) });

const MetricsSchema = z.object({ metrics: z.array(z.object({ name: z.string(), value: z.number() })) });

/**
 * CPU seconds the page's main thread (`ThreadTime`) and its whole renderer process
 * (`ProcessTime`, with compositor and raster threads) have used, from the DevTools protocol. On
 * a loaded machine wall time stretches with the queue for a core; CPU time much less so.
 */
async function cpuTimes(cdp: CDPSession): Promise<{ thread: number; process: number }> {
  const { metrics } = MetricsSchema.parse(await cdp.send('Performance.getMetrics'));
  const value = (name: string): number => metrics.find((m) => m.name === name)?.value ?? Number.NaN;
  return { thread: value('ThreadTime'), process: value('ProcessTime') };
}

interface OpenTiming {
  /** Node clock: `page.goto` called → the clicked node shown in the inspector. */
  interactiveMs: number;
  /** Page clock (ms since navigation): every node drawn. */
  drawnAt: number;
  /** Page clock: the view stopped moving after the fit. */
  settledAt: number;
  /** From the click to the inspector showing the node. */
  clickMs: number;
  /** CPU time of the page's main thread from before the navigation until the click was answered (ms). */
  mainThreadCpuMs: number;
}

interface DragTiming {
  /** Per frame: first pointer move it answers → the frame drawn. */
  frame: FrameStats;
  /** Long animation frames (over 50 ms): their durations. */
  longFrames: FrameStats;
  pointerMoves: number;
  /** Pointer moves per frame (median): more than one means moves waited for a slow frame. */
  movesPerFrame: number;
  unanswered: number;
  durationMs: number;
  /** CPU time of the page's main thread, and of its renderer process, per frame drawn (mean, ms). */
  mainThreadCpuPerFrameMs: number;
  processCpuPerFrameMs: number;
  moved: boolean;
}

async function openToInteractive(browser: Browser, url: string, nodes: number): Promise<OpenTiming> {
  // A fresh context per repeat: an empty HTTP cache, as on a first open.
  const context = await browser.newContext({ viewport: VIEWPORT });
  try {
    const page = await context.newPage();
    await page.addInitScript(`(${installProbe.toString()})(window, ${nodes})`);
    // Counting from here: the page's renderer has done nothing yet but show a blank page.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const start = performance.now();
    await page.goto(url, { waitUntil: 'commit' });
    const drawn = await whenDrawn(page, nodes);
    const target = await centralNode(page);
    const clicked = performance.now();
    await page.mouse.click(target.x, target.y);
    await page.locator(`[data-testid="inspector-node"][data-node-id="${target.id}"]`).waitFor({ timeout: 30_000 });
    const end = performance.now();
    const cpu = await cpuTimes(cdp);
    return { interactiveMs: end - start, drawnAt: drawn.drawnAt, settledAt: drawn.settledAt, clickMs: end - clicked, mainThreadCpuMs: cpu.thread * 1000 };
  } finally {
    await context.close();
  }
}

const DRAWN_TIMEOUT_MS = 60_000;

async function whenDrawn(page: Page, nodes: number): Promise<z.infer<typeof DrawnSchema>> {
  await page.waitForFunction('window.__trellisBench !== undefined');
  // page.evaluate has no timeout of its own: a canvas that never shows every node must not hang.
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((done) => {
    timer = setTimeout(() => done('timeout'), DRAWN_TIMEOUT_MS);
  });
  try {
    const result = await Promise.race([page.evaluate('window.__trellisBench.whenDrawn()'), timeout]);
    if (result === 'timeout') {
      const seen = z.string().parse(await page.evaluate('window.__trellisBench.watchState()'));
      throw new Error(`within ${DRAWN_TIMEOUT_MS / 1000} s the canvas did not show ${nodes} nodes, or its view never moved to fit them: ${seen}`);
    }
    return DrawnSchema.parse(result);
  } finally {
    clearTimeout(timer);
  }
}

async function centralNode(page: Page): Promise<{ id: string; x: number; y: number }> {
  const point = PointSchema.parse(await page.evaluate('window.__trellisBench.centralNode()'));
  if (!point) throw new Error('no canvas node is on screen to click');
  return point;
}

/** Holds a node by its header and moves it on a loop for `durationMs`, recording frames. */
async function dragFrames(browser: Browser, url: string, nodes: number, durationMs: number): Promise<DragTiming> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  try {
    const page = await context.newPage();
    await page.addInitScript(`(${installProbe.toString()})(window, ${nodes})`);
    await page.goto(url, { waitUntil: 'commit' });
    await whenDrawn(page, nodes);
    const target = await centralNode(page);
    // Selected first: the inspector then builds its code editor (Monaco, ~150 ms) before the
    // drag, not in the middle of the frames measured.
    await page.mouse.click(target.x, target.y);
    await page.locator(`[data-testid="inspector-node"][data-node-id="${target.id}"] .monaco-editor`).waitFor({ timeout: 30_000 });
    const before = z.string().nullable().parse(await page.evaluate(`window.__trellisBench.nodeTransform(${JSON.stringify(target.id)})`));
    await page.mouse.move(target.x, target.y);
    await page.mouse.down();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    if (!z.boolean().parse(await page.evaluate(`window.__trellisBench.startFrames(${JSON.stringify(target.id)})`))) throw new Error(`node ${target.id} left the canvas`);
    const cpuBefore = await cpuTimes(cdp);
    const start = performance.now();
    // A slow loop, 120 px wide: the pointer moves every time the page has taken the last move.
    for (let elapsed = 0; elapsed < durationMs; elapsed = performance.now() - start) {
      const angle = (elapsed / durationMs) * 2 * Math.PI;
      await page.mouse.move(target.x + 120 * Math.sin(angle), target.y + 60 * (1 - Math.cos(angle)));
    }
    const frames = FramesSchema.parse(await page.evaluate('window.__trellisBench.stopFrames()'));
    const durationMsActual = performance.now() - start;
    const cpuAfter = await cpuTimes(cdp);
    await page.mouse.move(target.x + 40, target.y + 40);
    await page.mouse.up();
    const after = z.string().nullable().parse(await page.evaluate(`window.__trellisBench.nodeTransform(${JSON.stringify(target.id)})`));
    const samples = dragFrameSamples(frames);
    return {
      frame: frameStats(samples.frameMs),
      longFrames: frameStats(frames.longFrames),
      pointerMoves: frames.moves.length,
      movesPerFrame: median(samples.movesPerFrame),
      unanswered: samples.unanswered,
      durationMs: durationMsActual,
      mainThreadCpuPerFrameMs: ((cpuAfter.thread - cpuBefore.thread) * 1000) / samples.frameMs.length,
      processCpuPerFrameMs: ((cpuAfter.process - cpuBefore.process) * 1000) / samples.frameMs.length,
      moved: before !== after,
    };
  } finally {
    await context.close();
  }
}

function median(values: readonly number[]): number {
  return frameStats(values).median;
}

const ms = (n: number): string => (Number.isFinite(n) ? n.toFixed(n < 100 ? 1 : 0) : 'n/a');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      chains: { type: 'string', default: '40' },
      length: { type: 'string', default: '25' },
      repeats: { type: 'string', default: '3' },
      'drag-ms': { type: 'string', default: '2000' },
      json: { type: 'boolean', default: false },
    },
  });
  const chains = Number(values.chains);
  const length = Number(values.length);
  const repeats = Number(values.repeats);
  const dragMs = Number(values['drag-ms']);
  for (const [name, n] of [['chains', chains], ['length', length], ['repeats', repeats], ['drag-ms', dragMs]] as const) {
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} takes a whole number ≥ 1`);
  }
  const document = largePipeline({ chains, length });
  const nodes = chains * length;

  const server = await startTrellisServer();
  try {
    // Saved after the server seeded its example, so it is the newest pipeline: the one the app opens.
    const saved = await createHttpEngineClient({ baseUrl: server.url }).savePipeline({ document });
    const errors = saved.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) throw new Error(`the generated pipeline has problems: ${errors.slice(0, 3).map((d) => d.message).join('; ')}`);

    const browser = await chromium.launch({ ...CHROMIUM, headless: true });
    try {
      const opens: OpenTiming[] = [];
      for (let i = 0; i < repeats; i++) opens.push(await openToInteractive(browser, server.url, nodes));
      const uncapped = await chromium.launch({ ...CHROMIUM, args: [...CHROMIUM.args, ...UNCAPPED_FRAMES], headless: true });
      let drag: DragTiming;
      try {
        drag = await dragFrames(uncapped, server.url, nodes, dragMs);
      } finally {
        await uncapped.close();
      }

      if (values.json) {
        process.stdout.write(`${JSON.stringify({ nodes, edges: document.edges?.length ?? 0, opens, drag })}\n`);
        return;
      }
      const interactive = median(opens.map((o) => o.interactiveMs));
      process.stdout.write(`UI benchmark: ${nodes} nodes, ${document.edges?.length ?? 0} edges, headless Chromium ${browser.version()} at ${VIEWPORT.width}×${VIEWPORT.height}\n`);
      process.stdout.write(`open to interactive: ${ms(interactive)} ms (goal < 1000)   [median of ${repeats}: ${opens.map((o) => ms(o.interactiveMs)).join(', ')} ms]\n`);
      process.stdout.write(`  main-thread CPU up to then: ${ms(median(opens.map((o) => o.mainThreadCpuMs)))} ms (median; wall time stretches when the machine is loaded)\n`);
      process.stdout.write(
        `  page clock: all nodes drawn at ${ms(median(opens.map((o) => o.drawnAt)))} ms, view settled at ${ms(median(opens.map((o) => o.settledAt)))} ms; click answered in ${ms(median(opens.map((o) => o.clickMs)))} ms\n`,
      );
      process.stdout.write(
        `drag median frame: ${ms(drag.frame.median)} ms (goal < 16), p95 ${ms(drag.frame.p95)} ms, max ${ms(drag.frame.max)} ms   [pointer move → frame drawn, frame rate uncapped]\n`,
      );
      process.stdout.write(`  CPU per frame (mean): main thread ${ms(drag.mainThreadCpuPerFrameMs)} ms, renderer process ${ms(drag.processCpuPerFrameMs)} ms\n`);
      const longest = drag.longFrames.count > 0 ? `, longest ${ms(drag.longFrames.max)} ms` : '';
      process.stdout.write(
        `  ${drag.frame.count} frames in ${ms(drag.durationMs)} ms for ${drag.pointerMoves} pointer moves (median ${drag.movesPerFrame} per frame, ${drag.unanswered} unanswered); ${drag.longFrames.count} long animation frames (> 50 ms)${longest}${drag.moved ? '' : '; WARNING: the node did not move'}\n`,
      );
    } finally {
      await browser.close();
    }
  } finally {
    await server.stop();
  }
}

main().catch((cause: unknown) => {
  process.stderr.write(`bench:ui failed: ${cause instanceof Error ? (cause.stack ?? cause.message) : String(cause)}\n`);
  process.exitCode = 1;
});
