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

/** Minutes since midnight of each "HH:MM" label, or undefined if any label is not a time. */
function minutesOf(labels: readonly string[]): number[] | undefined {
  const minutes = labels.map((label) => {
    const match = /^(\d{2}):(\d{2})$/.exec(label);
    return match ? Number(match[1]) * 60 + Number(match[2]) : Number.NaN;
  });
  return minutes.every(Number.isFinite) ? minutes : undefined;
}

const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/**
 * A line over time: with "HH:MM" labels the x axis is proportional to time (the 4 hours from 18:00 to 22:00 twice as
 * wide as the 2 hours before them, so the evening's slope is drawn true), ticks at the labels' times.
 */
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
  const chart = useRef<Chart<'line', { x: number; y: number | null }[]> | null>(null);
  // Where each label sits on the x axis and how a tick there is written; read by the axis when it builds its ticks.
  const xAxis = useRef<{ positions: readonly number[]; text: (position: number) => string }>({ positions: [], text: String });
  useEffect(() => {
    const element = canvas.current;
    if (!element) return;
    chart.current = new Chart(element, {
      type: 'line',
      data: { datasets: [] },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        spanGaps: true,
        plugins: { legend: { position: 'bottom' } },
        scales: {
          y: { beginAtZero: true, max: 100, ticks: { callback: (v) => axis(Number(v)) }, grid: { color: '#e5e7eb' } },
          x: {
            type: 'linear',
            grid: { display: false },
            afterBuildTicks: (scale) => {
              scale.ticks = xAxis.current.positions.map((value) => ({ value }));
            },
            ticks: { callback: (value) => xAxis.current.text(Number(value)), autoSkip: false, maxRotation: 0 },
          },
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
    const minutes = minutesOf(labels);
    const positions = minutes ?? labels.map((_, i) => i);
    xAxis.current = { positions, text: minutes ? hhmm : (position) => labels[position] ?? '' };
    const x = c.options.scales?.['x'];
    const first = positions[0] ?? 0;
    const last = positions[positions.length - 1] ?? 0;
    if (x) {
      // A little room at both ends, so that the first and last points and their times are drawn whole.
      const margin = Math.max(1, (last - first) * 0.04);
      x.min = first - margin;
      x.max = last + margin;
    }
    c.data.datasets = series.map((s) => ({
      label: s.label,
      data: s.values.map((y, i) => ({ x: positions[i] ?? i, y })),
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
