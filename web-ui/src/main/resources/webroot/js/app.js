// scgrn web UI: hash-routed pages (datasets, dataset, job, network) over the /api/v1 HTTP API.
import * as api from './api.js';
import { Scatter, esc } from './scatter.js';
import { drawLoss } from './lossplot.js';
import { perturbPanel } from './perturb.js';
import { showTrack } from './genetrack.js';

const app = document.getElementById('app');
const errorBox = document.getElementById('error');
const TERMINAL = ['done', 'failed', 'cancelled', 'interrupted'];
let cleanup = [];

function showError(e) {
  errorBox.textContent = e instanceof Error ? e.message : String(e);
  errorBox.hidden = false;
}

function clearError() {
  errorBox.hidden = true;
}

function fmtBytes(n) {
  if (!Number.isFinite(n) || n < 0) return '';
  const u = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1024 && i < u.length - 1) { n /= 1024; i++; }
  return `${n.toFixed(i ? 1 : 0)} ${u[i]}`;
}

function fmtTime(iso) {
  return iso ? new Date(iso).toLocaleString() : '';
}

function badge(status) {
  return `<span class="badge ${esc(status)}" data-status="${esc(status)}">${esc(status)}</span>`;
}

function jobRow(j) {
  const name = j.dataset_name ? esc(j.dataset_name) : '';
  return `<tr class="clickable" data-href="#/jobs/${esc(j.id)}"><td><code>${esc(j.id.slice(0, 8))}</code></td>`
    + `<td>${name}</td><td>${esc(j.model || 'default')}</td><td>${badge(j.status)}</td>`
    + `<td>${fmtTime(j.created)}</td></tr>`;
}

function linkRows(root) {
  root.querySelectorAll('tr[data-href]').forEach((tr) => tr.addEventListener('click', (e) => {
    if (e.target.closest('button')) return;
    location.hash = tr.dataset.href;
  }));
}

// ---------------------------------------------------------------- datasets page
async function datasetsPage() {
  app.innerHTML = `
    <h2>Datasets</h2>
    <section class="card">
      <div id="drop-zone" class="drop">
        <p>Drop an <b>.h5ad</b>, <b>.h5mu</b> or 10x <b>.h5</b> file here, or choose one:
        <input type="file" id="file-input" accept=".h5ad,.h5mu,.h5,.hdf5"></p>
        <div id="upload-progress" class="progress" hidden><div id="upload-bar"></div></div>
        <div id="upload-msg" class="muted"></div>
      </div>
    </section>
    <section class="card"><h3>Datasets</h3><table id="datasets-table"><thead><tr><th>Name</th><th>Kind</th>
      <th>Cells</th><th>Genes</th><th>Size</th><th>Added</th><th></th></tr></thead><tbody></tbody></table></section>
    <section class="card"><h3>Recent jobs</h3><table id="jobs-table"><thead><tr><th>Job</th><th>Dataset</th>
      <th>Model</th><th>Status</th><th>Created</th></tr></thead><tbody></tbody></table></section>`;
  const drop = document.getElementById('drop-zone');
  const input = document.getElementById('file-input');
  const start = (file) => uploadFile(file);
  input.addEventListener('change', () => input.files[0] && start(input.files[0]));
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    if (e.dataTransfer.files[0]) start(e.dataTransfer.files[0]);
  });
  await refreshDatasets();
}

async function refreshDatasets() {
  const [{ datasets }, { jobs }] = await Promise.all([api.getJson('/datasets'), api.getJson('/jobs')]);
  const body = document.querySelector('#datasets-table tbody');
  if (!body) return;
  body.innerHTML = datasets.length ? datasets.map((d) => `
    <tr class="clickable" data-href="#/datasets/${esc(d.id)}" data-id="${esc(d.id)}">
      <td><a href="#/datasets/${esc(d.id)}">${esc(d.name)}</a>${d.demo ? ' <span class="badge">demo</span>' : ''}</td>
      <td>${esc(d.kind || '')}</td><td class="num">${d.n_obs ?? ''}</td><td class="num">${d.n_vars ?? ''}</td>
      <td class="num">${fmtBytes(d.size)}</td><td>${fmtTime(d.created)}</td>
      <td><button class="secondary delete" data-id="${esc(d.id)}">Delete</button></td></tr>`).join('')
    : '<tr><td colspan="7" class="muted">No datasets yet: upload one above.</td></tr>';
  body.querySelectorAll('button.delete').forEach((b) => b.addEventListener('click', async () => {
    if (!window.confirm('Delete this dataset? Its jobs and networks stay.')) return;
    try {
      await api.del(`/datasets/${b.dataset.id}`);
      await refreshDatasets();
    } catch (e) { showError(e); }
  }));
  linkRows(body);
  const jb = document.querySelector('#jobs-table tbody');
  jb.innerHTML = jobs.length ? jobs.slice(0, 20).map(jobRow).join('')
    : '<tr><td colspan="5" class="muted">No jobs yet.</td></tr>';
  linkRows(jb);
}

async function uploadFile(file) {
  clearError();
  const bar = document.getElementById('upload-bar');
  const box = document.getElementById('upload-progress');
  const msg = document.getElementById('upload-msg');
  box.hidden = false;
  bar.style.width = '0%';
  msg.textContent = `Uploading ${file.name} (${fmtBytes(file.size)})…`;
  try {
    const d = await api.upload(file, (f) => {
      bar.style.width = `${(f * 100).toFixed(1)}%`;
      if (f >= 1) msg.textContent = `Checking ${file.name}…`;
    });
    msg.textContent = `${d.name}: ${d.n_obs} cells × ${d.n_vars} genes`;
    location.hash = `#/datasets/${d.id}`;
  } catch (e) {
    box.hidden = true;
    msg.textContent = '';
    showError(e);
  }
}

// ---------------------------------------------------------------- cells panel (shared)
async function cellsPanel(datasetId, canvas, legend, basisEl) {
  const scatter = new Scatter(canvas, legend);
  const t0 = performance.now();
  const emb = await api.getArrow(`/datasets/${datasetId}/embedding`);
  canvas.dataset.loadMs = (performance.now() - t0).toFixed(1);
  scatter.setPoints(emb.columns.x, emb.columns.y);
  // Above the server's max_cells an atlas answers a seeded sample of cells (the same for obs and expression).
  const shown = emb.meta.cells_total ? `${emb.rows} of ${emb.meta.cells_total} cells (sample)` : `${emb.rows} cells`;
  if (basisEl) basisEl.textContent = `${shown} · ${emb.meta.basis}`;
  canvas.dataset.ready = 'true';
  return scatter;
}

async function colorByObs(scatter, datasetId, column) {
  const t = await api.getArrow(`/datasets/${datasetId}/obs/${encodeURIComponent(column)}`);
  if (t.meta.kind === 'categorical') scatter.colorCategorical(t.columns.code, JSON.parse(t.meta.categories), column);
  else scatter.colorNumeric(t.columns.value, column);
}

async function colorByGene(scatter, datasetId, gene) {
  const t = await api.getArrow(`/datasets/${datasetId}/expression/${encodeURIComponent(gene)}`);
  scatter.colorNumeric(t.columns.value, `${gene} expression`);
}

function geneAutocomplete(input, datalist, datasetId) {
  let timer = null;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      if (!input.value) return;
      try {
        const { genes } = await api.getJson(`/datasets/${datasetId}/genes?q=${encodeURIComponent(input.value)}`);
        datalist.innerHTML = genes.map((g) => `<option value="${esc(g)}">`).join('');
      } catch (_) { /* the dataset may be gone */ }
    }, 150);
  });
}

// ---------------------------------------------------------------- dataset page
async function datasetPage(id) {
  const [d, models, { jobs }] = await Promise.all([api.getJson(`/datasets/${id}`), api.getJson('/models'),
    api.getJson(`/jobs?dataset=${id}`)]);
  const cols = d.obs_columns || [];
  const cats = cols.filter((c) => c.type === 'categorical' || c.type === 'bool');
  const mods = Object.entries(d.modalities || {}).map(([k, m]) => `${esc(k)}: ${m.n_obs} × ${m.n_vars}`).join(' · ');
  app.innerHTML = `
    <h2>${esc(d.name)}</h2>
    <p class="muted">${d.n_obs} cells × ${d.n_vars} features · ${esc(d.kind || '')} · ${mods}</p>
    <div class="grid">
      <section class="card"><h3>Cells</h3>
        <div class="controls">
          <label>Colour by <select id="color-by"><option value="">(none)</option>
            ${cols.map((c) => `<option value="${esc(c.name)}">${esc(c.name)} (${esc(c.type)})</option>`).join('')}
          </select></label>
          <label>Gene <input type="text" id="gene-input" list="gene-list" size="12" placeholder="e.g. SPI1"></label>
          <datalist id="gene-list"></datalist><button id="gene-btn" class="secondary">Show expression</button>
        </div>
        <div class="plot"><canvas id="embedding"></canvas><div id="legend" class="legend"></div></div>
        <div id="basis" class="muted"></div>
      </section>
      <section>
        <div class="card"><h3>New network</h3>
          <form id="job-form" class="job-form">
            <label for="model">Model</label><select id="model">${models.models.map((m) =>
              `<option ${m === models.default ? 'selected' : ''}>${esc(m)}</option>`).join('')}</select>
            <label for="species">TFs</label><select id="species"><option value="auto">auto (from gene names)</option>
              <option>human</option><option>mouse</option></select>
            <label for="groupby">Per group</label><select id="groupby"><option value="">(whole dataset only)</option>
              ${cats.map((c) => `<option>${esc(c.name)}</option>`).join('')}</select>
            <label for="seed">Seed</label><input type="text" id="seed" value="0" size="6">
            <span></span><button type="submit" id="start-job">Start</button>
          </form>
        </div>
        <div class="card"><h3>Jobs</h3><table id="jobs-table"><thead><tr><th>Job</th><th>Dataset</th>
          <th>Model</th><th>Status</th><th>Created</th></tr></thead><tbody>
          ${jobs.map(jobRow).join('') || '<tr><td colspan="5" class="muted">None yet.</td></tr>'}</tbody></table>
        </div>
      </section>
    </div>`;
  linkRows(document.getElementById('jobs-table'));
  document.getElementById('job-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    clearError();
    const body = {
      dataset: id,
      model: document.getElementById('model').value,
      species: document.getElementById('species').value,
      seed: document.getElementById('seed').value,
    };
    const g = document.getElementById('groupby').value;
    if (g) body.groupby = g;
    try {
      const job = await api.postJson('/jobs', body);
      location.hash = `#/jobs/${job.id}`;
    } catch (err) { showError(err); }
  });
  const scatter = await cellsPanel(id, document.getElementById('embedding'), document.getElementById('legend'),
    document.getElementById('basis'));
  const sel = document.getElementById('color-by');
  sel.addEventListener('change', () => sel.value && colorByObs(scatter, id, sel.value).catch(showError));
  const first = cats[0] || cols[0];
  if (first) {
    sel.value = first.name;
    await colorByObs(scatter, id, first.name);
  }
  const gi = document.getElementById('gene-input');
  geneAutocomplete(gi, document.getElementById('gene-list'), id);
  const showGene = () => gi.value && colorByGene(scatter, id, gi.value.trim()).catch(showError);
  document.getElementById('gene-btn').addEventListener('click', showGene);
  gi.addEventListener('keydown', (e) => e.key === 'Enter' && showGene());
}

// ---------------------------------------------------------------- job page
async function jobPage(id) {
  const job = await api.getJson(`/jobs/${id}`);
  app.innerHTML = `
    <h2>Job <code>${esc(id.slice(0, 8))}</code> · ${esc(job.model || 'default model')} on
      <a href="#/datasets/${esc(job.dataset)}">${esc(job.dataset_name || job.dataset)}</a></h2>
    <section class="card">
      <p>Status: <span id="job-status">${badge(job.status)}</span>
        <span id="job-detail" class="muted"></span></p>
      <div class="progress"><div id="job-progress-bar"></div></div>
      <p id="job-error" class="error" hidden></p>
      <p><button id="cancel-btn" class="secondary">Cancel</button>
        <a id="open-network" class="button" href="#/jobs/${esc(id)}/network" hidden>Open network</a></p>
    </section>
    <section class="card"><h3>Training loss</h3><canvas id="loss"></canvas></section>
    <section class="card"><h3>Log</h3><pre id="job-log" class="log"></pre></section>`;
  let losses = job.losses || [];
  const render = (j) => {
    document.getElementById('job-status').innerHTML = badge(j.status);
    const parts = [];
    if (j.phase) parts.push(`phase ${j.phase}`);
    if (j.epochs) parts.push(`epoch ${j.epoch}/${j.epochs}`);
    if (j.loss != null) parts.push(`loss ${Number(j.loss).toPrecision(4)}`);
    if (j.eta_s != null && !TERMINAL.includes(j.status)) parts.push(`ETA ${Math.ceil(j.eta_s)} s`);
    if (j.result && j.result.edges != null) parts.push(`${j.result.edges} edges`);
    document.getElementById('job-detail').textContent = parts.join(' · ');
    const frac = j.status === 'done' ? 1 : (j.fraction ?? 0);
    document.getElementById('job-progress-bar').style.width = `${(frac * 100).toFixed(1)}%`;
    const err = document.getElementById('job-error');
    err.hidden = !j.error || j.status === 'done';
    err.textContent = j.error || '';
    document.getElementById('open-network').hidden = j.status !== 'done';
    document.getElementById('cancel-btn').disabled = TERMINAL.includes(j.status);
    if (j.losses) losses = j.losses;
    else if (j.epoch && j.loss != null && (!losses.length || losses[losses.length - 1][0] < j.epoch)) {
      losses.push([j.epoch, j.loss]);
    }
    drawLoss(document.getElementById('loss'), losses);
  };
  const loadLog = async () => {
    try {
      const res = await fetch(api.url(`/jobs/${id}/logs`));
      document.getElementById('job-log').textContent = await res.text();
    } catch (_) { /* keep the old log */ }
  };
  render(job);
  loadLog();
  document.getElementById('cancel-btn').addEventListener('click', () =>
    api.postJson(`/jobs/${id}/cancel`).then(render).catch(showError));
  if (!TERMINAL.includes(job.status)) {
    const es = new EventSource(api.url(`/jobs/${id}/events`));
    let lastLog = 0;
    es.onmessage = (m) => {
      const j = JSON.parse(m.data);
      render(j);
      if (Date.now() - lastLog > 2000) {
        lastLog = Date.now();
        loadLog();
      }
      if (TERMINAL.includes(j.status)) {
        es.close();
        loadLog();
      }
    };
    es.onerror = () => {
      // The stream ends when the job does; otherwise the browser reconnects by itself.
      api.getJson(`/jobs/${id}`).then((j) => {
        if (TERMINAL.includes(j.status)) {
          es.close();
          render(j);
          loadLog();
        }
      }).catch(() => {});
    };
    cleanup.push(() => es.close());
  }
}

// ---------------------------------------------------------------- network page
const EXPORTS = [['tsv', 'TSV'], ['csv', 'CSV'], ['graphml', 'GraphML'], ['cytoscape', 'Cytoscape JSON'],
  ['h5ad', 'AnnData .h5ad']];

async function networkPage(id) {
  const [job, { groups }] = await Promise.all([api.getJson(`/jobs/${id}`),
    api.getJson(`/jobs/${id}/network/groups`)]);
  const best = await api.getJson(`/jobs/${id}/network?top=1`);
  const maxScore = best.edges.length ? best.edges[0].score : 1;
  app.innerHTML = `
    <h2>Network · ${esc(job.result?.model || job.model || '')} on
      <a href="#/datasets/${esc(job.dataset)}">${esc(job.dataset_name || '')}</a>
      <span class="muted">(${best.n_edges} edges${best.n_fdr_05 == null ? ''
    : `; <span id="fdr-counts" title="edges whose estimated false-discovery rate (q) is at most 5 % / 10 %">${best.n_fdr_05} at FDR 5 %, ${best.n_fdr_10} at 10 %</span>`})</span></h2>
    <section class="card">
      <div class="toolbar">
        <label>Group <select id="group-select">${groups.map((g) => `<option>${esc(g)}</option>`).join('')}</select></label>
        <label>Edges in graph <input type="range" id="top-n" min="10" max="1000" step="10" value="150">
          <span id="top-n-label">150</span></label>
        <label>Min score <input type="range" id="min-score" min="0" max="${maxScore}" step="${maxScore / 200}" value="0">
          <span id="min-score-label">0</span></label>
        <label>Layout <select id="layout"><option>cose</option><option>concentric</option>
          <option>breadthfirst</option><option>circle</option></select></label>
        <label>Gene <input type="text" id="gene-search" list="net-gene-list" size="12" placeholder="TF or target"></label>
        <datalist id="net-gene-list"></datalist>
        <button id="gene-search-btn">Centre on gene</button>
        <button id="reset-view" class="secondary">Whole network</button>
      </div>
      <div class="downloads">Download: ${EXPORTS.map(([f, label]) =>
        `<a class="button secondary" id="export-${f}" href="#" data-format="${f}">${label}</a>`).join('')}</div>
    </section>
    <div class="grid2">
      <section class="card"><h3 id="graph-title">Top edges</h3><div id="cy" class="cy"></div>
        <p class="muted">Click a regulator to colour the cells by its regulon activity, any gene for its expression.</p>
      </section>
      <section class="card"><h3>Cells <span id="activity-title" class="muted"></span></h3>
        <div class="plot"><canvas id="net-embedding"></canvas><div id="net-legend" class="legend"></div></div>
        <div id="net-basis" class="muted"></div>
      </section>
    </div>
    <section class="card"><h3>Edges <span id="edge-count" class="muted"></span></h3>
      <div class="table-wrap"><table id="edge-table"><thead><tr><th>#</th><th>Regulator</th><th>Target</th>
        <th>Score</th><th>Sign</th><th>Stability</th><th title="estimated false-discovery rate">q</th></tr></thead><tbody></tbody></table></div></section>
    <section class="card" id="track-card" hidden></section>
    <section class="card" id="perturb-card"></section>`;

  const state = { group: groups[0], top: 150, min: 0, centre: null };
  const cy = window.cytoscape({
    container: document.getElementById('cy'),
    wheelSensitivity: 0.3,
    style: [
      { selector: 'node', style: { label: 'data(id)', 'font-size': 9, width: 12, height: 12, 'background-color': '#60a5fa',
        color: '#1d2330' } },
      { selector: 'node[?is_tf]', style: { shape: 'diamond', width: 18, height: 18, 'background-color': '#f97316',
        'font-weight': 'bold' } },
      { selector: 'node.centre', style: { 'border-width': 3, 'border-color': '#111', width: 26, height: 26 } },
      { selector: 'edge', style: { width: 'data(w)', 'curve-style': 'bezier', 'target-arrow-shape': 'triangle',
        'arrow-scale': 0.6, 'line-color': '#9ca3af', 'target-arrow-color': '#9ca3af', opacity: 0.8 } },
      { selector: 'edge[sign > 0]', style: { 'line-color': '#16a34a', 'target-arrow-color': '#16a34a' } },
      { selector: 'edge[sign < 0]', style: { 'line-color': '#dc2626', 'target-arrow-color': '#dc2626',
        'target-arrow-shape': 'tee' } },
    ],
  });
  cleanup.push(() => cy.destroy());

  const toElements = (edges) => {
    const nodes = new Map();
    const tfs = new Set(edges.map((e) => e.tf));
    for (const e of edges) {
      for (const g of [e.tf, e.target]) if (!nodes.has(g)) nodes.set(g, { data: { id: g, is_tf: tfs.has(g) } });
    }
    return [...nodes.values(), ...edges.map((e) => ({
      data: { id: `${e.tf}->${e.target}`, source: e.tf, target: e.target, score: e.score, sign: e.sign,
        w: 1 + 4 * (e.score / (maxScore || 1)) },
    }))];
  };

  const runLayout = () => {
    const name = document.getElementById('layout').value;
    const opts = { name, animate: false, fit: true, padding: 20 };
    if (name === 'concentric') {
      opts.concentric = (n) => (n.id() === state.centre ? 100 : n.data('is_tf') ? 10 : 1);
      opts.levelWidth = () => 1;
    }
    if (name === 'breadthfirst') opts.directed = true;
    if (name === 'cose') Object.assign(opts, { numIter: 400, nodeRepulsion: () => 6000, idealEdgeLength: () => 40 });
    cy.layout(opts).run();
  };

  const groupParam = () => (state.group && state.group !== 'all' ? `&group=${encodeURIComponent(state.group)}` : '');

  const renderTable = (r) => {
    document.getElementById('edge-count').textContent = `(showing ${r.edges.length} of ${r.total})`;
    const tb = document.querySelector('#edge-table tbody');
    tb.innerHTML = r.edges.map((e) => `<tr class="clickable" data-tf="${esc(e.tf)}" data-target="${esc(e.target)}"><td class="num">${e.rank ?? ''}</td>
      <td>${esc(e.tf)}</td><td>${esc(e.target)}</td><td class="num">${Number(e.score).toPrecision(4)}</td>
      <td class="num">${e.sign}</td><td class="num">${e.stability == null ? '' : Number(e.stability).toFixed(2)}</td>
      <td class="num">${e.q == null ? '' : Number(e.q).toPrecision(2)}</td></tr>`)
      .join('');
    // An edge's details: centre on its regulator, then the target's chromatin with the regulator's peaks marked.
    tb.querySelectorAll('tr').forEach((tr) => tr.addEventListener('click', () => centre(tr.dataset.tf)
      .then(() => showTrack(document.getElementById('track-card'), id, tr.dataset.target, tr.dataset.tf))));
  };

  const loadGraph = async () => {
    clearError();
    const min = state.min > 0 ? `&min_score=${state.min}` : '';
    try {
      if (state.centre) {
        const nb = await api.getJson(`/jobs/${id}/network/neighbourhood?gene=${encodeURIComponent(state.centre)}`
          + `&depth=1&limit=${state.top}${min}${groupParam()}`);
        cy.elements().remove();
        cy.add(toElements(nb.edges));
        cy.$id(state.centre).addClass('centre');
        document.getElementById('graph-title').textContent = `Around ${state.centre} (${nb.edges.length} edges)`;
        const side = await api.getJson(`/jobs/${id}/network?top=1000${min}${groupParam()}`
          + `&tf=${encodeURIComponent(state.centre)}`);
        const tgt = await api.getJson(`/jobs/${id}/network?top=1000${min}${groupParam()}`
          + `&target=${encodeURIComponent(state.centre)}`);
        renderTable({ edges: [...side.edges, ...tgt.edges].sort((a, b) => b.score - a.score),
          total: side.total + tgt.total });
      } else {
        const r = await api.getJson(`/jobs/${id}/network?top=${state.top}${min}${groupParam()}`);
        cy.elements().remove();
        cy.add(toElements(r.edges));
        document.getElementById('graph-title').textContent = `Top ${r.edges.length} edges`;
        const t = await api.getJson(`/jobs/${id}/network?top=1000${min}${groupParam()}`);
        renderTable(t);
      }
      runLayout();
      document.getElementById('cy').dataset.ready = 'true';
    } catch (e) { showError(e); }
  };

  let scatter = null;
  const colourBy = async (gene, isTf) => {
    if (!scatter) return;
    try {
      if (isTf) {
        const t = await api.getArrow(`/jobs/${id}/activity/${encodeURIComponent(gene)}?${groupParam().slice(1)}`);
        scatter.colorNumeric(t.columns.value, `${gene} regulon activity`);
        document.getElementById('activity-title').textContent = `· ${gene} regulon (${t.meta.targets} targets)`;
      } else {
        await colorByGene(scatter, job.dataset, gene);
        document.getElementById('activity-title').textContent = `· ${gene} expression`;
      }
    } catch (e) { showError(e); }
  };

  const centre = async (gene) => {
    state.centre = gene;
    document.getElementById('gene-search').value = gene;
    document.getElementById('layout').value = 'concentric';
    await loadGraph();
    const node = cy.$id(gene);
    await colourBy(gene, node.nonempty() && node.data('is_tf'));
    await showTrack(document.getElementById('track-card'), id, gene, null);
  };

  cy.on('tap', 'node', (e) => colourBy(e.target.id(), e.target.data('is_tf')));
  document.getElementById('group-select').addEventListener('change', (e) => { state.group = e.target.value; loadGraph(); });
  const topN = document.getElementById('top-n');
  topN.addEventListener('input', () => { document.getElementById('top-n-label').textContent = topN.value; });
  topN.addEventListener('change', () => { state.top = Number(topN.value); loadGraph(); });
  const ms = document.getElementById('min-score');
  ms.addEventListener('input', () => { document.getElementById('min-score-label').textContent = Number(ms.value).toPrecision(3); });
  ms.addEventListener('change', () => { state.min = Number(ms.value); loadGraph(); });
  document.getElementById('layout').addEventListener('change', runLayout);
  const gs = document.getElementById('gene-search');
  gs.addEventListener('keydown', (e) => e.key === 'Enter' && gs.value && centre(gs.value.trim()));
  document.getElementById('gene-search-btn').addEventListener('click', () => gs.value && centre(gs.value.trim()));
  document.getElementById('reset-view').addEventListener('click', () => {
    state.centre = null;
    document.getElementById('layout').value = 'cose';
    loadGraph();
  });
  document.querySelectorAll('.downloads a').forEach((a) => a.addEventListener('click', (e) => {
    e.preventDefault();
    const g = groupParam();
    window.location.href = api.url(`/jobs/${id}/export?format=${a.dataset.format}${g}`);
  }));
  await loadGraph();
  api.getJson(`/jobs/${id}/network?top=1000`).then((r) => perturbPanel(document.getElementById('perturb-card'), id,
    [...new Set(r.edges.map((e) => e.tf))])).catch(showError);
  try {
    if (!job.dataset) throw new Error('no dataset');
    scatter = await cellsPanel(job.dataset, document.getElementById('net-embedding'),
      document.getElementById('net-legend'), document.getElementById('net-basis'));
    geneAutocomplete(gs, document.getElementById('net-gene-list'), job.dataset);
    if (best.edges.length) await colourBy(best.edges[0].tf, true);
  } catch (e) {
    document.getElementById('net-basis').textContent = `cells unavailable: ${e.message}`;
  }
}

// ---------------------------------------------------------------- router
async function route() {
  cleanup.forEach((f) => f());
  cleanup = [];
  clearError();
  const h = location.hash.replace(/^#/, '') || '/';
  const parts = h.split('/').filter(Boolean);
  try {
    if (parts.length === 0) await datasetsPage();
    else if (parts[0] === 'datasets' && parts[1]) await datasetPage(parts[1]);
    else if (parts[0] === 'jobs' && parts[1] && parts[2] === 'network') await networkPage(parts[1]);
    else if (parts[0] === 'jobs' && parts[1]) await jobPage(parts[1]);
    else app.innerHTML = '<p>Not found. <a href="#/">Datasets</a></p>';
  } catch (e) {
    showError(e);
  }
  app.dataset.page = parts[0] || 'datasets';
}

window.addEventListener('hashchange', route);
route();
api.getJson('/health').then((h) => {
  document.getElementById('server-status').textContent = `server ok · ${h.jobs_running} job(s) running`;
}).catch(() => {});
