// A response body, pretty-printed, with the values at the differing JSON paths marked. Paths are
// written as the diff engine writes them: $.items[3].price, $['a.b'].
import { esc } from './format.js';

const PLAIN = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function child(path, key) {
  return PLAIN.test(key) ? `${path}.${key}` : `${path}['${key.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
}

/** HTML of body with the differences' paths marked (<mark class="diff">); a body that is not JSON is shown as it is. */
export function highlighted(body, differences) {
  if (body == null || body === '') return '<span class="muted">(no body)</span>';
  const paths = new Set(differences.map(d => d.path));
  let value;
  try { value = JSON.parse(body); } catch (e) {
    return paths.size ? `<mark class="diff">${esc(body)}</mark>` : esc(body);
  }
  if (paths.has('$')) return `<mark class="diff">${esc(JSON.stringify(value, null, 2))}</mark>`;
  return render(value, '$', paths, '');
}

function render(value, path, paths, indent) {
  const inner = `${indent}  `;
  let out;
  if (Array.isArray(value)) {
    if (!value.length) return '[]';
    out = `[\n${value.map((v, i) => inner + mark(render(v, `${path}[${i}]`, paths, inner), `${path}[${i}]`, paths)).join(',\n')}\n${indent}]`;
  } else if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    if (!keys.length) return '{}';
    out = `{\n${keys.map(k => {
      const p = child(path, k);
      return `${inner}${esc(JSON.stringify(k))}: ${mark(render(value[k], p, paths, inner), p, paths)}`;
    }).join(',\n')}\n${indent}}`;
  } else {
    out = esc(JSON.stringify(value));
  }
  return out;
}

function mark(html, path, paths) {
  return paths.has(path) ? `<mark class="diff" data-path="${esc(path)}">${html}</mark>` : html;
}
