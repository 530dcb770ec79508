/** What the page recorded while a node was dragged (see pageProbe.ts), all on the page clock (ms). */
export interface DragRecord {
  /** When each pointer move reached the page (dispatch, before any of the app's listeners). */
  moves: readonly number[];
  /**
   * The frames that showed the dragged node somewhere new: when its new position reached the DOM
   * (`committedAt`) and when the frame holding it had been drawn (`paintedAt`).
   */
  frames: ReadonlyArray<{ committedAt: number; paintedAt: number }>;
}

export interface DragFrameSamples {
  /** Per frame: first pointer move it answers → that frame drawn (ms). */
  frameMs: number[];
  /** Pointer moves answered by each frame. */
  movesPerFrame: number[];
  /** Pointer moves no frame answered before the recording stopped. */
  unanswered: number;
}

/**
 * Pairs pointer moves with the frames that answered them. A frame answers every move that arrived
 * after the previous frame's commit and up to its own; its cost is the time from the first of
 * those moves to the frame being drawn, which covers input handling, the React render and commit,
 * and the browser's style, layout and paint (with the frame rate uncapped, no wait for vsync).
 */
export function dragFrameSamples(record: DragRecord): DragFrameSamples {
  const moves = [...record.moves].sort((a, b) => a - b);
  const frames = [...record.frames].sort((a, b) => a.committedAt - b.committedAt);
  const frameMs: number[] = [];
  const movesPerFrame: number[] = [];
  let next = 0;
  for (const frame of frames) {
    const first = moves[next];
    let answered = 0;
    while (next < moves.length && (moves[next] ?? Infinity) <= frame.committedAt) {
      next += 1;
      answered += 1;
    }
    // A commit no move led to (the drag ending, a late layout pass) is not a drag frame.
    if (answered === 0 || first === undefined) continue;
    frameMs.push(frame.paintedAt - first);
    movesPerFrame.push(answered);
  }
  return { frameMs, movesPerFrame, unanswered: moves.length - next };
}
