import { moreThuenteSearch, type LineSearchState } from './moreThuente.js';

/**
 * f(x), writing ∇f(x) into `gradient`. Called once per evaluation; it must not keep `x` or
 * `gradient` (the optimizer reuses both buffers).
 */
export type Objective = (x: Float64Array, gradient: Float64Array) => number;

/** The same, for objectives evaluated elsewhere (row shards on worker threads). */
export type AsyncObjective = (x: Float64Array, gradient: Float64Array) => Promise<number>;

/** What the optimizer asks for: f at `x`, with ∇f written into `gradient`. */
export interface EvaluationRequest {
  x: Float64Array;
  gradient: Float64Array;
}

export interface LbfgsOptions {
  /** Corrections kept for the inverse-Hessian estimate (scipy's `maxcor`). Default 10. */
  memory?: number;
  /** Default 1000. */
  maxIterations?: number;
  /** Converged when the largest |∂f/∂x_i| is at most this (scipy's `gtol`). Default 1e-5. */
  gradientTolerance?: number;
  /**
   * Converged when (f_k − f_k+1) / max(|f_k|, |f_k+1|, 1) is at most this (scipy's `ftol`,
   * default 2.2e-9 there and here). With 0 it still stops once an iteration gains nothing at
   * all, which is where rounding leaves it when the gradient test asks for too much.
   */
  relativeTolerance?: number;
  /**
   * The 1 in that test's denominator, in the objective's units. An objective scaled down by W
   * (a mean instead of a sum) passes 1/W to stop exactly where scipy stops on the sum. Default 1.
   */
  relativeFloor?: number;
  /** Function evaluations allowed per line search (scipy's `maxls`). Default 50. */
  maxLineSearch?: number;
  /** Called after every iteration; throwing (e.g. `signal.throwIfAborted()`) stops the fit. */
  onIteration?: (iteration: number, f: number, gradientNorm: number) => void;
}

export type LbfgsStop = 'gradient' | 'relative_decrease' | 'max_iterations' | 'line_search_failed';

export interface LbfgsResult {
  x: Float64Array;
  f: number;
  /** Largest |∂f/∂x_i| at `x`. */
  gradientNorm: number;
  iterations: number;
  evaluations: number;
  /** Why it stopped; `gradient` and `relative_decrease` count as converged. */
  stop: LbfgsStop;
  converged: boolean;
}

/**
 * Minimizes a smooth function with limited-memory BFGS: the two-loop recursion for the search
 * direction (initial Hessian scaled by s'y / y'y) and the Moré–Thuente line search with the same
 * constants and stopping tests as scipy's L-BFGS-B (ftol 1e-3, gtol 0.9, xtol 0.1 in the search;
 * projected-gradient and relative-decrease tests outside), so results and iteration counts are
 * comparable with scikit-learn's `lbfgs` solver.
 */
export function minimizeLbfgs(objective: Objective, x0: Float64Array, options: LbfgsOptions = {}): LbfgsResult {
  const steps = lbfgsSteps(x0, options);
  let step = steps.next();
  while (!step.done) step = steps.next(objective(step.value.x, step.value.gradient));
  return step.value;
}

/** `minimizeLbfgs` for an objective that answers asynchronously. */
export async function minimizeLbfgsAsync(objective: AsyncObjective, x0: Float64Array, options: LbfgsOptions = {}): Promise<LbfgsResult> {
  const steps = lbfgsSteps(x0, options);
  let step = steps.next();
  while (!step.done) step = steps.next(await objective(step.value.x, step.value.gradient));
  return step.value;
}

/**
 * The optimizer as a generator of evaluation requests, so one implementation serves both the
 * synchronous and the asynchronous driver: it yields where f is needed and is resumed with f(x).
 */
function* lbfgsSteps(x0: Float64Array, options: LbfgsOptions): Generator<EvaluationRequest, LbfgsResult, number> {
  const n = x0.length;
  const memory = options.memory ?? 10;
  const maxIterations = options.maxIterations ?? 1000;
  const gtol = options.gradientTolerance ?? 1e-5;
  const ftol = options.relativeTolerance ?? 2.220446049250313e-9;
  const floor = options.relativeFloor ?? 1;
  const maxLineSearch = options.maxLineSearch ?? 50;

  const x = Float64Array.from(x0);
  const g = new Float64Array(n);
  let f = yield { x, gradient: g };
  let evaluations = 1;
  if (!Number.isFinite(f)) throw new Error(`the objective is not finite at the starting point (${f})`);

  const s = Array.from({ length: memory }, () => new Float64Array(n));
  const y = Array.from({ length: memory }, () => new Float64Array(n));
  const rho = new Float64Array(memory);
  const alpha = new Float64Array(memory);
  let stored = 0;
  let newest = -1;
  let gamma = 1;

  const d = new Float64Array(n);
  const xPrev = new Float64Array(n);
  const gPrev = new Float64Array(n);
  const trial: EvaluationRequest = { x: new Float64Array(n), gradient: new Float64Array(n) };
  const search: LineSearchState = { stp: 0, f: 0, g: 0 };

  let gradientNorm = infNorm(g);
  let iterations = 0;
  let stop: LbfgsStop = 'max_iterations';
  if (gradientNorm <= gtol) stop = 'gradient';

  while (stop === 'max_iterations' && iterations < maxIterations) {
    // Two-loop recursion: d = −H g.
    for (let i = 0; i < n; i++) d[i] = -g[i]!;
    for (let k = 0; k < stored; k++) {
      const j = (newest - k + memory) % memory;
      const a = rho[j]! * dot(s[j]!, d);
      alpha[j] = a;
      axpy(-a, y[j]!, d);
    }
    for (let i = 0; i < n; i++) d[i] = d[i]! * gamma;
    for (let k = stored - 1; k >= 0; k--) {
      const j = (newest - k + memory) % memory;
      const b = rho[j]! * dot(y[j]!, d);
      axpy(alpha[j]! - b, s[j]!, d);
    }
    let slope = dot(g, d);
    if (!(slope < 0)) {
      // Not a descent direction (the curvature pairs went stale): restart from steepest descent.
      stored = 0;
      gamma = 1;
      for (let i = 0; i < n; i++) d[i] = -g[i]!;
      slope = dot(g, d);
    }

    xPrev.set(x);
    gPrev.set(g);
    const fPrev = f;
    // scipy starts the first search at a unit-length step and every later one at 1.
    search.stp = iterations === 0 ? Math.min(1 / Math.sqrt(dot(d, d)), 1e10) : 1;
    const lineSearch = moreThuenteSearch(search, fPrev, slope, { maxEvaluations: maxLineSearch });
    let next = lineSearch.next();
    while (!next.done) {
      const stp = next.value;
      for (let i = 0; i < n; i++) trial.x[i] = xPrev[i]! + stp * d[i]!;
      search.f = yield trial;
      search.g = dot(trial.gradient, d);
      evaluations++;
      next = lineSearch.next();
    }
    if (next.value === 'max_evaluations' || !(search.f <= fPrev)) {
      // As L-BFGS-B: stay at the last iterate and retry once from steepest descent.
      if (stored === 0) {
        stop = 'line_search_failed';
        break;
      }
      stored = 0;
      gamma = 1;
      continue;
    }
    // The search ends on its last trial, which is what `trial` holds.
    x.set(trial.x);
    g.set(trial.gradient);
    f = search.f;
    iterations++;
    gradientNorm = infNorm(g);
    options.onIteration?.(iterations, f, gradientNorm);

    const slot = (newest + 1) % memory;
    const sk = s[slot]!;
    const yk = y[slot]!;
    for (let i = 0; i < n; i++) {
      sk[i] = x[i]! - xPrev[i]!;
      yk[i] = g[i]! - gPrev[i]!;
    }
    const sy = dot(sk, yk);
    const yy = dot(yk, yk);
    // L-BFGS-B's test: skip a pair whose curvature is not safely positive.
    if (sy > 2.220446049250313e-16 * yy) {
      rho[slot] = 1 / sy;
      gamma = sy / yy;
      newest = slot;
      if (stored < memory) stored++;
    }

    if (gradientNorm <= gtol) stop = 'gradient';
    else if ((fPrev - f) / Math.max(Math.abs(fPrev), Math.abs(f), floor) <= ftol) stop = 'relative_decrease';
  }
  return { x, f, gradientNorm, iterations, evaluations, stop, converged: stop === 'gradient' || stop === 'relative_decrease' };
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < x.length; i++) y[i] = y[i]! + a * x[i]!;
}

function infNorm(a: Float64Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]!);
    if (v > max) max = v;
  }
  return max;
}
