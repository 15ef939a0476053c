// Training loss per epoch on a canvas (log-scaled y when the loss spans more than a factor of 20).

export function drawLoss(canvas, points) {
  const dpr = window.devicePixelRatio || 1;
  const w = Math.max(1, Math.round(canvas.clientWidth * dpr));
  const h = Math.max(1, Math.round(canvas.clientHeight * dpr));
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d');
  ctx.clearRect(0, 0, w, h);
  const pts = points.filter((p) => Number.isFinite(p[0]) && Number.isFinite(p[1]));
  ctx.fillStyle = '#666';
  ctx.font = `${12 * dpr}px sans-serif`;
  if (pts.length === 0) {
    ctx.fillText('no training epochs reported (this model has no training loop)', 10 * dpr, h / 2);
    return;
  }
  let x0 = Infinity; let x1 = -Infinity; let y0 = Infinity; let y1 = -Infinity;
  for (const [x, y] of pts) {
    x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
  }
  const log = y0 > 0 && y1 / y0 > 20;
  const fy = (v) => (log ? Math.log10(v) : v);
  const ly0 = fy(y0); const ly1 = fy(y1);
  const pad = 40 * dpr;
  const sx = (x) => pad + ((x - x0) / ((x1 - x0) || 1)) * (w - 2 * pad);
  const sy = (y) => h - pad - ((fy(y) - ly0) / ((ly1 - ly0) || 1)) * (h - 2 * pad);
  ctx.strokeStyle = '#bbb';
  ctx.beginPath();
  ctx.moveTo(pad, pad / 2);
  ctx.lineTo(pad, h - pad);
  ctx.lineTo(w - pad / 2, h - pad);
  ctx.stroke();
  ctx.fillText(`loss${log ? ' (log)' : ''}  ${y1.toPrecision(3)}`, pad + 4, pad / 2 + 10 * dpr);
  ctx.fillText(y0.toPrecision(3), pad + 4, h - pad - 4);
  ctx.fillText(`epoch ${x1}`, w - pad - 60 * dpr, h - pad / 3);
  ctx.strokeStyle = '#d62728';
  ctx.lineWidth = 2 * dpr;
  ctx.beginPath();
  pts.forEach(([x, y], i) => (i ? ctx.lineTo(sx(x), sy(y)) : ctx.moveTo(sx(x), sy(y))));
  ctx.stroke();
}
