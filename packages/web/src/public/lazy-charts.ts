import { lazy } from 'preact-iso';

// Chart.js is the heaviest part of the public page: it loads in its own chunk, after the figures are on screen.
export const BarChart = lazy(() => import('./charts.js').then((m) => m.BarChart));
export const LineChart = lazy(() => import('./charts.js').then((m) => m.LineChart));
