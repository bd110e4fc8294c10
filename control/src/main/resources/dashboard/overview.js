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
  root.querySelector('#routes').innerHTML = routes(o.routes);
  root.querySelector('#unclaimed-count').textContent = `(${o.unclaimedCount})`;
  root.querySelector('#unclaimed').innerHTML = unclaimed(o.unclaimed, o.unclaimedCount);
  drawHistory(o.history);
  void root.offsetHeight; // lay the page out inside the measurement: what the reader waits for
  root.dataset.renderMs = String(performance.now() - started);
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
  if (!points.length) {
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

function routes(list) {
  if (!list.length) return '<p>No routes: every request goes to the monolith.</p>';
  const rows = new Array(list.length);
  for (let i = 0; i < list.length; i++) rows[i] = row(list[i]);
  return `<table id="routes-table">
    <caption class="muted" style="text-align:left">Numbers since each route entered its current step; service errors include those the fallback hid.</caption>
    <thead><tr><th scope="col">Route</th><th scope="col">Stage</th><th scope="col">Automation</th><th scope="col" class="num">Since</th>
      <th scope="col" class="num">Service req/s</th><th scope="col" class="num">Service errors</th><th scope="col" class="num">Service p99</th>
      <th scope="col" class="num">Monolith req/s</th><th scope="col" class="num">Monolith errors</th><th scope="col" class="num">Monolith p99</th>
      <th scope="col" class="num">Match</th><th scope="col">Last judgement</th></tr></thead>
    <tbody>${rows.join('')}</tbody></table>`;
}

function row(r) {
  const w = r.window;
  const s = w ? w.service : null;
  const m = w ? w.monolith : null;
  const none = r.numbers === 'store-unreachable' ? 'unknown' : '-';
  const problem = r.problem ? `<br><span class="badge problem">${esc(r.problem)}</span>` : '';
  const judgement = r.lastDecision ? `${esc(r.lastDecision.action)}: ${esc(r.lastDecision.summary)}` : '-';
  return `<tr data-route="${esc(r.name)}"${r.problem ? ' class="problem"' : ''}>
    <th scope="row"><a href="#/route/${encodeURIComponent(r.name)}">${esc(r.name)}</a>${problem}</th>
    <td>${stageBadge(r)}</td><td>${esc(r.automation)}</td><td class="num">${age(r.since)}</td>
    <td class="num" data-col="service-rate">${s ? rate(s.ratePerSecond) : none}</td>
    <td class="num" data-col="service-errors">${s ? percent(s.errorRate, 2) : none}</td>
    <td class="num">${s ? millis(s.p99Ms) : none}</td>
    <td class="num" data-col="monolith-rate">${m ? rate(m.ratePerSecond) : none}</td>
    <td class="num">${m ? percent(m.errorRate, 2) : none}</td><td class="num">${m ? millis(m.p99Ms) : none}</td>
    <td class="num">${w ? percent(w.shadow.matchRate) : none}</td><td>${judgement}</td></tr>`;
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
