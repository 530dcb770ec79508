import type { ChartSpec } from './chartSpec.js';

/**
 * Draws a chart spec as a standalone SVG string: no scripts, no external fonts or styles, so the
 * same markup sits inline in `trellis report`'s HTML file and in the app's output preview. Every
 * text that came from data is escaped. Pure string building: safe for the browser bundle.
 */

const WIDTH = 420;
const HEIGHT = 260;
const M = { top: 28, right: 16, bottom: 44, left: 52 };
const COLORS = ['#2f6fd0', '#d0642f', '#3a9a5b', '#8a4fc7', '#c23a5a', '#6b7a8f'];
const REFERENCE = '#8fa6c8';
const CURRENT = '#e08a3c';
const FONT = 'font-family="system-ui, -apple-system, Segoe UI, sans-serif"';

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const n = (v: number): string => String(Math.round(v * 100) / 100);
const short = (v: number): string => (Math.abs(v) >= 1e5 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(1) : String(Number(v.toPrecision(3))));

function svg(width: number, height: number, title: string, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(title)}" ${FONT} font-size="11">`,
    `<title>${escapeXml(title)}</title>`,
    `<text x="${width / 2}" y="16" text-anchor="middle" font-size="13" font-weight="600" fill="#1d2430">${escapeXml(title)}</text>`,
    ...body,
    '</svg>',
  ].join('');
}

interface Scale {
  (v: number): number;
  ticks: number[];
}

function linear(min: number, max: number, from: number, to: number, tickCount = 5): Scale {
  const lo = Number.isFinite(min) ? min : 0;
  let hi = Number.isFinite(max) ? max : 1;
  if (hi === lo) hi = lo + (lo === 0 ? 1 : Math.abs(lo) * 0.1);
  const scale = ((v: number) => from + ((v - lo) / (hi - lo)) * (to - from)) as Scale;
  scale.ticks = Array.from({ length: tickCount }, (_, i) => lo + ((hi - lo) * i) / (tickCount - 1));
  return scale;
}

function frame(x: Scale, y: Scale, xLabel: string, yLabel: string, formatX: (v: number) => string = short): string[] {
  const left = M.left;
  const bottom = HEIGHT - M.bottom;
  const parts = [`<line x1="${left}" y1="${bottom}" x2="${WIDTH - M.right}" y2="${bottom}" stroke="#9aa3af"/>`, `<line x1="${left}" y1="${M.top}" x2="${left}" y2="${bottom}" stroke="#9aa3af"/>`];
  for (const t of y.ticks) {
    parts.push(`<line x1="${left}" y1="${n(y(t))}" x2="${WIDTH - M.right}" y2="${n(y(t))}" stroke="#eceff3"/>`);
    parts.push(`<text x="${left - 4}" y="${n(y(t) + 3)}" text-anchor="end" fill="#4b5563">${escapeXml(short(t))}</text>`);
  }
  for (const t of x.ticks) parts.push(`<text x="${n(x(t))}" y="${bottom + 14}" text-anchor="middle" fill="#4b5563">${escapeXml(formatX(t))}</text>`);
  parts.push(`<text x="${(left + WIDTH - M.right) / 2}" y="${HEIGHT - 8}" text-anchor="middle" fill="#1d2430">${escapeXml(xLabel)}</text>`);
  parts.push(`<text transform="translate(12 ${(M.top + bottom) / 2}) rotate(-90)" text-anchor="middle" fill="#1d2430">${escapeXml(yLabel)}</text>`);
  return parts;
}

function legend(items: ReadonlyArray<{ label: string; color: string }>, y = 30): string[] {
  return items.map((item, i) => {
    const x = WIDTH - M.right - 110;
    return `<rect x="${x}" y="${y + i * 14}" width="10" height="10" fill="${item.color}"/><text x="${x + 14}" y="${y + i * 14 + 9}" fill="#1d2430">${escapeXml(item.label)}</text>`;
  });
}

function kpiLine(spec: Extract<ChartSpec, { kind: 'kpi_line' }>): string {
  const points = spec.series.flatMap((s) => s.points);
  if (points.length === 0) return svg(WIDTH, HEIGHT, spec.title, [`<text x="${WIDTH / 2}" y="${HEIGHT / 2}" text-anchor="middle" fill="#6b7280">no runs have recorded ${escapeXml(spec.metric)} yet</text>`]);
  const ys = [...points.map((p) => p.y), ...spec.thresholds.map((t) => t.value)];
  const x = linear(Math.min(...points.map((p) => p.x)), Math.max(...points.map((p) => p.x)), M.left + 6, WIDTH - M.right - 6, 4);
  const y = linear(Math.min(...ys), Math.max(...ys), HEIGHT - M.bottom, M.top + 6);
  // Runs within two days of each other (a day's reruns, a simulation) are told apart by the time of day.
  const span = Math.max(...points.map((p) => p.x)) - Math.min(...points.map((p) => p.x));
  const date = (v: number): string => new Date(v).toISOString().slice(span < 2 * 86_400_000 ? 11 : 5, span < 2 * 86_400_000 ? 16 : 10);
  const parts = frame(x, y, 'run', spec.metric, date);
  for (const t of spec.thresholds) {
    parts.push(`<line x1="${M.left}" y1="${n(y(t.value))}" x2="${WIDTH - M.right}" y2="${n(y(t.value))}" stroke="#c23a5a" stroke-dasharray="5 4"/>`);
    parts.push(`<text x="${WIDTH - M.right - 2}" y="${n(y(t.value) - 3)}" text-anchor="end" fill="#c23a5a">${escapeXml(`${t.label} ${short(t.value)}`)}</text>`);
  }
  spec.series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length]!;
    const sorted = [...s.points].sort((a, b) => a.x - b.x);
    parts.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${sorted.map((p) => `${n(x(p.x))},${n(y(p.y))}`).join(' ')}"/>`);
    for (const p of sorted) parts.push(`<circle cx="${n(x(p.x))}" cy="${n(y(p.y))}" r="2.5" fill="${color}"><title>${escapeXml(`${s.name} ${short(p.y)} (run ${p.runId})`)}</title></circle>`);
  });
  if (spec.series.length > 1) parts.push(...legend(spec.series.map((s, i) => ({ label: s.name, color: COLORS[i % COLORS.length]! }))));
  return svg(WIDTH, HEIGHT, spec.title, parts);
}

function histogram(spec: Extract<ChartSpec, { kind: 'histogram_overlay' }>): string {
  const count = Math.max(1, spec.bins.length);
  const max = Math.max(0, ...spec.bins.flatMap((b) => [b.reference, b.current]));
  const y = linear(0, max, HEIGHT - M.bottom, M.top + 6);
  const slot = (WIDTH - M.left - M.right) / count;
  const bar = Math.max(1, slot * 0.4);
  const parts = frame(Object.assign((v: number) => v, { ticks: [] }), y, spec.verdict ?? spec.column, 'share of rows');
  spec.bins.forEach((b, k) => {
    const x0 = M.left + k * slot + slot * 0.1;
    for (const [i, value, color, side] of [[0, b.reference, REFERENCE, 'reference'], [1, b.current, CURRENT, 'current']] as const) {
      const top = y(value);
      parts.push(`<rect x="${n(x0 + i * bar)}" y="${n(top)}" width="${n(bar)}" height="${n(HEIGHT - M.bottom - top)}" fill="${color}"><title>${escapeXml(`${b.label}: ${side} ${(value * 100).toFixed(1)}%`)}</title></rect>`);
    }
    // Label every bin when they fit, else every few.
    if (count <= 10 || k % Math.ceil(count / 8) === 0) parts.push(`<text x="${n(x0 + bar)}" y="${HEIGHT - M.bottom + 12}" text-anchor="middle" font-size="9" fill="#4b5563">${escapeXml(b.label.length > 12 ? `${b.label.slice(0, 11)}…` : b.label)}</text>`);
  });
  parts.push(...legend([{ label: 'reference', color: REFERENCE }, { label: 'current', color: CURRENT }]));
  return svg(WIDTH, HEIGHT, spec.title, parts);
}

function confusion(spec: Extract<ChartSpec, { kind: 'confusion_matrix' }>): string {
  const size = spec.labels.length;
  const cell = Math.min(56, Math.floor(200 / Math.max(1, size)));
  const left = 90;
  const top = 44;
  const width = Math.max(WIDTH, left + size * cell + 20);
  const height = top + size * cell + 40;
  const max = Math.max(1, ...spec.matrix.flat());
  const parts: string[] = [`<text x="${left + (size * cell) / 2}" y="${top - 14}" text-anchor="middle" fill="#4b5563">predicted</text>`, `<text transform="translate(14 ${top + (size * cell) / 2}) rotate(-90)" text-anchor="middle" fill="#4b5563">actual</text>`];
  spec.labels.forEach((label, i) => {
    parts.push(`<text x="${left + i * cell + cell / 2}" y="${top - 2}" text-anchor="middle" fill="#1d2430">${escapeXml(label)}</text>`);
    parts.push(`<text x="${left - 6}" y="${top + i * cell + cell / 2 + 4}" text-anchor="end" fill="#1d2430">${escapeXml(label)}</text>`);
  });
  spec.matrix.forEach((row, r) =>
    row.forEach((count, c) => {
      const share = count / max;
      parts.push(`<rect x="${left + c * cell}" y="${top + r * cell}" width="${cell - 2}" height="${cell - 2}" fill="rgba(47,111,208,${n(0.08 + share * 0.85)})"><title>${escapeXml(`actual ${spec.labels[r]}, predicted ${spec.labels[c]}: ${count}`)}</title></rect>`);
      parts.push(`<text x="${left + c * cell + cell / 2 - 1}" y="${top + r * cell + cell / 2 + 4}" text-anchor="middle" fill="${share > 0.55 ? '#fff' : '#1d2430'}">${count}</text>`);
    }),
  );
  return svg(width, height, spec.title, parts);
}

function curve(spec: Extract<ChartSpec, { kind: 'curve' }>): string {
  const x = linear(0, 1, M.left, WIDTH - M.right);
  const y = linear(0, 1, HEIGHT - M.bottom, M.top);
  const parts = frame(x, y, spec.xLabel, spec.yLabel);
  if (spec.curve === 'roc') parts.push(`<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" stroke="#c2c7ce" stroke-dasharray="4 4"/>`);
  const sorted = [...spec.points].sort((a, b) => a.x - b.x || (spec.curve === 'roc' ? a.y - b.y : b.y - a.y));
  parts.push(`<polyline fill="none" stroke="${COLORS[0]}" stroke-width="2" points="${sorted.map((p) => `${n(x(p.x))},${n(y(p.y))}`).join(' ')}"/>`);
  if (spec.area !== undefined) parts.push(`<text x="${WIDTH - M.right - 4}" y="${HEIGHT - M.bottom - 8}" text-anchor="end" fill="#1d2430">${spec.curve === 'roc' ? 'ROC AUC' : 'PR AUC'} ${spec.area.toFixed(3)}</text>`);
  return svg(WIDTH, HEIGHT, spec.title, parts);
}

function bars(spec: Extract<ChartSpec, { kind: 'bars' }>): string {
  const row = 18;
  const left = 130;
  const height = M.top + 10 + spec.bars.length * row + 30;
  const max = Math.max(0, ...spec.bars.map((b) => b.value));
  const min = Math.min(0, ...spec.bars.map((b) => b.value));
  const x = linear(min, max, left, WIDTH - M.right - 40);
  const parts: string[] = [];
  spec.bars.forEach((b, i) => {
    const top = M.top + 10 + i * row;
    const from = x(Math.min(0, b.value));
    const to = x(Math.max(0, b.value));
    parts.push(`<text x="${left - 6}" y="${top + 12}" text-anchor="end" fill="#1d2430">${escapeXml(b.label.length > 20 ? `${b.label.slice(0, 19)}…` : b.label)}</text>`);
    parts.push(`<rect x="${n(from)}" y="${top + 2}" width="${n(Math.max(1, to - from))}" height="${row - 5}" fill="${COLORS[0]}"><title>${escapeXml(`${b.label}: ${short(b.value)}`)}</title></rect>`);
    parts.push(`<text x="${n(to + 4)}" y="${top + 12}" fill="#4b5563">${escapeXml(short(b.value))}</text>`);
  });
  parts.push(`<text x="${(left + WIDTH - M.right) / 2}" y="${height - 8}" text-anchor="middle" fill="#4b5563">${escapeXml(spec.valueLabel)}</text>`);
  return svg(WIDTH, height, spec.title, parts);
}

/** The SVG markup of a chart spec. */
export function chartSvg(spec: ChartSpec): string {
  switch (spec.kind) {
    case 'kpi_line':
      return kpiLine(spec);
    case 'histogram_overlay':
      return histogram(spec);
    case 'confusion_matrix':
      return confusion(spec);
    case 'curve':
      return curve(spec);
    case 'bars':
      return bars(spec);
  }
}
