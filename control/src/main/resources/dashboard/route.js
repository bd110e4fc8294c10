// One route: where it is and who moves it, the actions (reason + confirmation, through the same
// API as the CLI), both sides' numbers and charts over time, the controller's latest judgement, the
// timeline from the audit log, and the shadow report with the differences highlighted.
import { api, ApiError, session } from './api.js';
import { age, count, esc, millis, percent, position, rate, stageBadge, time } from './format.js';
import { lineChart } from './charts.js';
import { highlighted } from './jsonview.js';

let root;
let name;
let shell;
let charts = {};

export function mount(main, routeName, app) {
  root = main;
  name = routeName;
  shell = app;
  charts = {};
  main.innerHTML = `
    <p><a href="#/">← Overview</a></p>
    <h1>Route <span id="route-name">${esc(name)}</span></h1>
    <div class="cards">
      <div class="card"><dl class="facts" id="facts"></dl></div>
      <div class="card"><h2 style="margin-top:0">Latest judgement</h2><div id="judgement"></div></div>
    </div>
    <section aria-labelledby="actions-h">
      <h2 id="actions-h">Actions</h2>
      <div id="action-message" role="status" aria-live="polite"></div>
      ${session.canAct ? actionsForm() : `<p class="muted" id="read-only">Read-only: <a href="#/login">sign in</a> with your name and the admin token to promote, roll back, pause or resume.</p>`}
    </section>
    <section aria-labelledby="numbers-h">
      <h2 id="numbers-h">Service against monolith, this step</h2>
      <div id="numbers"></div>
      <div class="charts" id="charts">
        <div class="chart"><h3>Requests per second</h3><div id="chart-rate"></div></div>
        <div class="chart"><h3>Error rate</h3><div id="chart-errors"></div></div>
        <div class="chart"><h3>Latency p50 / p99</h3><div id="chart-latency"></div></div>
      </div>
    </section>
    <section aria-labelledby="timeline-h">
      <h2 id="timeline-h">Timeline</h2>
      <ol class="timeline" id="timeline"></ol>
    </section>
    <section aria-labelledby="shadow-h">
      <h2 id="shadow-h">Shadow report</h2>
      <div id="shadow"></div>
    </section>`;
  if (session.canAct) wireActions();
}

function actionsForm() {
  return `<form class="actions" id="actions" novalidate>
    <label for="reason">Reason (goes into the audit log; required to roll back or lower the share)</label>
    <textarea id="reason" name="reason" maxlength="2000"></textarea>
    <div class="buttons">
      <button type="button" data-action="promote" class="primary">Promote</button>
      <button type="button" data-action="rollback">Roll back</button>
      <button type="button" data-action="pause">Pause automation</button>
      <button type="button" data-action="resume">Resume automation</button>
      <label for="percent" style="display:inline;margin-left:12px">Canary percent</label>
      <input id="percent" name="percent" type="number" min="0" max="100" step="any" style="width:80px">
      <button type="button" data-action="percent">Set percent</button>
    </div>
  </form>`;
}

const WORDS = { promote: 'Promote', rollback: 'Roll back', pause: 'Pause automation of', resume: 'Resume automation of', percent: 'Set the canary percent of' };

function wireActions() {
  root.querySelectorAll('#actions button[data-action]').forEach(b => b.addEventListener('click', () => act(b.dataset.action)));
}

async function act(action) {
  const reason = root.querySelector('#reason').value.trim();
  const body = reason ? { reason } : {};
  let what = `${WORDS[action]} route ${name}`;
  if (action === 'percent') {
    const p = Number(root.querySelector('#percent').value);
    if (root.querySelector('#percent').value === '' || Number.isNaN(p)) { message('Give a percent from 0 to 100.', true); return; }
    body.percent = p;
    what += ` to ${p}%`;
  }
  if (!(await confirmed(`${what}?${reason ? ` Reason: “${reason}”` : ''}`))) return;
  try {
    const change = await api(`/api/routes/${encodeURIComponent(name)}/${action}`, { method: 'POST', body });
    const a = change.audit;
    const warnings = (change.warnings || []).map(w => ` Warning: ${w}`).join('');
    message(`Done: ${a.action} ${position(a.from)} → ${position(a.to)} by ${a.actor}.${warnings}`, false);
    root.querySelector('#reason').value = '';
    await shell.refresh();
  } catch (e) {
    const hint = e instanceof ApiError && e.problem.hint ? ` ${e.problem.hint}` : '';
    message(`Refused: ${e.message}${hint ? ` — ${hint.trim()}` : ''}`, true);
  }
}

// A modal <dialog> makes the page behind it inert, but Chromium still lets Tab leave it after its
// last button (for the browser's own controls): keep Tab and Shift+Tab cycling among its buttons.
const confirmDialog = document.getElementById('confirm');
confirmDialog.addEventListener('keydown', ev => {
  if (ev.key !== 'Tab') return;
  const stops = [...confirmDialog.querySelectorAll('button:not([disabled])')];
  const edge = ev.shiftKey ? stops[0] : stops[stops.length - 1];
  if (document.activeElement !== edge) return;
  ev.preventDefault();
  (ev.shiftKey ? stops[stops.length - 1] : stops[0]).focus();
});

function confirmed(text) {
  document.getElementById('confirm-text').textContent = text;
  return new Promise(resolve => {
    confirmDialog.addEventListener('close', () => resolve(confirmDialog.returnValue === 'yes'), { once: true });
    confirmDialog.returnValue = '';
    confirmDialog.showModal();
    document.getElementById('confirm-no').focus();
  });
}

function message(text, error) {
  const m = root.querySelector('#action-message');
  m.className = `message ${error ? 'error' : 'ok'}`;
  m.setAttribute('role', error ? 'alert' : 'status');
  m.textContent = text;
}

export async function refresh() {
  const [r, audit, series, shadow] = await Promise.all([
    api(`/api/routes/${encodeURIComponent(name)}`),
    api(`/api/audit?route=${encodeURIComponent(name)}&limit=100`).catch(() => null),
    api(`/api/routes/${encodeURIComponent(name)}/series`).catch(() => null),
    api(`/api/shadow/${encodeURIComponent(name)}`).catch(e => (e instanceof ApiError && e.status === 404 ? null : Promise.reject(e))),
  ]);
  facts(r);
  judgement(r.lastDecision);
  numbers(r);
  if (series) drawSeries(series);
  timeline(audit);
  shadowReport(shadow);
}

function facts(r) {
  root.querySelector('#facts').innerHTML = `
    <dt>Stage</dt><dd id="route-stage">${stageBadge(r)}</dd>
    <dt>Automation</dt><dd id="route-automation">${esc(r.automation)}${r.paused && r.automation !== 'paused' ? ' (paused)' : ''}${r.hold ? ` — ${esc(r.hold.summary)}` : ''}</dd>
    <dt>Since</dt><dd>${time(r.since)} (${age(r.since)})</dd>
    <dt>Next step</dt><dd>${esc(position(r.next))}</dd>
    <dt>Service</dt><dd>${esc(r.service)}</dd>
    <dt>Match</dt><dd>${esc((r.methods.length ? r.methods.join(', ') : 'any method'))} ${esc(r.path)}</dd>
    ${r.problem ? `<dt>Problem</dt><dd><span class="badge problem">${esc(r.problem)}</span></dd>` : ''}`;
}

function judgement(d) {
  root.querySelector('#judgement').innerHTML = d
    ? `<p><strong>${esc(d.action)}</strong> since ${time(d.at)}: ${esc(d.summary)}</p>
       <ul>${d.evidence.map(e => `<li>${esc(e)}</li>`).join('')}</ul>`
    : '<p class="muted">The controller has not judged this route yet.</p>';
}

function numbers(r) {
  const el = root.querySelector('#numbers');
  if (!r.window) {
    el.innerHTML = `<p class="muted">${r.numbers === 'store-unreachable' ? 'The state store cannot be reached: numbers unknown.' : 'No numbers yet.'}</p>`;
    return;
  }
  const { service: s, monolith: m, shadow } = r.window;
  const line = (label, f) => `<tr><th scope="row">${label}</th><td class="num">${f(s)}</td><td class="num">${f(m)}</td></tr>`;
  el.innerHTML = `<table id="numbers-table" style="max-width:640px"><thead><tr><th scope="col"></th><th scope="col" class="num">Service</th><th scope="col" class="num">Monolith</th></tr></thead><tbody>
    ${line('Requests', x => count(x.requests))}${line('Rate', x => rate(x.ratePerSecond))}
    ${line('Errors', x => count(x.errors))}${line('Error rate', x => percent(x.errorRate, 2))}
    ${line('p50', x => millis(x.p50Ms))}${line('p99', x => millis(x.p99Ms))}
    ${Object.keys(s).filter(k => !['requests', 'ratePerSecond', 'errors', 'errorRate', 'p50Ms', 'p99Ms'].includes(k))
      .map(k => line(esc(k), x => count(x[k]))).join('')}
    </tbody></table>
    <p>Shadow: ${count(shadow.compared)} compared, ${count(shadow.matched)} matched (${percent(shadow.matchRate)}).</p>`;
}

function drawSeries(points) {
  const xs = points.map(p => Date.parse(p.start) / 1000);
  const side = (k, f) => points.map(p => f(p.window[k]));
  const sets = {
    'chart-rate': [[xs, side('service', s => s.ratePerSecond), side('monolith', s => s.ratePerSecond)], ['service', 'monolith'], '/s'],
    'chart-errors': [[xs, side('service', s => s.errorRate == null ? null : 100 * s.errorRate),
      side('monolith', s => s.errorRate == null ? null : 100 * s.errorRate)], ['service', 'monolith'], '%'],
    'chart-latency': [[xs, side('service', s => s.p50Ms), side('monolith', s => s.p50Ms), side('service', s => s.p99Ms),
      side('monolith', s => s.p99Ms)], ['service p50', 'monolith p50', 'service p99', 'monolith p99'], 'ms'],
  };
  for (const [id, [data, labels, unit]] of Object.entries(sets)) {
    const el = root.querySelector(`#${id}`);
    if (!points.length) { el.innerHTML = '<p class="muted">No metric windows in the last hours.</p>'; delete charts[id]; continue; }
    if (charts[id]) charts[id].setData(data);
    else { el.innerHTML = ''; charts[id] = lineChart(el, data, labels, unit); }
  }
}

function timeline(entries) {
  const el = root.querySelector('#timeline');
  if (!entries) { el.innerHTML = '<li class="muted">The audit log cannot be read now.</li>'; return; }
  el.innerHTML = entries.map(e => `<li data-audit-id="${e.id}">
      <strong>${esc(e.action)}</strong> ${esc(position(e.from))} → ${esc(position(e.to))}
      by <strong class="actor">${esc(e.actor)}</strong> at ${time(e.at)}<br>
      <span class="reason">${esc(e.reason)}</span>
      ${e.evidence.length ? `<ul class="evidence">${e.evidence.map(x => `<li>${esc(x)}</li>`).join('')}</ul>` : ''}
    </li>`).join('') || '<li class="muted">No entries.</li>';
}

function shadowReport(s) {
  const el = root.querySelector('#shadow');
  if (!s) { el.innerHTML = '<p class="muted">No shadow results for this route (is it shadowed, and has it had traffic?).</p>'; return; }
  const open = new Set([...el.querySelectorAll('details[open]')].map(d => d.dataset.sample));
  el.innerHTML = `
    <p>${count(s.comparisons)} compared, ${count(s.matches)} matched (${percent(s.matchRate)}), ${count(s.mismatches)} differed.</p>
    <table id="shadow-paths"><thead><tr><th scope="col">Differing JSON path</th><th scope="col" class="num">Responses</th>
      <th scope="col">Kinds</th><th scope="col">Noise</th><th scope="col">Monolith</th><th scope="col">Service</th></tr></thead><tbody>
      ${s.paths.map(p => `<tr><td><code>${esc(p.path)}</code></td><td class="num">${count(p.mismatches)}</td>
        <td>${esc(Object.entries(p.kinds).map(([k, v]) => `${k.toLowerCase()} ${v}`).join(', '))}</td><td>${esc(p.noise.toLowerCase())}</td>
        <td><code>${esc(p.monolith ?? '-')}</code></td><td><code>${esc(p.service ?? '-')}</code></td></tr>`).join('')
        || '<tr><td colspan="6" class="muted">No differing paths.</td></tr>'}
    </tbody></table>
    <h3>Samples (redacted)</h3>
    ${s.samples.map((x, i) => `<details data-sample="${i}"${open.has(String(i)) || (i === 0 && !x.matched) ? ' open' : ''}>
      <summary>${esc(x.request)} — ${x.matched ? 'matched' : `${x.differences.length} difference(s)`}</summary>
      <div class="pair">
        <div><h4>Monolith (${x.monolith.status})</h4><pre class="monolith">${highlighted(x.monolith.body, x.differences)}</pre></div>
        <div><h4>Service (${x.service.status})</h4><pre class="service">${highlighted(x.service.body, x.differences)}</pre></div>
      </div></details>`).join('') || '<p class="muted">No samples kept.</p>'}`;
}
