// In-silico perturbation panel of the network page: pick a regulator, knock it out or set its level, run it on
// the server (POST /jobs/{id}/perturb, then long-poll GET .../perturb/{run}?wait=30), draw the grid arrows over
// the cells' embedding (SVG) with the per-gene shift table, export the plot as SVG or PNG and the table as TSV.
import * as api from './api.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f',
  '#bcbd22', '#17becf'];
const MAX_DRAWN_CELLS = 6000;

function esc(s) {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;',
    "'": '&#39;' }[c]));
}

function el(name, attrs) {
  const e = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

/** Draws cells (thinned to MAX_DRAWN_CELLS, coloured by group) and arrows into a new SVG element. */
export function drawField(result, width = 560, height = 440) {
  const { cells, arrows } = result;
  const svg = el('svg', { xmlns: SVG_NS, width, height, viewBox: `0 0 ${width} ${height}`, id: 'perturb-svg' });
  svg.appendChild(el('rect', { x: 0, y: 0, width, height, fill: '#ffffff' }));
  const defs = el('defs', {});
  const marker = el('marker', { id: 'perturb-head', viewBox: '0 0 10 10', refX: 8, refY: 5, markerWidth: 5,
    markerHeight: 5, orient: 'auto-start-reverse' });
  marker.appendChild(el('path', { d: 'M 0 0 L 10 5 L 0 10 z', fill: '#111827' }));
  defs.appendChild(marker);
  svg.appendChild(defs);
  const xs = cells.x;
  const ys = cells.y;
  const pad = 16;
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i < xs.length; i++) {
    x0 = Math.min(x0, xs[i]); x1 = Math.max(x1, xs[i]); y0 = Math.min(y0, ys[i]); y1 = Math.max(y1, ys[i]);
  }
  const sx = (width - 2 * pad) / ((x1 - x0) || 1);
  const sy = (height - 2 * pad) / ((y1 - y0) || 1);
  const px = (x) => pad + (x - x0) * sx;
  const py = (y) => height - pad - (y - y0) * sy;
  const groups = [...new Set(cells.group)];
  const stride = Math.max(1, Math.ceil(xs.length / MAX_DRAWN_CELLS));
  const dots = el('g', { 'fill-opacity': 0.55 });
  for (let i = 0; i < xs.length; i += stride) {
    const c = PALETTE[groups.indexOf(cells.group[i]) % PALETTE.length];
    dots.appendChild(el('circle', { cx: px(xs[i]).toFixed(1), cy: py(ys[i]).toFixed(1), r: 1.8, fill: c }));
  }
  svg.appendChild(dots);
  // arrows: the longest drawn as 4 % of the plot width
  let maxLen = 0;
  for (const a of arrows) maxLen = Math.max(maxLen, Math.hypot(a[2] * sx, a[3] * sy));
  const scale = maxLen > 0 ? (0.04 * width) / maxLen : 0;
  const lines = el('g', { stroke: '#111827', 'stroke-width': 1.1, 'marker-end': 'url(#perturb-head)' });
  let drawn = 0;
  for (const a of arrows) {
    const len = Math.hypot(a[2] * sx, a[3] * sy) * scale;
    if (len < 1) continue;
    const xA = px(a[0]);
    const yA = py(a[1]);
    lines.appendChild(el('line', { x1: xA.toFixed(1), y1: yA.toFixed(1), x2: (xA + a[2] * sx * scale).toFixed(1),
      y2: (yA - a[3] * sy * scale).toFixed(1) }));
    drawn++;
  }
  svg.appendChild(lines);
  const legend = el('g', { 'font-size': 10, 'font-family': 'sans-serif' });
  groups.slice(0, 12).forEach((g, i) => {
    legend.appendChild(el('circle', { cx: width - 110, cy: 12 + i * 13, r: 4, fill: PALETTE[i % PALETTE.length] }));
    const t = el('text', { x: width - 102, y: 15 + i * 13 });
    t.textContent = g || '(none)';
    legend.appendChild(t);
  });
  svg.appendChild(legend);
  svg.dataset.arrows = String(drawn);
  return svg;
}

function download(name, href) {
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
}

function svgText(svg) {
  return new XMLSerializer().serializeToString(svg);
}

async function svgToPng(svg) {
  const img = new Image();
  const url = URL.createObjectURL(new Blob([svgText(svg)], { type: 'image/svg+xml' }));
  try {
    await new Promise((ok, fail) => { img.onload = ok; img.onerror = fail; img.src = url; });
    const canvas = document.createElement('canvas');
    canvas.width = 2 * Number(svg.getAttribute('width'));
    canvas.height = 2 * Number(svg.getAttribute('height'));
    const g = canvas.getContext('2d');
    g.scale(2, 2);
    g.drawImage(img, 0, 0);
    return canvas.toDataURL('image/png');
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Fills {@code card} with the perturbation form; {@code tfs} are the network's regulators. */
export function perturbPanel(card, jobId, tfs) {
  card.innerHTML = `
    <h3>Perturb <span class="muted">in-silico knock-out or over-expression (CellOracle-style)</span></h3>
    <div class="toolbar">
      <label>Regulator <input type="text" id="perturb-tf" list="perturb-tf-list" size="12"
        value="${esc(tfs[0] || '')}"></label>
      <datalist id="perturb-tf-list">${tfs.map((t) => `<option>${esc(t)}</option>`).join('')}</datalist>
      <label>Change <select id="perturb-mode"><option value="ko">knock-out</option>
        <option value="set">set level</option></select></label>
      <label id="perturb-value-label" hidden>Level <input type="number" id="perturb-value" min="0" step="0.1"
        value="1" style="width:5em"></label>
      <label>Steps <input type="number" id="perturb-steps" min="1" max="20" value="10" style="width:4em"></label>
      <button id="perturb-run">Run</button>
      <span id="perturb-status" class="muted"></span>
    </div>
    <div class="grid2">
      <div><div id="perturb-plot"></div>
        <div class="downloads" id="perturb-downloads" hidden>Export:
          <a class="button secondary" href="#" id="perturb-svg-export">SVG</a>
          <a class="button secondary" href="#" id="perturb-png-export">PNG</a>
          <a class="button secondary" href="#" id="perturb-tsv-export">Gene table TSV</a></div></div>
      <div class="table-wrap"><table id="perturb-genes"><thead><tr><th>Gene</th><th>Role</th><th>Mean Δ</th>
        <th>log2 FC</th></tr></thead><tbody></tbody></table>
        <div id="perturb-groups" class="muted"></div></div>
    </div>`;
  const mode = card.querySelector('#perturb-mode');
  mode.addEventListener('change', () => {
    card.querySelector('#perturb-value-label').hidden = mode.value !== 'set';
  });
  const status = card.querySelector('#perturb-status');
  let current = null;
  card.querySelector('#perturb-run').addEventListener('click', async () => {
    const body = { tf: card.querySelector('#perturb-tf').value.trim(), mode: mode.value,
      steps: Number(card.querySelector('#perturb-steps').value) };
    if (mode.value === 'set') body.value = Number(card.querySelector('#perturb-value').value);
    status.textContent = 'queued…';
    status.dataset.status = 'queued';
    try {
      let run = await api.postJson(`/jobs/${jobId}/perturb`, body);
      while (run.status === 'queued' || run.status === 'running') {
        status.textContent = `${run.status}${run.phase ? ` · ${run.phase}` : ''}…`;
        run = await api.getJson(`/jobs/${jobId}/perturb/${run.id}?wait=30`);
      }
      status.dataset.status = run.status;
      if (run.status !== 'done') {
        status.textContent = `${run.status}: ${run.error || ''}`;
        return;
      }
      current = run;
      const r = run.result;
      status.textContent = `${run.perturbations.join(' + ')} · ${r.n_cells} cells × ${r.n_genes} genes · `
        + `${r.embedding} · ${r.seconds.toFixed(1)} s`;
      const plot = card.querySelector('#perturb-plot');
      plot.innerHTML = '';
      plot.appendChild(drawField(r));
      card.querySelector('#perturb-genes tbody').innerHTML = r.genes.slice(0, 50).map((g) => `<tr>
        <td>${esc(g.gene)}</td><td>${esc(g.role)}</td><td class="num">${Number(g.mean_delta).toPrecision(3)}</td>
        <td class="num">${g.log2fc == null ? '' : Number(g.log2fc).toPrecision(3)}</td></tr>`).join('');
      card.querySelector('#perturb-groups').textContent = 'Groups: ' + r.groups.map((g) =>
        `${g.group} (shift ${Number(g.mean_shift).toPrecision(2)}${g.to_group ? ` → ${g.to_group}` : ''})`)
        .join(', ');
      card.querySelector('#perturb-downloads').hidden = false;
    } catch (e) {
      status.dataset.status = 'failed';
      status.textContent = `failed: ${e.message}`;
    }
  });
  const name = () => `perturb-${(current?.perturbations || ['run']).join('+').replace(/[^A-Za-z0-9._=+-]+/g, '_')}`;
  card.querySelector('#perturb-svg-export').addEventListener('click', (e) => {
    e.preventDefault();
    const svg = card.querySelector('#perturb-svg');
    if (!svg) return;
    download(`${name()}.svg`, URL.createObjectURL(new Blob([svgText(svg)], { type: 'image/svg+xml' })));
  });
  card.querySelector('#perturb-png-export').addEventListener('click', async (e) => {
    e.preventDefault();
    const svg = card.querySelector('#perturb-svg');
    if (svg) download(`${name()}.png`, await svgToPng(svg));
  });
  card.querySelector('#perturb-tsv-export').addEventListener('click', (e) => {
    e.preventDefault();
    if (current) download(`${name()}-genes.tsv`, api.url(`/jobs/${jobId}/perturb/${current.id}/genes.tsv`));
  });
}
