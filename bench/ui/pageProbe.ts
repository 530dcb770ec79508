/**
 * What the benchmark measures inside the page. `installProbe` is serialized with toString() and
 * run in the page before the app's scripts (Playwright's addInitScript), so it must not close
 * over anything in this module. The types below name only the few browser APIs it uses: the
 * project compiles without the DOM library, and a narrow interface documents what is touched.
 */

interface ProbeRect {
  left: number;
  top: number;
  width: number;
  height: number;
}

interface ProbeElement {
  readonly style: { readonly visibility: string; readonly transform: string };
  getAttribute(name: string): string | null;
  querySelector(selector: string): ProbeElement | null;
  getBoundingClientRect(): ProbeRect;
}

interface ProbeWindow {
  document: { querySelectorAll(selector: string): ArrayLike<ProbeElement>; querySelector(selector: string): ProbeElement | null; getElementsByClassName(name: string): { length: number } };
  performance: { now(): number };
  requestAnimationFrame(callback: (time: number) => void): number;
  addEventListener(type: string, listener: () => void, options: { capture: boolean; passive: boolean }): void;
  MutationObserver: new (callback: () => void) => { observe(target: ProbeElement, options: { attributes: boolean; attributeFilter: string[] }): void; disconnect(): void };
  MessageChannel: new () => { port1: { onmessage: (() => void) | null }; port2: { postMessage(message: null): void } };
  PerformanceObserver: new (callback: (list: { getEntries(): ArrayLike<{ duration: number }> }) => void) => { observe(options: { type: string }): void; disconnect(): void };
  __trellisBench?: BenchProbe;
}

/** The probe's API, called from the benchmark with `page.evaluate('window.__trellisBench....')`. */
export interface BenchProbe {
  /**
   * Resolves once the expected number of canvas nodes are drawn (in the DOM and measured: React
   * Flow keeps an unmeasured node `visibility: hidden`) and the view has moved (the app fits the
   * view once the nodes are measured) and then stayed still for three frames. Times are the page
   * clock: ms since navigation.
   */
  whenDrawn(): Promise<{ drawnAt: number; settledAt: number }>;
  /** What the watch behind whenDrawn has seen so far, for a message when it never resolves. */
  watchState(): string;
  /** The canvas node closest to the pane's centre, and the centre of its header on screen. */
  centralNode(): { id: string; x: number; y: number } | null;
  /** The canvas node's CSS transform (its position on the canvas). */
  nodeTransform(id: string): string | null;
  /**
   * Starts recording a drag of canvas node `id`: when each pointer move reaches the page, when
   * the node's new position reaches the DOM and when the frame showing it has been drawn, and
   * the long animation frames (over 50 ms).
   */
  startFrames(id: string): boolean;
  /** Stops recording and returns what was recorded (see DragRecord in dragFrames.ts). */
  stopFrames(): { moves: number[]; frames: Array<{ committedAt: number; paintedAt: number }>; longFrames: number[] };
}

export function installProbe(w: ProbeWindow, expectedNodes: number): void {
  let recording = false;
  let moves: number[] = [];
  let frames: Array<{ committedAt: number; paintedAt: number }> = [];
  let longFrames: number[] = [];
  // A long animation frame's duration runs from the first task that led to it (input handling,
  // React) to the end of its rendering: the cost of a slow frame, wherever its work was queued.
  const longFrameObserver = new w.PerformanceObserver((list) => {
    const entries = list.getEntries();
    if (recording) for (let i = 0; i < entries.length; i++) longFrames.push(entries[i]?.duration ?? 0);
  });
  // Registered before the app's scripts run, on the window in the capture phase: it sees each
  // move before any of the app's listeners, so the time taken is the app's work, not ours.
  w.addEventListener('pointermove', () => {
    if (recording) moves.push(w.performance.now());
  }, { capture: true, passive: true });
  // A task posted from a rAF callback runs once that frame's style, layout and paint are done.
  const afterPaint = new w.MessageChannel();
  let framePending: { committedAt: number } | null = null;
  afterPaint.port1.onmessage = () => {
    if (framePending && recording) frames.push({ committedAt: framePending.committedAt, paintedAt: w.performance.now() });
    framePending = null;
  };
  // The node's position reached the DOM (React Flow moves a node with a CSS transform).
  const committed = new w.MutationObserver(() => {
    if (!recording || framePending) return;
    framePending = { committedAt: w.performance.now() };
    w.requestAnimationFrame(() => afterPaint.port2.postMessage(null));
  });

  // Watched from the first frame, so nothing is missed however late the benchmark asks.
  let drawn: { drawnAt: number; settledAt: number } | undefined;
  const waiting: Array<(value: { drawnAt: number; settledAt: number }) => void> = [];
  let drawnAt: number | undefined;
  // The first transform the canvas shows, before any fit (the canvas may not exist yet).
  let initialTransform: string | undefined;
  let lastTransform = '';
  let stillFrames = 0;
  const watch = (): void => {
    const now = w.performance.now();
    const transform = w.document.querySelector('.react-flow__viewport')?.style.transform ?? '';
    if (initialTransform === undefined && transform !== '') initialTransform = transform;
    // Cheap while the nodes are not all there (a live count), so the watch adds little to the
    // page's own work: the visibility of each is read only once there are enough of them.
    if (drawnAt === undefined && w.document.getElementsByClassName('react-flow__node').length >= expectedNodes) {
      const nodes = w.document.querySelectorAll('.react-flow__node');
      let shown = 0;
      for (let i = 0; i < nodes.length; i++) if (nodes[i]?.style.visibility !== 'hidden') shown += 1;
      if (shown >= expectedNodes) drawnAt = now;
    }
    if (drawnAt !== undefined) {
      // The app fits the opened pipeline into view once it is measured: until the view has moved
      // from where it started, a click could land where a node is about to leave.
      stillFrames = transform === lastTransform && transform !== initialTransform ? stillFrames + 1 : 0;
      if (stillFrames >= 3) {
        drawn = { drawnAt, settledAt: now };
        for (const resolve of waiting) resolve(drawn);
        return;
      }
    }
    lastTransform = transform;
    w.requestAnimationFrame(watch);
  };
  w.requestAnimationFrame(watch);

  w.__trellisBench = {
    whenDrawn() {
      return new Promise((resolve) => {
        if (drawn) resolve(drawn);
        else waiting.push(resolve);
      });
    },
    watchState() {
      const shown = w.document.querySelectorAll('.react-flow__node').length;
      return `${shown} nodes in the DOM, drawn at ${drawnAt ?? 'never'}, view first ${initialTransform ?? 'never seen'}, now ${lastTransform || 'none'}, still for ${stillFrames} frames`;
    },
    centralNode() {
      const pane = w.document.querySelector('.react-flow')?.getBoundingClientRect();
      if (!pane) return null;
      const cx = pane.left + pane.width / 2;
      const cy = pane.top + pane.height / 2;
      let best: { id: string; x: number; y: number; distance: number } | null = null;
      const nodes = w.document.querySelectorAll('.react-flow__node');
      for (let i = 0; i < nodes.length; i++) {
        const node = nodes[i];
        const header = node?.querySelector('.tn-header')?.getBoundingClientRect();
        const id = node?.getAttribute('data-id');
        if (!header || !id) continue;
        const x = header.left + header.width / 2;
        const y = header.top + header.height / 2;
        const distance = Math.hypot(x - cx, y - cy);
        if (!best || distance < best.distance) best = { id, x, y, distance };
      }
      return best ? { id: best.id, x: best.x, y: best.y } : null;
    },
    nodeTransform(id) {
      const nodes = w.document.querySelectorAll('.react-flow__node');
      for (let i = 0; i < nodes.length; i++) if (nodes[i]?.getAttribute('data-id') === id) return nodes[i]?.style.transform ?? null;
      return null;
    },
    startFrames(id) {
      let node: ProbeElement | undefined;
      const nodes = w.document.querySelectorAll('.react-flow__node');
      for (let i = 0; i < nodes.length; i++) if (nodes[i]?.getAttribute('data-id') === id) node = nodes[i];
      if (!node) return false;
      moves = [];
      frames = [];
      longFrames = [];
      framePending = null;
      recording = true;
      committed.observe(node, { attributes: true, attributeFilter: ['style'] });
      longFrameObserver.observe({ type: 'long-animation-frame' });
      return true;
    },
    stopFrames() {
      recording = false;
      committed.disconnect();
      longFrameObserver.disconnect();
      return { moves, frames, longFrames };
    },
  };
}
