// Genome track of the network page (multiome jobs): a gene's candidate peaks as boxes along its locus, arcs from
// each peak to the TSS (width by |r| of the peak–gene link, green positive / red negative, dashed when not
// significant), the TFs whose motif evidence makes a triplet through the peak above its box, and a table of the
// same. Data: GET /jobs/{id}/atac/genes/{gene}; a 404 (RNA-only job, gene without peaks) hides the card.
import * as api from './api.js';

const SVG_NS = 'http://www.w3.org/2000/svg';

function esc(s) {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;',
    "'": '&#39;' }[c]));
}

function el(name, attrs, text) {
  const e = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text != null) e.textContent = text;
  return e;
}

function kb(n) {
  return `${(n / 1000).toFixed(n >= 10000 ? 0 : 1)} kb`;
}

/** Draws the track of {@code t} (the API's GeneTrack) into a new SVG; peaks with a motif of {@code tf} in blue. */
export function drawTrack(t, tf, width = 900, height = 170) {
  const svg = el('svg', { xmlns: SVG_NS, width, height, viewBox: `0 0 ${width} ${height}`, id: 'gene-track' });
  svg.appendChild(el('rect', { x: 0, y: 0, width, height, fill: '#ffffff' }));
  const tss = (t.tss_start + t.tss_end) / 2;
  let lo = tss;
  let hi = tss;
  for (const p of t.peaks) { lo = Math.min(lo, p.start); hi = Math.max(hi, p.end); }
  const span = Math.max(hi - lo, 2000);
  lo -= span * 0.04;
  hi = lo + span * 1.08;
  const pad = 20;
  const x = (pos) => pad + ((pos - lo) / (hi - lo)) * (width - 2 * pad);
  const axisY = height - 30;
  svg.appendChild(el('line', { x1: pad, y1: axisY, x2: width - pad, y2: axisY, stroke: '#9ca3af' }));
  svg.appendChild(el('text', { x: pad, y: height - 2, 'font-size': 10, fill: '#6b7280' },
    `${t.chrom}:${Math.round(lo).toLocaleString()}`));
  svg.appendChild(el('text', { x: width - pad, y: height - 2, 'font-size': 10, fill: '#6b7280', 'text-anchor': 'end' },
    `${Math.round(hi).toLocaleString()} (${kb(hi - lo)})`));
  // TSS: a bent arrow pointing in the direction of transcription
  const tx = x(tss);
  const dir = t.strand === '-' ? -1 : 1;
  svg.appendChild(el('path', { d: `M ${tx} ${axisY} V ${axisY - 22} h ${dir * 12}`, fill: 'none', stroke: '#111827',
    'stroke-width': 2, id: 'track-tss' }));
  svg.appendChild(el('text', { x: tx + dir * 15, y: axisY - 18, 'font-size': 12, 'font-weight': 'bold',
    'text-anchor': dir > 0 ? 'start' : 'end' }, t.gene));
  const maxR = Math.max(0.05, ...t.peaks.map((p) => Math.abs(p.r)));
  const arcs = el('g', { fill: 'none', class: 'arcs' });
  const boxes = el('g', { class: 'peaks' });
  let nArcs = 0;
  for (const p of t.peaks) {
    const x0 = x(p.start);
    const w = Math.max(2, x(p.end) - x0);
    const mid = x0 + w / 2;
    const hasTf = tf && p.motifs.some((m) => m.tf === tf);
    if (Math.abs(mid - tx) > 1) {
      const h = Math.min(axisY - 40, 12 + Math.abs(mid - tx) * 0.35);
      const arc = el('path', { d: `M ${mid} ${axisY - 6} Q ${(mid + tx) / 2} ${axisY - 6 - 2 * h} ${tx} ${axisY - 6}`,
        stroke: p.r >= 0 ? '#16a34a' : '#dc2626', 'stroke-width': (0.6 + 3.4 * Math.abs(p.r) / maxR).toFixed(2),
        'stroke-opacity': p.significant ? 0.85 : 0.35 });
      if (!p.significant) arc.setAttribute('stroke-dasharray', '4 3');
      arcs.appendChild(arc);
      nArcs++;
    }
    const box = el('rect', { x: x0.toFixed(1), y: axisY - 6, width: w.toFixed(1), height: 12,
      fill: hasTf ? '#2563eb' : p.motifs.length ? '#f97316' : '#9ca3af', 'data-peak': p.peak });
    box.appendChild(el('title', {}, `${p.peak}\nr = ${p.r.toFixed(3)}, z = ${p.z.toFixed(2)}, ${p.significant
      ? 'significant' : 'not significant'}, ${kb(p.distance)} from the TSS`
      + (p.motifs.length ? `\nTFs: ${p.motifs.map((m) => m.tf).join(', ')}` : '')));
    boxes.appendChild(box);
    if (p.motifs.length) {
      const names = p.motifs.slice(0, 3).map((m) => m.tf).join(',') + (p.motifs.length > 3 ? '…' : '');
      boxes.appendChild(el('text', { x: mid, y: axisY + 16, 'font-size': 9, 'text-anchor': 'middle',
        fill: hasTf ? '#1d4ed8' : '#9a3412' }, names));
    }
  }
  svg.appendChild(arcs);
  svg.appendChild(boxes);
  svg.dataset.peaks = String(t.peaks.length);
  svg.dataset.arcs = String(nArcs);
  return svg;
}

/**
 * Fills {@code card} with the track of {@code gene} in job {@code jobId} (highlighting {@code tf}'s peaks when
 * given); hides the card when the job has no chromatin evidence for the gene.
 */
export async function showTrack(card, jobId, gene, tf) {
  let t;
  try {
    t = await api.getJson(`/jobs/${jobId}/atac/genes/${encodeURIComponent(gene)}`);
  } catch (e) {
    card.hidden = true;
    card.dataset.gene = '';
    return;
  }
  card.hidden = false;
  card.innerHTML = `<h3>Chromatin around ${esc(gene)} <span class="muted">(${t.n_peaks} candidate peaks`
    + `${tf ? `; blue: peaks with ${esc(tf)} evidence` : ''}; orange: other TF evidence; arcs: peak–gene links)`
    + '</span></h3><div id="gene-track-box"></div>'
    + '<div class="table-wrap"><table id="track-peaks"><thead><tr><th>Peak</th><th>From TSS</th><th>r</th><th>z</th>'
    + '<th>Significant</th><th>TFs (evidence)</th></tr></thead><tbody></tbody></table></div>';
  card.querySelector('#gene-track-box').appendChild(drawTrack(t, tf));
  card.querySelector('#track-peaks tbody').innerHTML = t.peaks.map((p) => `<tr><td><code>${esc(p.peak)}</code></td>
    <td class="num">${kb(p.distance)}</td><td class="num">${p.r.toFixed(3)}</td><td class="num">${p.z.toFixed(2)}</td>
    <td>${p.significant ? 'yes' : ''}</td><td>${p.motifs.map((m) => `${esc(m.tf)} (${m.tf_peak.toFixed(2)}`
      + ` ${esc(m.source)})`).join(', ')}</td></tr>`).join('');
  card.dataset.gene = gene;
}
