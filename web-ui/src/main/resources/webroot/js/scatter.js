// Cells as a scatter plot on a 2-D canvas. Positions and colours live in typed arrays and are written straight
// into an ImageData buffer, so 200,000 cells redraw in a few milliseconds; wheel zooms at the cursor, drag pans,
// double-click resets.

const PALETTE = [
  '#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf',
  '#aec7e8', '#ffbb78', '#98df8a', '#ff9896', '#c5b0d5', '#c49c94', '#f7b6d2', '#c7c7c7', '#dbdb8d', '#9edae5',
];
// viridis, 5 stops
const RAMP = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
const MISSING = [200, 200, 200];

function hexRgb(h) {
  return [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)];
}

function ramp(t) {
  const x = Math.max(0, Math.min(1, t)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(x));
  const f = x - i;
  return RAMP[i].map((c, k) => Math.round(c + f * (RAMP[i + 1][k] - c)));
}

function packRgb(rgb) {
  // ImageData is RGBA bytes; a little-endian Uint32 view stores them as ABGR.
  return (255 << 24) | (rgb[2] << 16) | (rgb[1] << 8) | rgb[0];
}

export class Scatter {
  /**
   * @param {HTMLCanvasElement} canvas
   * @param {HTMLElement} legend element the legend is written into
   */
  constructor(canvas, legend) {
    this.canvas = canvas;
    this.legend = legend;
    this.x = new Float32Array(0);
    this.y = new Float32Array(0);
    this.colors = new Uint32Array(0);
    this.order = null;
    this.view = { cx: 0, cy: 0, scale: 1 };
    this.pending = false;
    this.bindEvents();
    new ResizeObserver(() => this.draw()).observe(canvas);
  }

  setPoints(x, y) {
    this.x = x;
    this.y = y;
    this.colors = new Uint32Array(x.length).fill(packRgb([70, 110, 170]));
    this.order = null;
    this.reset();
    if (this.legend) this.legend.innerHTML = '';
  }

  reset() {
    let minX = Infinity; let maxX = -Infinity; let minY = Infinity; let maxY = -Infinity;
    for (let i = 0; i < this.x.length; i++) {
      const a = this.x[i]; const b = this.y[i];
      if (Number.isFinite(a) && Number.isFinite(b)) {
        if (a < minX) minX = a;
        if (a > maxX) maxX = a;
        if (b < minY) minY = b;
        if (b > maxY) maxY = b;
      }
    }
    if (!Number.isFinite(minX)) {
      minX = 0; maxX = 1; minY = 0; maxY = 1;
    }
    const w = this.canvas.clientWidth || 600;
    const h = this.canvas.clientHeight || 400;
    const span = Math.max((maxX - minX) / w, (maxY - minY) / h) || 1;
    this.view = { cx: (minX + maxX) / 2, cy: (minY + maxY) / 2, scale: 0.9 / span };
    this.baseScale = this.view.scale;
    // Fewer cells get bigger dots; zooming in enlarges them.
    const n = this.x.length;
    this.baseRadius = n < 3000 ? 3 : n < 30000 ? 2 : 1;
    this.draw();
  }

  /** Colours by category codes (-1 = missing). */
  colorCategorical(codes, categories, title) {
    const cols = categories.map((_, i) => packRgb(hexRgb(PALETTE[i % PALETTE.length])));
    const miss = packRgb(MISSING);
    for (let i = 0; i < codes.length; i++) this.colors[i] = codes[i] >= 0 ? cols[codes[i]] : miss;
    this.order = null;
    if (this.legend) {
      const counts = new Array(categories.length).fill(0);
      for (const c of codes) if (c >= 0) counts[c]++;
      this.legend.innerHTML = `<div class="legend-title">${esc(title)}</div>` + categories.slice(0, 60).map((c, i) =>
        `<div class="legend-item"><span class="swatch" style="background:${PALETTE[i % PALETTE.length]}"></span>`
        + `${esc(c)} <span class="muted">(${counts[i]})</span></div>`).join('')
        + (categories.length > 60 ? `<div class="muted">… ${categories.length - 60} more</div>` : '');
    }
    this.draw();
  }

  /** Colours by a number per cell (NaN = missing); high values are drawn on top. */
  colorNumeric(values, title) {
    let lo = Infinity; let hi = -Infinity;
    for (const v of values) {
      if (Number.isFinite(v)) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
    const span = hi > lo ? hi - lo : 1;
    const miss = packRgb(MISSING);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      this.colors[i] = Number.isFinite(v) ? packRgb(ramp((v - lo) / span)) : miss;
    }
    const idx = new Uint32Array(values.length);
    for (let i = 0; i < idx.length; i++) idx[i] = i;
    const key = Float32Array.from(values, (v) => (Number.isFinite(v) ? v : -Infinity));
    this.order = idx.sort((a, b) => key[a] - key[b]);
    if (this.legend) {
      const fmt = (v) => (Number.isFinite(v) ? (Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3)) : 'n/a');
      this.legend.innerHTML = `<div class="legend-title">${esc(title)}</div>`
        + `<div class="ramp"></div><div class="ramp-labels"><span>${fmt(lo)}</span><span>${fmt(hi)}</span></div>`;
    }
    this.draw();
  }

  draw() {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.render();
    });
  }

  render() {
    const t0 = performance.now();
    const c = this.canvas;
    const dpr = window.devicePixelRatio || 1;
    const w = Math.max(1, Math.round(c.clientWidth * dpr));
    const h = Math.max(1, Math.round(c.clientHeight * dpr));
    if (c.width !== w || c.height !== h) {
      c.width = w;
      c.height = h;
    }
    const ctx = c.getContext('2d');
    const img = ctx.createImageData(w, h);
    const px = new Uint32Array(img.data.buffer);
    px.fill(0xffffffff);
    const s = this.view.scale * dpr;
    const ox = w / 2 - this.view.cx * s;
    const oy = h / 2 + this.view.cy * s;
    const zoom = Math.sqrt(this.view.scale / (this.baseScale || this.view.scale));
    const r = Math.max(1, Math.min(8, Math.round(dpr * (this.baseRadius || 2) * zoom)));
    const n = this.x.length;
    const order = this.order;
    for (let k = 0; k < n; k++) {
      const i = order ? order[k] : k;
      const xi = Math.round(this.x[i] * s + ox);
      const yi = Math.round(oy - this.y[i] * s);
      if (xi < 0 || yi < 0 || xi >= w - r || yi >= h - r) continue;
      const col = this.colors[i];
      for (let dy = 0; dy < r; dy++) {
        const row = (yi + dy) * w + xi;
        for (let dx = 0; dx < r; dx++) px[row + dx] = col;
      }
    }
    ctx.putImageData(img, 0, 0);
    // Exposed for the browser benchmark: how long the last full redraw took.
    c.dataset.renderMs = (performance.now() - t0).toFixed(1);
  }

  bindEvents() {
    const c = this.canvas;
    c.addEventListener('wheel', (e) => {
      e.preventDefault();
      const rect = c.getBoundingClientRect();
      const mx = e.clientX - rect.left - rect.width / 2;
      const my = e.clientY - rect.top - rect.height / 2;
      const f = Math.exp(-e.deltaY * 0.0015);
      // Keep the data point under the cursor where it is.
      const v = this.view;
      const dx = mx / v.scale;
      const dy = my / v.scale;
      v.cx += dx - dx / f;
      v.cy -= dy - dy / f;
      v.scale *= f;
      this.draw();
    }, { passive: false });
    let drag = null;
    c.addEventListener('mousedown', (e) => {
      drag = { x: e.clientX, y: e.clientY };
    });
    window.addEventListener('mousemove', (e) => {
      if (!drag) return;
      this.view.cx -= (e.clientX - drag.x) / this.view.scale;
      this.view.cy += (e.clientY - drag.y) / this.view.scale;
      drag = { x: e.clientX, y: e.clientY };
      this.draw();
    });
    window.addEventListener('mouseup', () => {
      drag = null;
    });
    c.addEventListener('dblclick', () => this.reset());
  }
}

export function esc(s) {
  return String(s ?? '').replace(/[&<>"']/g, (ch) => ({
    '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
  }[ch]));
}
