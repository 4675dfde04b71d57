// Parallax web app: plain JS, no framework, nothing loaded from the network.
//
// Offsets: the API gives every span as Unicode CODE POINT offsets, while
// JavaScript strings index UTF-16 code units. We never index the string
// directly: the text is split once with Array.from (one element per code
// point) and every span slices that array, so an emoji or any astral
// character before a span cannot shift a highlight.
'use strict';

const $ = (sel, root = document) => root.querySelector(sel);
const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));

function el(tag, attrs = {}, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k === 'style') e.style.cssText = v; // CSSOM: allowed by the page's CSP
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const k of kids.flat()) if (k !== null && k !== undefined) e.append(k);
  return e;
}

/** Code points of a string (the unit of every API offset). */
function codePoints(text) { return Array.from(text); }

// ---- API ---------------------------------------------------------------

let TOKEN = sessionStorage.getItem('parallax-token') || '';
let CAPS = { compare: false, cluster: false };

async function api(path, opts = {}) {
  const headers = { ...(opts.headers || {}) };
  if (opts.body) headers['content-type'] = 'application/json';
  if (TOKEN) headers.authorization = 'Bearer ' + TOKEN;
  const res = await fetch(path, { ...opts, headers });
  let data = null;
  try { data = await res.json(); } catch (_) { /* not JSON */ }
  if (!res.ok) {
    const err = new Error((data && data.error) || `${res.status} ${res.statusText}`);
    err.status = res.status;
    throw err;
  }
  return data;
}

// ---- findings: the same generic walk as parallax-store/src/findings.rs --

const DEFAULT_OFF = /(^|\/)(unsourced|sentences|tokens)$/;
const LABEL_KEYS = ['label', 'technique', 'type', 'kind', 'category'];
const WHO_KEYS = ['speaker', 'source', 'who'];
const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const isNum = (v) => typeof v === 'number' && Number.isInteger(v) && v >= 0;

function spanOf(o) {
  if (isObj(o.span) && isNum(o.span.start) && isNum(o.span.end)) return [o.span.start, o.span.end, true];
  if (isNum(o.start) && isNum(o.end)) return [o.start, o.end, false];
  return null;
}

function nameOf(v) {
  if (typeof v === 'string') return v;
  if (isObj(v)) for (const k of ['name', 'canonical', 'text']) if (typeof v[k] === 'string') return v[k];
  return null;
}

/** Every object with a span inside `layers`, with its layer and path. */
function collectFindings(layers) {
  const out = [];
  const walk = (layer, path, v, parent, holder) => {
    if (Array.isArray(v)) { for (const x of v) walk(layer, path + '[]', x, parent, holder); return; }
    if (!isObj(v)) return;
    const sp = spanOf(v);
    let me = parent;
    if (sp && sp[0] <= sp[1]) {
      const label = LABEL_KEYS.map((k) => v[k]).find((x) => typeof x === 'string') || null;
      const who = WHO_KEYS.map((k) => nameOf(v[k])).find((x) => x) || null;
      const conf = typeof v.confidence === 'number' ? v.confidence : (typeof v.score === 'number' ? v.score : null);
      // A part (an attribution's source, cue or content) takes the
      // confidence of the object that holds it.
      const hconf = holder && typeof holder.confidence === 'number' ? holder.confidence : null;
      me = { layer, path, label, start: sp[0], end: sp[1], text: typeof v.text === 'string' ? v.text : null,
        confidence: conf !== null ? conf : hconf, who, obj: v, parent,
        holder: holder && holder !== (parent && parent.obj) ? holder : null };
      out.push(me);
    }
    for (const [k, x] of Object.entries(v)) {
      if (sp && ((sp[2] && k === 'span') || (!sp[2] && (k === 'start' || k === 'end')))) continue;
      // Only an item of a collection (an attribution) is a holder, never a
      // layer's root object.
      walk(layer, path ? path + '.' + k : k, x, me, path.includes('[]') ? v : null);
    }
  };
  for (const [name, v] of Object.entries(layers || {})) walk(name, '', v, null, null);
  // Legend groups: a layer with several collections of findings (quotes,
  // attributions, sources) gets one group per collection.
  const first = (f) => f.path.split('.')[0].replace(/\[\]/g, '');
  const cols = new Map();
  for (const f of out) {
    if (!cols.has(f.layer)) cols.set(f.layer, new Set());
    cols.get(f.layer).add(first(f));
  }
  for (const f of out) {
    const c = first(f);
    f.group = cols.get(f.layer).size > 1 && c && c !== f.layer ? `${f.layer}/${c}` : f.layer;
  }
  return out;
}

/** What a finding is called in the legend: its label, else where it sits. */
function kindOf(f) {
  if (f.label) return f.label;
  const p = f.path.replace(/\[\]/g, '');
  const last = p.split('.').pop();
  return last || f.layer;
}

function hue(s) {
  let h = 0;
  for (const c of s) h = (h * 31 + c.codePointAt(0)) % 360;
  return h;
}
const LAYER_HUES = { aligned: 150, only_here: 30, techniques: 0, attributions: 225, quotes: 200, sources: 280, citations: 280, unsourced: 60,
  quantities: 130, numbers: 130, dates: 170, claims: 40, entities: 320, links: 190 };
function colorFor(group, alpha = 0.35) {
  const key = group.split('/').pop();
  const h = key in LAYER_HUES ? LAYER_HUES[key] : hue(group);
  return `hsla(${h}, 80%, 55%, ${alpha})`;
}

// ---- rendering one analysis --------------------------------------------

function fmtValue(v) {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(3);
  if (typeof v === 'string' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.map(fmtValue).filter((x) => x).join('; ');
  if (isObj(v)) {
    const n = nameOf(v);
    if (n !== null) return n;
    return Object.entries(v).filter(([k]) => k !== 'span').map(([k, x]) => `${k}: ${fmtValue(x)}`).join(', ');
  }
  return String(v);
}

/**
 * Renders an analysis into `host`: title, legend with toggles, the text
 * with highlights, and a detail panel that explains a clicked highlight.
 */
function renderAnalysis(host, analysis, opts = {}) {
  host.replaceChildren();
  host.hidden = false;
  const d = analysis.document;
  const cps = codePoints(d.text);
  let findings = collectFindings({ ...(analysis.layers || {}), ...(opts.extraLayers || {}) });
  for (const l of analysis.links || []) {
    findings.push({ layer: 'links', group: 'links', path: '', label: 'link', start: l.span.start, end: l.span.end, text: l.text,
      confidence: null, who: null, obj: { href: l.href }, parent: null, holder: null });
  }
  findings = findings.filter((f) => f.end > f.start && f.end <= cps.length);
  findings.forEach((f, i) => { f.i = i; f.kind = kindOf(f); });

  // Groups that would cover most of the text start switched off.
  const off = new Set([...new Set(findings.map((f) => f.group))].filter((g) => DEFAULT_OFF.test(g)));
  const title = el('h2', { class: 'doc-title', text: d.title || d.id || 'Untitled' });
  const meta = el('p', { class: 'meta', text: [d.source, d.published, d.author, d.language,
    `${cps.length} characters`, `${findings.length} findings`].filter(Boolean).join(' · ') });
  const legend = el('div', { class: 'legend', 'aria-label': 'Layers' });
  const docEl = el('article', { class: 'doc' });
  const detail = el('aside', { class: 'detail', 'aria-live': 'polite' },
    el('p', { class: 'hint', text: 'Click a highlight to see its label, confidence and evidence.' }));

  // Legend: one group per layer, one chip per label; both toggle.
  const byLayer = new Map();
  for (const f of findings) {
    if (!byLayer.has(f.group)) byLayer.set(f.group, new Map());
    const m = byLayer.get(f.group);
    m.set(f.kind, (m.get(f.kind) || 0) + 1);
  }
  if (byLayer.size === 0) legend.append(el('p', { class: 'hint', text: 'No findings in this article.' }));
  for (const [layer, kinds] of byLayer) {
    const total = [...kinds.values()].reduce((a, b) => a + b, 0);
    const cb = el('input', { type: 'checkbox', checked: !off.has(layer), 'data-layer': layer });
    cb.addEventListener('change', () => {
      if (cb.checked) off.delete(layer); else off.add(layer);
      paint();
    });
    const chips = [...kinds.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => {
      const c = el('button', { type: 'button', class: 'chip', 'data-layer': layer, 'data-kind': k,
        'aria-pressed': 'true', text: `${k} ${n}` });
      c.style.borderColor = colorFor(layer, 0.9);
      c.addEventListener('click', () => {
        const key = layer + '\u0000' + k;
        if (off.has(key)) off.delete(key); else off.add(key);
        c.setAttribute('aria-pressed', off.has(key) ? 'false' : 'true');
        paint();
      });
      return c;
    });
    const sw = el('span', { class: 'swatch' });
    sw.style.background = colorFor(layer, 0.6);
    legend.append(el('div', { class: 'legend-layer' },
      el('label', {}, cb, sw, el('strong', { text: layer }), ` (${total})`), el('div', { class: 'chips' }, chips)));
  }

  function paint() {
    const active = findings.filter((f) => !off.has(f.group) && !off.has(f.group + '\u0000' + f.kind));
    const cuts = new Set([0, cps.length]);
    for (const f of active) { cuts.add(f.start); cuts.add(f.end); }
    const bounds = [...cuts].sort((a, b) => a - b);
    const frag = document.createDocumentFragment();
    for (let k = 0; k + 1 < bounds.length; k++) {
      const a = bounds[k], b = bounds[k + 1];
      const piece = cps.slice(a, b).join('');
      const cover = active.filter((f) => f.start <= a && f.end >= b);
      if (cover.length === 0) { frag.append(piece); continue; }
      // The innermost (shortest) finding gives the colour.
      cover.sort((x, y) => (x.end - x.start) - (y.end - y.start));
      const m = el('mark', { class: 'hl' + (cover.length > 1 ? ' multi' : ''), 'data-f': cover.map((f) => f.i).join(','),
        'data-layer': cover[0].group, title: cover.map((f) => `${f.group}: ${f.kind}`).join('\n'), tabindex: '0' });
      m.style.background = colorFor(cover[0].group);
      m.textContent = piece;
      frag.append(m);
    }
    docEl.replaceChildren(frag);
  }

  // The object a part belongs to (an attribution for its cue): its own fields.
  function holderNote(f) {
    const rows = [];
    for (const [k, v] of Object.entries(f.holder)) {
      if (v === f.obj || ['span', 'start', 'end'].includes(k)) continue;
      const s = fmtValue(v);
      if (s !== '' && s.length < 300) rows.push(el('dt', { text: k }), el('dd', { text: s }));
    }
    const part = f.path.split('.').pop().replace(/\[\]/g, '');
    return el('div', { class: 'holder' }, el('p', { class: 'parent', text: `${part} of:` }), el('dl', {}, rows));
  }

  function explain(ids) {
    detail.replaceChildren();
    for (const i of ids) {
      const f = findings[i];
      const evidence = cps.slice(f.start, f.end).join('');
      const rows = [];
      for (const [k, v] of Object.entries(f.obj)) {
        if (['span', 'start', 'end', 'text'].includes(k)) continue;
        const s = fmtValue(v);
        if (s !== '') rows.push(el('dt', { text: k }), el('dd', { text: s }));
      }
      const box = el('div', { class: 'finding' },
        el('h3', {}, el('span', { class: 'swatch', style: `background:${colorFor(f.group, 0.6)}` }), `${f.group}: ${f.kind}`),
        f.confidence !== null ? el('p', { class: 'confidence', text: `confidence ${(f.confidence * 100).toFixed(0)}%` }) : null,
        el('blockquote', { class: 'evidence', text: evidence }),
        el('p', { class: 'offsets', text: `code points ${f.start}–${f.end}` + (f.path ? ` · ${f.path}` : '') }),
        f.parent ? el('p', { class: 'parent', text: `part of ${f.parent.layer}: ${kindOf(f.parent)} “${cps.slice(f.parent.start, f.parent.end).join('')}”` }) : null,
        rows.length ? el('dl', {}, rows) : null,
        f.holder ? holderNote(f) : null);
      detail.append(box);
    }
  }

  docEl.addEventListener('click', (ev) => {
    const m = ev.target.closest('mark.hl');
    if (!m) return;
    $$('mark.hl.selected', docEl).forEach((x) => x.classList.remove('selected'));
    m.classList.add('selected');
    explain(m.dataset.f.split(',').map(Number));
  });
  docEl.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && ev.target.matches('mark.hl')) ev.target.click();
  });

  paint();
  window.parallax.lastFindings = findings;
  window.parallax.lastText = d.text;
  if (opts.compact) host.append(title, meta, legend, docEl, detail);
  else host.append(title, meta, el('div', { class: 'columns' }, el('div', {}, legend, docEl), detail));
  return { findings, cps };
}

// ---- views ---------------------------------------------------------------

function show(view) {
  for (const v of $$('.view')) v.hidden = v.id !== 'view-' + view;
  for (const a of $$('nav a')) a.classList.toggle('active', a.id === 'nav-' + view);
}

function status(id, msg, isError = false) {
  const s = $('#' + id);
  s.textContent = msg;
  s.classList.toggle('error', isError);
}

let uploadedHtml = false;

function analyzeBody() {
  const raw = $('#input').value;
  const looksHtml = uploadedHtml || /^\s*<(!doctype|html|body|article|div|p)\b/i.test(raw);
  const body = looksHtml ? { html: raw } : { text: raw };
  for (const [k, id] of [['title', 'meta-title'], ['source', 'meta-source'], ['published', 'meta-published']]) {
    const v = $('#' + id).value.trim();
    if (v) body[k] = v;
  }
  const scorer = $('#claims-scorer') && $('#claims-scorer').value;
  if (scorer && scorer !== 'linear') body.claims = scorer;
  const tagger = $('#techniques-tagger') && $('#techniques-tagger').value;
  if (tagger && tagger !== 'linear') body.techniques = tagger;
  return body;
}

async function doAnalyze(ev) {
  if (ev) ev.preventDefault();
  status('analyze-status', 'Analyzing…');
  try {
    const a = await api('/api/analyze', { method: 'POST', body: JSON.stringify(analyzeBody()) });
    const r = renderAnalysis($('#analysis'), a);
    status('analyze-status', `${r.findings.length} findings`);
  } catch (e) {
    status('analyze-status', e.message, true);
  }
}

async function doSave() {
  status('analyze-status', 'Saving…');
  try {
    let r;
    try {
      r = await api('/api/articles', { method: 'POST', body: JSON.stringify(analyzeBody()) });
    } catch (e) {
      if (e.status !== 401) throw e;
      TOKEN = prompt('This server needs a token for writes:') || '';
      sessionStorage.setItem('parallax-token', TOKEN);
      r = await api('/api/articles', { method: 'POST', body: JSON.stringify(analyzeBody()) });
    }
    status('analyze-status', r.added ? `Saved as article ${r.id}` : `Already in the corpus as article ${r.id}`);
    const link = el('a', { href: '#article/' + r.id, text: ' open' });
    $('#analyze-status').append(link);
  } catch (e) {
    status('analyze-status', e.message, true);
  }
}

async function showArticle(id) {
  const host = $('#article-host');
  host.replaceChildren(el('p', { text: 'Loading…' }));
  try {
    const a = await api('/api/articles/' + encodeURIComponent(id));
    renderAnalysis(host, a.analysis);
  } catch (e) {
    host.replaceChildren(el('p', { class: 'error', text: e.message }));
  }
}

// ---- compare ---------------------------------------------------------------

async function loadCompareList() {
  const list = $('#compare-list');
  try {
    const r = await api('/api/articles?limit=200');
    if (r.articles.length === 0) {
      list.replaceChildren(el('p', { class: 'hint', text: 'The corpus is empty: ingest articles with `parallax ingest` or use “Save to corpus”.' }));
      return;
    }
    const pre = new Set(PRESELECT);
    PRESELECT = [];
    list.replaceChildren(...r.articles.map((a) => el('label', { class: 'pick' },
      el('input', { type: 'checkbox', value: a.id, 'data-id': a.id, checked: pre.has(a.id) }),
      ` ${a.title || a.doc_id}`, el('span', { class: 'meta', text: ` ${[a.source, a.published].filter(Boolean).join(' · ')} #${a.id}` }))));
  } catch (e) {
    list.replaceChildren(el('p', { class: 'error', text: e.message }));
  }
}

async function doCompare() {
  const ids = $$('#compare-list input:checked').map((c) => Number(c.value));
  if (ids.length < 2) { status('compare-status', 'Pick at least two articles.', true); return; }
  status('compare-status', 'Loading…');
  const out = $('#compare-out');
  out.replaceChildren();
  $('#compare-summary').replaceChildren();
  try {
    const [arts, c] = await Promise.all([
      Promise.all(ids.map((id) => api('/api/articles/' + id))),
      CAPS.compare ? api('/api/compare', { method: 'POST', body: JSON.stringify({ ids }) }) : null,
    ]);
    out.style.setProperty('--cols', String(arts.length));
    arts.forEach((a, i) => {
      const pane = el('div', { class: 'pane', 'data-id': a.id });
      out.append(pane);
      renderAnalysis(pane, a.analysis, { compact: true, extraLayers: c ? comparisonLayer(c, i) : {} });
    });
    if (c) renderComparison($('#compare-summary'), c, arts);
    status('compare-status', `${arts.length} articles side by side` + (c ? `: ${c.aligned.length} aligned pairs, ${c.only_in_one.length} items in one article only` : ''));
  } catch (e) {
    status('compare-status', e.message, true);
  }
}

/** The comparison's spans in article i, as a layer the pane highlights. */
function comparisonLayer(c, i) {
  const title = (k) => (c.articles[k] && (c.articles[k].title || c.articles[k].id)) || `article ${k + 1}`;
  const aligned = [];
  for (const a of c.aligned || []) {
    a.sides.forEach((side, k) => {
      if (side.article !== i) return;
      const other = a.sides[1 - k];
      aligned.push({ span: side.span, text: side.text, label: a.label, similarity: a.similarity, confidence: a.confidence,
        evidence: a.evidence, [`in ${title(other.article)}`]: other.text,
        differing_values: a.differing_values || undefined, attribution_differs: a.attribution_differs });
    });
  }
  const only = (c.only_in_one || []).filter((o) => o.article === i)
    .map((o) => ({ span: o.span, text: o.text, label: 'only here: ' + o.kind, best_elsewhere: o.best_elsewhere }));
  return { compare: { aligned, only_here: only } };
}

/** Tables of a comparison: aligned pairs, what only one article has, naming, quotes. */
function renderComparison(host, c, arts) {
  host.replaceChildren(el('h3', { text: 'Comparison' }),
    el('p', { class: 'hint', text: 'Highlights in the “compare” layer of each article below. Labels describe the texts; nothing here says which article is right.' }));
  const name = (k) => (c.articles[k] && (c.articles[k].title || c.articles[k].id)) || `article ${k + 1}`;
  const table = (head, rows) => el('table', { class: 'cmp' }, el('thead', {}, el('tr', {}, head.map((h) => el('th', { text: h })))),
    el('tbody', {}, rows.map((r) => el('tr', {}, r.map((x) => el('td', { text: fmtValue(x) }))))));
  if (c.aligned && c.aligned.length) {
    host.append(el('details', { class: 'cmp-block', open: true }, el('summary', { text: `Aligned sentences (${c.aligned.length})` }),
      table(['label', 'similarity', 'same fact', ...[0, 1].map((k) => 'side ' + (k + 1)), 'evidence'],
        c.aligned.map((a) => [a.label, a.similarity, `${Math.round(100 * a.confidence)}%`, ...a.sides.map((s) => `${name(s.article)}: ${s.text}`), a.evidence]))));
  }
  if (c.naming && c.naming.length) {
    host.append(el('details', { class: 'cmp-block' }, el('summary', { text: `Naming (${c.naming.length} entities)` }),
      table(['entity', ...c.articles.map((_, k) => name(k))],
        c.naming.map((n) => [n.entity, ...n.by_article.map((fs) => fs.map((f) => `${f.text} ×${f.count}`).join(', ') || '—')]))));
  }
  if (c.quotes && c.quotes.length) {
    host.append(el('details', { class: 'cmp-block' }, el('summary', { text: `Quotes by speaker (${c.quotes.length})` }),
      table(['speaker', ...c.articles.map((_, k) => name(k))],
        c.quotes.map((q) => [q.speaker, ...q.by_article.map((qs) => qs.map((x) => x.text).join(' | ') || '—')]))));
  }
  for (const [k, v] of Object.entries(c)) {
    if (['aligned', 'naming', 'quotes', 'only_in_one', 'articles', 'schema'].includes(k)) continue;
    host.append(genericBlock(k, v));
  }
}

function genericBlock(name, v) {
  if (Array.isArray(v)) {
    return el('details', { class: 'cmp-block' }, el('summary', { text: `${name} (${v.length})` }),
      el('ul', {}, v.slice(0, 200).map((x) => el('li', { text: fmtValue(x) }))));
  }
  return el('p', {}, el('strong', { text: name + ': ' }), fmtValue(v));
}

// ---- corpus ----------------------------------------------------------------

const SVG = 'http://www.w3.org/2000/svg';
function svg(tag, attrs = {}, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

/** Horizontal bar chart: [[label, value, note]]. */
function barChart(rows, unit) {
  if (rows.length === 0) return el('p', { class: 'hint', text: 'No data yet.' });
  const w = 520, rowH = 22, labelW = 170;
  const max = Math.max(...rows.map((r) => r[1]), 1e-9);
  const s = svg('svg', { viewBox: `0 0 ${w} ${rows.length * rowH + 4}`, width: w, height: rows.length * rowH + 4, role: 'img', class: 'chart' });
  rows.forEach(([label, v, note], i) => {
    const y = i * rowH + 2;
    s.append(svg('text', { x: labelW - 6, y: y + 15, 'text-anchor': 'end', class: 'chart-label' }, label.length > 24 ? label.slice(0, 23) + '…' : label));
    const bw = Math.max(1, (v / max) * (w - labelW - 90));
    const r = svg('rect', { x: labelW, y, width: bw.toFixed(1), height: rowH - 6, class: 'bar' });
    r.append(svg('title', {}, `${label}: ${v.toFixed(2)} ${unit}${note ? ' · ' + note : ''}`));
    s.append(r, svg('text', { x: labelW + bw + 4, y: y + 14, class: 'chart-value' }, v.toFixed(2)));
  });
  return s;
}

/** Vertical bars over time: [[month, value]]. */
function timeChart(rows) {
  if (rows.length === 0) return el('p', { class: 'hint', text: 'No dated articles yet.' });
  const w = 520, h = 180, pad = 28;
  const max = Math.max(...rows.map((r) => r[1]), 1e-9);
  const bw = (w - 2 * pad) / rows.length;
  const s = svg('svg', { viewBox: `0 0 ${w} ${h + 30}`, width: w, height: h + 30, role: 'img', class: 'chart' });
  s.append(svg('line', { x1: pad, y1: h, x2: w - pad, y2: h, class: 'axis' }));
  rows.forEach(([m, v], i) => {
    const bh = (v / max) * (h - 20);
    const x = pad + i * bw;
    const r = svg('rect', { x: (x + 2).toFixed(1), y: (h - bh).toFixed(1), width: Math.max(1, bw - 4).toFixed(1), height: bh.toFixed(1), class: 'bar' });
    r.append(svg('title', {}, `${m}: ${v.toFixed(2)} per 1,000 tokens`));
    s.append(r);
    if (rows.length <= 12 || i % Math.ceil(rows.length / 12) === 0) {
      s.append(svg('text', { x: x + bw / 2, y: h + 16, 'text-anchor': 'middle', class: 'chart-label' }, m));
    }
  });
  return s;
}

async function loadStats() {
  try {
    const st = await api('/api/stats?top=15');
    $('#chart-sources').replaceChildren(barChart(st.per_source.map((g) => [g.key, g.density, `${g.articles} articles, ${g.techniques} techniques`]), 'per 1,000 tokens'));
    $('#chart-months').replaceChildren(timeChart(st.per_month.filter((g) => g.key !== '(unknown)').map((g) => [g.key, g.density])));
    const names = (list) => list.length ? list.map((n) => el('li', { text: `${n.name} (${n.count} in ${n.articles} articles)` }))
      : [el('li', { class: 'hint', text: 'none yet' })];
    $('#top-speakers').replaceChildren(...names(st.speakers));
    $('#top-sources').replaceChildren(...names(st.cited_sources));
    const byLayer = new Map();
    for (const l of st.layers) {
      if (!byLayer.has(l.layer)) byLayer.set(l.layer, []);
      byLayer.get(l.layer).push(l);
    }
    $('#layer-counts').replaceChildren(...[...byLayer].map(([layer, ls]) => el('details', {},
      el('summary', { text: `${layer} (${ls.reduce((a, l) => a + l.count, 0)})` }),
      el('ul', {}, ls.slice(0, 30).map((l) => el('li', { text: `${l.label}: ${l.count}` }))))));
    const src = $('#f-source'), tech = $('#f-technique');
    if (src.options.length === 1) {
      for (const g of st.per_source) if (g.key !== '(unknown)') src.append(el('option', { value: g.key, text: g.key }));
      for (const l of st.layers) if (l.layer === 'techniques') tech.append(el('option', { value: l.label, text: l.label }));
    }
    status('search-status', `${st.articles} articles in the corpus`);
  } catch (e) {
    status('search-status', e.message, true);
  }
}

/** A snippet with matches between U+0001 and U+0002, built without innerHTML. */
function snippetNode(s) {
  const p = el('p', { class: 'snippet' });
  const parts = s.split(/([\u0001\u0002])/);
  let on = false;
  for (const x of parts) {
    if (x === '\u0001') on = true;
    else if (x === '\u0002') on = false;
    else if (x) p.append(on ? el('mark', { text: x }) : x);
  }
  return p;
}

async function doSearch(ev) {
  if (ev) ev.preventDefault();
  const params = new URLSearchParams();
  const add = (k, id) => { const v = $('#' + id).value.trim(); if (v) params.set(k, v); };
  add('q', 'q'); add('source', 'f-source'); add('from', 'f-from'); add('to', 'f-to'); add('technique', 'f-technique');
  params.set('limit', '50');
  status('search-status', 'Searching…');
  try {
    const t0 = performance.now();
    const r = await api('/api/search?' + params);
    const ms = performance.now() - t0;
    $('#hits').replaceChildren(...r.hits.map((h) => el('li', { class: 'hit' },
      el('a', { href: '#article/' + h.id, text: h.title || h.doc_id }),
      el('span', { class: 'meta', text: ' ' + [h.source, h.published].filter(Boolean).join(' · ') }),
      h.snippet ? snippetNode(h.snippet) : null)));
    status('search-status', `${r.hits.length} hits in ${ms.toFixed(0)} ms`);
  } catch (e) {
    status('search-status', e.message, true);
  }
}

// ---- stories -----------------------------------------------------------------

let PRESELECT = [];

async function doCluster() {
  const params = new URLSearchParams();
  const add = (k, id) => { const v = $('#' + id).value.trim(); if (v) params.set(k, v); };
  add('q', 'q'); add('source', 'f-source'); add('from', 'f-from'); add('to', 'f-to');
  params.set('limit', '200');
  status('cluster-status', 'Grouping…');
  try {
    const r = await api('/api/cluster?' + params);
    const multi = r.stories.filter((s) => s.size > 1);
    $('#stories').replaceChildren(...multi.map((s) => el('li', { class: 'story' },
      el('strong', { text: `${s.size} articles ` }),
      el('span', { class: 'shared-names', title: 'names that most of these articles use', text: (s.shared_names || []).join(' · ') + ' ' }),
      el('button', { type: 'button', class: 'chip', text: 'compare', onclick: () => {
        PRESELECT = s.members.map((m) => Number(m.id));
        location.hash = 'compare';
      } }),
      el('ul', {}, s.members.map((m) => el('li', {}, el('a', { href: '#article/' + m.id, text: m.title || ('#' + m.id) })))))));
    status('cluster-status', `${r.articles} articles, ${r.stories.length} stories, ${multi.length} with more than one article`);
  } catch (e) {
    status('cluster-status', e.message, true);
  }
}

// ---- start -------------------------------------------------------------------

function route() {
  const h = location.hash.slice(1) || 'analyze';
  if (h.startsWith('article/')) { show('article'); showArticle(h.slice(8)); return; }
  if (h === 'compare') { show('compare'); loadCompareList(); return; }
  if (h === 'corpus') { show('corpus'); loadStats(); return; }
  show('analyze');
}

async function start() {
  try {
    const doc = await api('/openapi.json');
    CAPS.compare = !!doc.paths['/api/compare'];
    CAPS.cluster = !!doc.paths['/api/cluster'];
  } catch (_) { /* the app works without it */ }
  $('#analyze-form').addEventListener('submit', doAnalyze);
  $('#save-btn').addEventListener('click', doSave);
  $('#compare-btn').addEventListener('click', doCompare);
  $('#search-form').addEventListener('submit', doSearch);
  $('#cluster-btn').addEventListener('click', doCluster);
  $('#cluster-box').hidden = !CAPS.cluster;
  $('#upload').addEventListener('change', async (ev) => {
    const f = ev.target.files[0];
    if (!f) return;
    $('#input').value = await f.text();
    uploadedHtml = /\.html?$/i.test(f.name) || f.type === 'text/html';
    if (!$('#meta-title').value) $('#meta-title').value = f.name.replace(/\.[^.]+$/, '');
    doAnalyze();
  });
  $('#input').addEventListener('input', () => { uploadedHtml = false; });
  window.addEventListener('hashchange', route);
  route();
  document.body.dataset.ready = '1';
}

// Exposed for tests in the browser console.
window.parallax = { collectFindings, codePoints, renderAnalysis, lastFindings: [], lastText: '' };
start();
