import { describe, expect, it } from 'vitest';
import type { ChartSpec } from './chartSpec.js';
import { chartSvg } from './chartSvg.js';

const specs: ChartSpec[] = [
  { kind: 'kpi_line', title: 'AUC <over> runs', metric: 'roc_auc', series: [{ name: 'evaluate', points: [{ x: 1, y: 0.8, runId: 'a' }, { x: 2, y: 0.7, runId: 'b' }] }], thresholds: [{ value: 0.75, label: 'min' }] },
  { kind: 'histogram_overlay', title: 'tenure', column: 'tenure', bins: [{ label: '0–1', reference: 0.5, current: 0.2 }, { label: '1–2', reference: 0.5, current: 0.8 }], verdict: 'drifted' },
  { kind: 'confusion_matrix', title: 'cm', labels: ['no', 'yes'], matrix: [[5, 1], [2, 7]] },
  { kind: 'curve', title: 'roc', curve: 'roc', xLabel: 'fpr', yLabel: 'tpr', points: [{ x: 0, y: 0 }, { x: 1, y: 1 }], area: 0.5 },
  { kind: 'bars', title: 'importance', bars: [{ label: 'a & b', value: 2 }, { label: 'c', value: 1 }], valueLabel: 'gain' },
];

describe('chartSvg', () => {
  it('draws every kind as one self-contained SVG element, data text escaped, nothing external', () => {
    for (const spec of specs) {
      const svg = chartSvg(spec);
      expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
      expect(svg.endsWith('</svg>')).toBe(true);
      expect(svg).not.toMatch(/<script|href=|url\(|NaN|undefined/);
      expect(svg.match(/<svg/g)).toHaveLength(1);
    }
    expect(chartSvg(specs[0]!)).toContain('AUC &lt;over&gt; runs');
    expect(chartSvg(specs[4]!)).toContain('a &amp; b');
  });

  it('draws what each chart is about', () => {
    const [kpi, hist, cm, roc, bars] = specs.map(chartSvg);
    expect(kpi).toContain('stroke-dasharray="5 4"'); // the threshold line
    expect(kpi!.match(/<circle/g)).toHaveLength(2);
    expect(hist!.match(/<rect x="[\d.]+" y="[\d.]+" width/g)).toHaveLength(4 + 2); // 2 bins × 2 sides + 2 legend swatches
    expect(cm).toContain('actual yes, predicted no: 2');
    expect(roc).toContain('ROC AUC 0.500');
    expect(bars).toContain('<title>c: 1</title>');
  });

  it('says so when a KPI has no points yet', () => {
    expect(chartSvg({ kind: 'kpi_line', title: 't', metric: 'f1', series: [], thresholds: [] })).toContain('no runs have recorded f1 yet');
  });
});
