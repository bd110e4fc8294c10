// Formatting shared by the pages: the same words and units as `strangler status`.

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function esc(value) {
  return String(value ?? '').replace(/[&<>"']/g, c => ESCAPES[c]);
}

export function position(p) {
  if (!p) return '-';
  return p.stage === 'canary' && p.percent != null ? `canary ${num(p.percent)}%` : p.stage;
}

export function stageBadge(p) {
  return `<span class="stage ${esc(p.stage)}">${esc(position(p))}</span>`;
}

export function num(n) {
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 100) / 100);
}

export function count(n) {
  return n == null ? '-' : Number(n).toLocaleString('en');
}

export function percent(rate, decimals = 1) {
  return rate == null ? '-' : `${(100 * rate).toFixed(decimals)}%`;
}

export function millis(ms) {
  if (ms == null) return '-';
  return ms < 10 ? `${ms.toFixed(1)}ms` : `${Math.round(ms)}ms`;
}

export function rate(perSecond) {
  if (perSecond == null) return '-';
  return perSecond < 10 ? `${perSecond.toFixed(2)}/s` : `${Math.round(perSecond)}/s`;
}

export function bytes(n) {
  if (n == null) return '-';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0; let v = n;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

/** 45s, 3m12s, 2h05m, 3d04h: as `strangler status` says it. */
export function age(iso, now = Date.now()) {
  if (!iso) return '-';
  const s = Math.max(0, Math.floor((now - Date.parse(iso)) / 1000));
  const two = v => String(v).padStart(2, '0');
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${two(s % 60)}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h${two(Math.floor(s % 3600 / 60))}m`;
  return `${Math.floor(s / 86400)}d${two(Math.floor(s % 86400 / 3600))}h`;
}

export function time(iso) {
  return iso ? new Date(iso).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '-';
}
