import { useEffect, useState, type ReactElement } from 'react';
import { ChartArtifactSchema, chartSvg, type FileValue } from '../api/contract.js';
import { describeError, engine } from '../api/engineInstance.js';

type Loaded = { svg: string } | { error: string } | null;

/**
 * A chart output: its stored spec, drawn with the same SVG `trellis report` inlines. The markup
 * is built by chartSvg from a validated spec with every data string escaped, so it is safe to
 * insert as HTML.
 */
export function ChartValueView({ value }: { value: FileValue }): ReactElement {
  const [loaded, setLoaded] = useState<Loaded>(null);
  useEffect(() => {
    let live = true;
    setLoaded(null);
    engine()
      .getArtifactJson({ artifactId: value.artifact })
      .then((content) => {
        const parsed = ChartArtifactSchema.safeParse(content);
        if (live) setLoaded(parsed.success ? { svg: chartSvg(parsed.data.spec) } : { error: 'this artifact is not a chart spec (trellis.chart/1)' });
      })
      .catch((cause: unknown) => live && setLoaded({ error: describeError(cause) }));
    return () => {
      live = false;
    };
  }, [value.artifact]);
  if (loaded === null) return <div className="panel-empty">Loading the chart…</div>;
  if ('error' in loaded) return <div className="panel-empty">Cannot draw the chart: {loaded.error}</div>;
  return <div className="chart-spec" data-testid="chart-spec" data-chart={String(value.summary.chart ?? '')} dangerouslySetInnerHTML={{ __html: loaded.svg }} />;
}
