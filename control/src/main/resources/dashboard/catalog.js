// The catalog: every endpoint learned from traffic (sortable, filterable), the pilot ranking of
// the unclaimed ones with its reasons, the endpoint groups the same client sessions use together
// (coupling), and what the API description declares but nobody called.
import { api } from './api.js';
import { bytes, count, esc, millis, percent, time } from './format.js';

const COLUMNS = [
  ['method', 'Method', false], ['template', 'Endpoint', false], ['count', 'Requests', true], ['errorRate', 'Errors', true],
  ['p99Ms', 'p99', true], ['bytes', 'Bytes', true], ['route', 'Route', false], ['stage', 'Stage', false], ['lastSeen', 'Last seen', false],
];
let root;
let data = null;
let sort = { key: 'count', descending: true };

export function mount(main) {
  root = main;
  data = null;
  main.innerHTML = `
    <h1>Endpoint catalog</h1>
    <p class="muted" id="learning"></p>
    <section aria-labelledby="endpoints-h">
      <h2 id="endpoints-h">Endpoints <span id="endpoints-count" class="muted"></span></h2>
      <div class="filters"><label for="filter">Filter endpoints </label>
        <input id="filter" type="search" placeholder="method, path, route or stage"></div>
      <div id="endpoints"></div>
    </section>
    <section aria-labelledby="pilots-h">
      <h2 id="pilots-h">Pilot ranking</h2>
      <p class="muted">Groups of unclaimed endpoints ranked as a first (or next) route to move: some traffic, few errors, fast, mostly reads, few templates.</p>
      <ol id="pilots"></ol>
    </section>
    <section aria-labelledby="coupling-h">
      <h2 id="coupling-h">Coupling: groups the same users call</h2>
      <p class="muted" id="coupling-summary"></p>
      <p id="coupling-together"></p>
      <div id="coupling"></div>
    </section>
    <section aria-labelledby="declared-h">
      <h2 id="declared-h">Declared but never called</h2>
      <div id="declared"></div>
    </section>`;
  root.querySelector('#filter').addEventListener('input', drawEndpoints);
}

export async function refresh() {
  data = await api('/api/catalog/view');
  root.querySelector('#learning').textContent = data.learning
    ? 'Learned from the traffic this gateway and the fleet see.' : 'This gateway does not learn the catalog (catalog.enabled is false).';
  drawEndpoints();
  root.querySelector('#pilots').innerHTML = data.pilots.map(p => `<li><strong>${esc(p.prefix)}</strong> — score ${Math.round(p.score)},
      ${count(p.requests)} requests (${percent(p.trafficShare)}), ${p.templates} template(s)<br>
      <span>${esc(p.explanation)}</span>
      <ul class="muted">${p.factors.map(f => `<li>${esc(f.name)}: ${f.value.toFixed(2)} × ${f.weight} = ${f.points.toFixed(1)} points</li>`).join('')}</ul></li>`).join('')
    || '<li class="muted">Nothing unclaimed to rank.</li>';
  drawCoupling(data.coupling);
  root.querySelector('#declared').innerHTML = data.declaredNeverCalled.length
    ? `<ul>${data.declaredNeverCalled.map(e => `<li><code>${esc(e.method)} ${esc(e.template)}</code></li>`).join('')}</ul>`
    : '<p class="muted">None (or no API description was given: catalog.openapi).</p>';
}

function drawEndpoints() {
  if (!data) return;
  const needle = root.querySelector('#filter').value.trim().toLowerCase();
  const rows = data.endpoints.filter(e => !needle || `${e.method} ${e.template} ${e.route ?? ''} ${e.stage ?? 'unclaimed'}`.toLowerCase().includes(needle));
  const { key, descending } = sort;
  rows.sort((a, b) => {
    const x = a[key] ?? ''; const y = b[key] ?? '';
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return descending ? -c : c;
  });
  root.querySelector('#endpoints-count').textContent = `(${rows.length} of ${data.endpoints.length})`;
  const head = COLUMNS.map(([k, label, numeric]) => {
    const aria = k === key ? ` aria-sort="${descending ? 'descending' : 'ascending'}"` : '';
    return `<th scope="col"${aria} class="${numeric ? 'num' : ''}"><button type="button" class="sort" data-key="${k}">${label}${k === key ? (descending ? ' ▼' : ' ▲') : ''}</button></th>`;
  }).join('');
  root.querySelector('#endpoints').innerHTML = `<table id="endpoints-table"><thead><tr>${head}</tr></thead><tbody>${rows.map(e => `
    <tr><td>${esc(e.method)}</td><td>${esc(e.template)}${e.declared ? ' <span class="badge">declared</span>' : ''}</td>
    <td class="num">${count(e.count)}</td><td class="num">${percent(e.errorRate, 2)}</td><td class="num">${millis(e.p99Ms)}</td>
    <td class="num">${bytes(e.bytes)}</td><td>${e.route ? `<a href="#/route/${encodeURIComponent(e.route)}">${esc(e.route)}</a>` : '-'}</td>
    <td><span class="stage ${esc(e.stage ?? 'unclaimed')}">${esc(e.stage ?? 'unclaimed')}</span></td><td>${time(e.lastSeen)}</td></tr>`).join('')}
    </tbody></table>`;
  root.querySelectorAll('#endpoints-table th button.sort').forEach(b => b.addEventListener('click', () => {
    sort = { key: b.dataset.key, descending: sort.key === b.dataset.key ? !sort.descending : true };
    drawEndpoints();
    root.querySelector(`#endpoints-table th button[data-key="${b.dataset.key}"]`).focus();
  }));
}

// Which endpoint groups the same client sessions call: moving one of a pair alone splits the share
// of its sessions that also call the other between the monolith and the service.
function drawCoupling(c) {
  const summary = root.querySelector('#coupling-summary');
  const together = root.querySelector('#coupling-together');
  const el = root.querySelector('#coupling');
  if (!c || c.sessions === 0) {
    summary.textContent = 'No client sessions recorded yet: coupling needs requests that carry a client key (a route\'s sticky '
      + 'header or cookie, a session cookie such as JSESSIONID, or a traceparent).';
    together.textContent = '';
    el.innerHTML = '';
    return;
  }
  summary.textContent = `${count(c.sessions)} client sessions (one client key, requests at most ${c.idleMinutes} min apart). `
    + 'Moving one group of a pair alone splits the sessions that also call the other.'
    + (c.pairsInAll > c.pairs.length ? ` The ${c.pairs.length} pairs with most sessions of ${count(c.pairsInAll)}.` : '');
  together.innerHTML = c.together.length
    ? `<strong>Used together</strong> (consider moving each set as one): ${c.together.map(set => set.map(g => `<code>${esc(g)}</code>`).join(' + ')).join('; ')}`
    : '';
  el.innerHTML = c.pairs.length ? `<table id="coupling-table"><thead><tr>
      <th scope="col">Group</th><th scope="col">Called with</th><th scope="col" class="num">Sessions calling both</th>
      <th scope="col" class="num">Share of the first's sessions</th><th scope="col" class="num">Share of the second's sessions</th>
    </tr></thead><tbody>${c.pairs.map(p => `
    <tr><td><code>${esc(p.a)}</code> <span class="muted">(${count(p.sessionsA)})</span></td>
    <td><code>${esc(p.b)}</code> <span class="muted">(${count(p.sessionsB)})</span></td>
    <td class="num">${count(p.sessions)}</td><td class="num">${percent(p.shareOfA)}</td><td class="num">${percent(p.shareOfB)}</td></tr>`).join('')}
    </tbody></table>` : '<p class="muted">No two groups were called in the same session: each can move alone.</p>';
}
