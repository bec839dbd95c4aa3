/**
 * Charts (Chart.js, only the parts used, in a chunk of their own that loads after the first paint). Every chart
 * sits beside a table with the same figures: the table is the accessible and exact form, the chart the picture.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';
import { useEffect, useRef } from 'preact/hooks';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Tooltip, Legend);
Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif';
Chart.defaults.color = '#1f2937';
// Live results redraw often: no animation, so a chart never shows a figure that is not (or no longer) true.
Chart.defaults.animation = false;

export interface BarRow {
  readonly label: string;
  /** Bar length (a share in percent). */
  readonly value: number;
  /** The exact figure, formatted, for the tooltip. */
  readonly text: string;
  readonly color: string;
}

export function BarChart({ rows, label, axis }: { rows: readonly BarRow[]; label: string; axis: (value: number) => string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart<'bar', number[], string> | null>(null);
  useEffect(() => {
    const element = canvas.current;
    if (!element) return;
    const config: ChartConfiguration<'bar', number[], string> = {
      type: 'bar',
      data: { labels: [], datasets: [{ data: [], backgroundColor: [], borderWidth: 0 }] },
      options: {
        indexAxis: 'y',
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { display: false }, tooltip: { callbacks: { label: () => '' } } },
        scales: {
          x: { beginAtZero: true, max: 100, ticks: { callback: (v) => axis(Number(v)) }, grid: { color: '#e5e7eb' } },
          y: { grid: { display: false }, ticks: { autoSkip: false } },
        },
      },
    };
    chart.current = new Chart(element, config);
    return () => {
      chart.current?.destroy();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    c.data.labels = rows.map((r) => r.label);
    const dataset = c.data.datasets[0];
    if (dataset) {
      dataset.data = rows.map((r) => r.value);
      dataset.backgroundColor = rows.map((r) => r.color);
    }
    const tooltip = c.options.plugins?.tooltip;
    if (tooltip) tooltip.callbacks = { label: (item) => rows[item.dataIndex]?.text ?? '' };
    const x = c.options.scales?.['x'];
    if (x?.ticks) x.ticks.callback = (v) => axis(Number(v));
    c.update();
  }, [rows, axis]);
  return (
    <div class="chart-box" style={{ height: `${rows.length * 36 + 48}px` }}>
      <canvas ref={canvas} role="img" aria-label={label} />
    </div>
  );
}

export interface LineSeries {
  readonly label: string;
  readonly values: readonly (number | null)[];
  readonly color: string;
  readonly dashed?: boolean;
}

export function LineChart({
  labels,
  series,
  label,
  axis,
}: {
  labels: readonly string[];
  series: readonly LineSeries[];
  label: string;
  axis: (value: number) => string;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart<'line', (number | null)[], string> | null>(null);
  useEffect(() => {
    const element = canvas.current;
    if (!element) return;
    chart.current = new Chart(element, {
      type: 'line',
      data: { labels: [], datasets: [] },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        spanGaps: true,
        plugins: { legend: { position: 'bottom' } },
        scales: {
          y: { beginAtZero: true, max: 100, ticks: { callback: (v) => axis(Number(v)) }, grid: { color: '#e5e7eb' } },
          x: { grid: { display: false } },
        },
      },
    });
    return () => {
      chart.current?.destroy();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    c.data.labels = [...labels];
    c.data.datasets = series.map((s) => ({
      label: s.label,
      data: [...s.values],
      borderColor: s.color,
      backgroundColor: s.color,
      borderWidth: 3,
      pointRadius: 4,
      ...(s.dashed ? { borderDash: [6, 4] } : {}),
    }));
    const y = c.options.scales?.['y'];
    if (y?.ticks) y.ticks.callback = (v) => axis(Number(v));
    c.update();
  }, [labels, series, axis]);
  return (
    <div class="chart-box chart-line">
      <canvas ref={canvas} role="img" aria-label={label} />
    </div>
  );
}
