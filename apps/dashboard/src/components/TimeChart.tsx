import { useEffect, useRef } from 'react';
import uPlot, { AlignedData, Options } from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface Series {
  label: string;
  color: string;
  /** Which y axis: 'y' (left) or 'y2' (right). */
  scale?: 'y' | 'y2';
  /** Step lines for counts (hosts on/off), straight lines otherwise. */
  stepped?: boolean;
  fill?: boolean;
}

interface Props {
  /** x in seconds since the epoch, then one array per series. */
  data: AlignedData;
  series: Series[];
  height?: number;
  yLabel?: string;
  y2Label?: string;
  /** The x window in seconds (a time range the operator chose); the data's own extent otherwise. */
  xRange?: [number, number];
  testId?: string;
}

/** Axis labels in UTC, as precise as the visible span needs. */
function timeLabels(u: uPlot, splits: number[]): string[] {
  const spanS = (u.scales.x.max ?? 0) - (u.scales.x.min ?? 0);
  return splits.map((s) => {
    const iso = new Date(s * 1000).toISOString();
    if (spanS > 2 * 86_400) return `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
    return spanS > 600 ? iso.slice(11, 16) : iso.slice(11, 19);
  });
}

/**
 * A time-series chart over uPlot (canvas, fast with thousands of points; the library Grafana uses).
 * Times are shown in UTC like the rest of the dashboard, since they are virtual-clock times.
 */
export function TimeChart({ data, series, height = 200, yLabel, y2Label, xRange, testId }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const range = useRef(xRange);
  range.current = xRange;
  const shape = JSON.stringify(series) + (yLabel ?? '') + (y2Label ?? '');

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const hasY2 = series.some((s) => s.scale === 'y2');
    const opts: Options = {
      width: Math.max(200, el.clientWidth),
      height,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      legend: { live: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true, range: (_u, min, max) => range.current ?? [min, max] }, y: { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.1 : 1] }, ...(hasY2 ? { y2: { range: (_u, _min, max) => [0, Math.max(1, Math.ceil(max * 1.2))] } } : {}) },
      axes: [
        { stroke: '#64748b', grid: { stroke: '#eef2f7' }, ticks: { stroke: '#e2e8f0' }, values: timeLabels },
        { stroke: '#64748b', label: yLabel, grid: { stroke: '#eef2f7' }, ticks: { stroke: '#e2e8f0' }, size: 56 },
        ...(hasY2 ? [{ scale: 'y2', side: 1 as const, stroke: '#64748b', label: y2Label, grid: { show: false }, size: 44 }] : []),
      ],
      series: [
        {},
        ...series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 2,
          scale: s.scale ?? 'y',
          fill: s.fill ? `${s.color}22` : undefined,
          paths: s.stepped ? uPlot.paths.stepped?.({ align: 1 }) : undefined,
          // Markers while points are few, so a single sample is still visible; lines alone after that.
          points: { show: (u: uPlot) => u.data[0].length < 40, size: 6 },
        })),
      ],
    };
    plot.current = new uPlot(opts, data, el);
    const resize = new ResizeObserver(() => plot.current?.setSize({ width: Math.max(200, el.clientWidth), height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
    // The chart is rebuilt only when its shape changes; new data goes through setData below.
  }, [shape, height]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  return <div className="chart" ref={host} data-testid={testId} />;
}
