// Thin client of the scgrn HTTP API (/api/v1). The bearer token, when the server needs one, is asked once and
// kept in localStorage; EventSource streams and download links carry it as ?access_token=.
import { readArrowStream } from './arrow.js';

const BASE = '/api/v1';

export function token() {
  return localStorage.getItem('scgrn.token') || '';
}

function authHeaders() {
  const t = token();
  return t ? { Authorization: `Bearer ${t}` } : {};
}

/** Adds the token to a URL for places that cannot send headers (EventSource, <a download>). */
export function withToken(url) {
  const t = token();
  if (!t) return url;
  return url + (url.includes('?') ? '&' : '?') + 'access_token=' + encodeURIComponent(t);
}

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

// The first page load sends several requests at once; each would get a 401. They share one prompt: the first
// 401 asks, the others wait for its answer.
let pendingPrompt = null;

function askToken(rejected) {
  if (!pendingPrompt) {
    pendingPrompt = Promise.resolve().then(() => {
      // Another request may have stored a token while this one was in flight.
      if (token() && token() !== rejected) return token();
      const t = window.prompt('This scgrn server needs an access token:');
      if (t && t.trim()) localStorage.setItem('scgrn.token', t.trim());
      return t ? t.trim() : '';
    }).finally(() => { setTimeout(() => { pendingPrompt = null; }, 0); });
  }
  return pendingPrompt;
}

async function request(path, options = {}, retried = false) {
  const sent = token();
  const res = await fetch(BASE + path, { ...options, headers: { ...authHeaders(), ...(options.headers || {}) } });
  if (res.status === 401 && !retried) {
    const t = await askToken(sent);
    if (t) {
      return request(path, options, true);
    }
  }
  if (!res.ok) {
    let msg = `${res.status} ${res.statusText}`;
    try {
      const e = await res.json();
      if (e && e.error) msg = e.error;
    } catch (_) { /* not JSON */ }
    // 429: the server's queue is full; nothing was queued. Say when to try again.
    const wait = res.status === 429 ? res.headers.get('Retry-After') : null;
    if (wait) msg += ` (the server is busy: try again in ${wait} s)`;
    throw new ApiError(res.status, msg);
  }
  return res;
}

export async function getJson(path) {
  return (await request(path)).json();
}

export async function postJson(path, body) {
  const res = await request(path, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body || {}),
  });
  return res.json();
}

export async function del(path) {
  return (await request(path, { method: 'DELETE' })).json();
}

export async function getArrow(path) {
  const res = await request(path);
  return readArrowStream(await res.arrayBuffer());
}

export function url(path) {
  return withToken(BASE + path);
}

/**
 * Uploads a file as multipart field "file" with progress.
 * @param {File} file
 * @param {(fraction:number)=>void} onProgress
 * @returns {Promise<object>} the dataset's JSON
 */
export function upload(file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', BASE + '/datasets');
    const t = token();
    if (t) xhr.setRequestHeader('Authorization', `Bearer ${t}`);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch (_) { /* not JSON */ }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body);
      else reject(new ApiError(xhr.status, (body && body.error) || `upload failed (${xhr.status})`));
    };
    xhr.onerror = () => reject(new ApiError(0, 'upload failed: connection lost'));
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}
