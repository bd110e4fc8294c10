// The overview: progress now and over time, the unclaimed endpoints, and every route as a row,
// problems first. Drawn as one string per table (1,000 routes in well under 300 ms).
import { api } from './api.js';
import { age, bytes, count, esc, millis, percent, position, rate, stageBadge } from './format.js';
import { lineChart } from './charts.js';

const STAGES = ['unclaimed', 'monolith', 'shadow', 'canary', 'live', 'retired'];
let root;
let history;

export function mount(main) {
  root = main;
  history = null;
  main.innerHTML = `
    <h1>Migration overview</h1>
    <section aria-labelledby="progress-h">
      <h2 id="progress-h">Progress</h2>
      <div id="progress"></div>
      <h3 class="muted">Over time: share served by the services (live + retired)</h3>
      <div id="progress-chart" class="chart"></div>
    </section>
    <section aria-labelledby="routes-h">
      <h2 id="routes-h">Routes <span id="routes-count" class="muted"></span></h2>
      <div id="routes"></div>
    </section>
    <section aria-labelledby="unclaimed-h">
      <h2 id="unclaimed-h">Unclaimed endpoints <span id="unclaimed-count" class="muted"></span></h2>
      <p class="muted">Requests no route claims: they all go to the monolith. <a href="#/catalog">Catalog and pilot ranking</a></p>
      <div id="unclaimed"></div>
    </section>`;
}

export async function refresh() {
  const o = await api('/api/overview');
  render(o);
}

/** Draws the overview from an OverviewView; the time it took is kept in data-render-ms (the browser test reads it). */
export function render(o) {
  const started = performance.now();
  const status = document.getElementById('store-status');
  status.textContent = o.store === 'reachable' ? '' : `State store unreachable: showing the last known state (${o.storeError || ''})`;
  status.className = o.store === 'reachable' ? '' : 'badge problem';
  root.querySelector('#progress').innerHTML = progress(o.progress);
  root.querySelector('#routes-count').textContent = `(${o.routes.length})`;
  const html = routes(o.routes);
  const built = performance.now();
  root.querySelector('#routes').innerHTML = html;
  const parsed = performance.now();
  root.querySelector('#unclaimed-count').textContent = `(${o.unclaimedCount})`;
  root.querySelector('#unclaimed').innerHTML = unclaimed(o.unclaimed, o.unclaimedCount);
  drawHistory([...o.history, o.progress]); // the stored snapshots, then now
  void root.offsetHeight; // lay the page out inside the measurement: what the reader waits for
  const done = performance.now();
  root.dataset.renderMs = String(done - started);
  root.dataset.renderParts = `build ${Math.round(built - started)} parse ${Math.round(parsed - built)} rest ${Math.round(done - parsed)}`;
}

function progress(p) {
  const measures = [['Endpoints', 'endpointShare', 'endpoints', count], ['Requests', 'requestShare', 'requests', count],
    ['Bytes', 'byteShare', 'bytes', bytes]];
  const byStage = Object.fromEntries(p.stages.map(s => [s.stage, s]));
  let html = '<div class="bars">';
  for (const [label, share, amount, fmt] of measures) {
    const words = STAGES.map(s => `${s} ${percent(byStage[s]?.[share] ?? 0)}`).join(', ');
    html += `<span>${label}</span><div class="bar" role="img" aria-label="${label}: ${esc(words)}">`;
    for (const s of STAGES) {
      const v = byStage[s]?.[share] ?? 0;
      if (v > 0) html += `<span class="stage ${s}" style="width:${(100 * v).toFixed(2)}%" title="${s}: ${percent(v)} (${fmt(byStage[s][amount])})"></span>`;
    }
    html += '</div>';
  }
  html += '</div><div class="legend">';
  for (const s of STAGES) {
    const st = byStage[s] || {};
    html += `<span><i class="stage ${s}"></i>${s}: ${st.routes ?? 0} routes, ${count(st.endpoints ?? 0)} endpoints, ${percent(st.requestShare ?? 0)} of requests</span>`;
  }
  return html + '</div>';
}

function drawHistory(points) {
  const el = root.querySelector('#progress-chart');
  if (points.length < 2) {
    el.innerHTML = '<p class="muted">No snapshots yet: the leading gateway keeps one every hour.</p>';
    history = null;
    return;
  }
  const xs = points.map(p => Date.parse(p.at) / 1000);
  const migrated = (p, key) => p.stages.filter(s => s.stage === 'live' || s.stage === 'retired').reduce((a, s) => a + s[key], 0) * 100;
  const data = [xs, points.map(p => migrated(p, 'requestShare')), points.map(p => migrated(p, 'endpointShare'))];
  if (history && history.el === el) history.chart.setData(data);
  else { el.innerHTML = ''; history = { el, chart: lineChart(el, data, ['requests %', 'endpoints %'], '%') }; }
}

// A grid of rows rather than a <table>: rows off screen are then skipped by layout
// (content-visibility), which a table's rows cannot be. ARIA roles keep it a table for assistive tech.
const HEADERS = [['Route', ''], ['Stage', ''], ['Automation', ''], ['Since', 'num'], ['Service req/s', 'num'],
  ['Service errors', 'num'], ['Service p99', 'num'], ['Monolith req/s', 'num'], ['Monolith errors', 'num'],
  ['Monolith p99', 'num'], ['Match', 'num'], ['Last judgement', '']];

function routes(list) {
  if (!list.length) return '<p>No routes: every request goes to the monolith.</p>';
  const rows = new Array(list.length);
  for (let i = 0; i < list.length; i++) rows[i] = row(list[i]);
  return `<p class="muted" id="routes-caption">Numbers since each route entered its current step; service errors include those the fallback hid.</p>
    <div id="routes-table" class="grid" role="table" aria-describedby="routes-caption" aria-rowcount="${list.length + 1}">
    <div role="rowgroup"><div role="row" class="head">${HEADERS.map(([h, c]) => `<span role="columnheader" class="${c}">${h}</span>`).join('')}</div></div>
    <div role="rowgroup" class="body">${rows.join('')}</div></div>`;
}

function row(r) {
  const w = r.window;
  const s = w ? w.service : null;
  const m = w ? w.monolith : null;
  const none = r.numbers === 'store-unreachable' ? 'unknown' : '-';
  const problem = r.problem ? `<br><span class="badge problem">${esc(r.problem)}</span>` : '';
  const judgement = r.lastDecision ? `${esc(r.lastDecision.action)}: ${esc(r.lastDecision.summary)}` : '-';
  return `<div role="row" data-route="${esc(r.name)}"${r.problem ? ' class="problem"' : ''}>
    <span role="rowheader"><a href="#/route/${encodeURIComponent(r.name)}">${esc(r.name)}</a>${problem}</span>
    <span role="cell">${stageBadge(r)}</span><span role="cell">${esc(r.automation)}</span><span role="cell" class="num">${age(r.since)}</span>
    <span role="cell" class="num" data-col="service-rate">${s ? rate(s.ratePerSecond) : none}</span>
    <span role="cell" class="num" data-col="service-errors">${s ? percent(s.errorRate, 2) : none}</span>
    <span role="cell" class="num">${s ? millis(s.p99Ms) : none}</span>
    <span role="cell" class="num" data-col="monolith-rate">${m ? rate(m.ratePerSecond) : none}</span>
    <span role="cell" class="num">${m ? percent(m.errorRate, 2) : none}</span><span role="cell" class="num">${m ? millis(m.p99Ms) : none}</span>
    <span role="cell" class="num">${w ? percent(w.shadow.matchRate) : none}</span><span role="cell">${judgement}</span></div>`;
}

function unclaimed(list, total) {
  if (!list.length) return '<p class="muted">None: every endpoint seen is claimed by a route.</p>';
  return `<table><thead><tr><th scope="col">Method</th><th scope="col">Endpoint</th><th scope="col" class="num">Requests</th>
    <th scope="col" class="num">Errors</th><th scope="col" class="num">p99</th></tr></thead><tbody>${list.map(e => `
    <tr><td>${esc(e.method)}</td><td>${esc(e.template)}</td><td class="num">${count(e.count)}</td>
    <td class="num">${percent(e.errorRate, 2)}</td><td class="num">${millis(e.p99Ms)}</td></tr>`).join('')}</tbody></table>
    ${total > list.length ? `<p class="muted">${total - list.length} more on the <a href="#/catalog">catalog page</a>.</p>` : ''}`;
}

export { position };
