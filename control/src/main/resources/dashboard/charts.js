// Line charts with uPlot (served from its WebJar): time on x, one series per side.
import uPlot from '/ui/uplot/uPlot.esm.js';

const COLORS = ['#1e8e3e', '#5f6368', '#0b57d0', '#e8a317'];

/** A chart of data = [unix seconds[], series...] in el, sized to it. */
export function lineChart(el, data, labels, unit) {
  const width = Math.max(300, el.clientWidth - 8 || 440);
  const opts = {
    width, height: 180,
    // One point alone would span years: show it in the middle of ten minutes instead.
    scales: { x: { time: true, range: (u, min, max) => (max - min < 1 ? [min - 300, max + 300] : [min, max]) } },
    series: [{}, ...labels.map((label, i) => ({ label, stroke: COLORS[i % COLORS.length], width: 2,
      value: (u, v) => v == null ? '-' : `${Math.round(v * 100) / 100}${unit}` }))],
    axes: [{}, { size: 64, values: (u, vals) => vals.map(v => `${v}${unit}`) }],
  };
  return new uPlot(opts, data, el);
}
