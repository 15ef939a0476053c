// Minimal reader for the Arrow IPC streams the scgrn server sends: one schema, record batches of non-nullable
// float32 / int32 / float64 columns, no compression, no dictionaries. Reads the FlatBuffers metadata by hand so
// the UI needs no build step and no external library.

class Table {
  constructor(dv, pos) {
    this.dv = dv;
    this.pos = pos;
    this.vt = pos - dv.getInt32(pos, true);
    this.vtLen = dv.getUint16(this.vt, true);
  }
  off(field) {
    const o = 4 + 2 * field;
    return o < this.vtLen ? this.dv.getUint16(this.vt + o, true) : 0;
  }
  u8(field, dflt) {
    const o = this.off(field);
    return o ? this.dv.getUint8(this.pos + o) : dflt;
  }
  i16(field, dflt) {
    const o = this.off(field);
    return o ? this.dv.getInt16(this.pos + o, true) : dflt;
  }
  i32(field, dflt) {
    const o = this.off(field);
    return o ? this.dv.getInt32(this.pos + o, true) : dflt;
  }
  i64(field, dflt) {
    const o = this.off(field);
    return o ? Number(this.dv.getBigInt64(this.pos + o, true)) : dflt;
  }
  indirect(field) {
    const o = this.off(field);
    if (!o) return 0;
    const at = this.pos + o;
    return at + this.dv.getUint32(at, true);
  }
  table(field) {
    const p = this.indirect(field);
    return p ? new Table(this.dv, p) : null;
  }
  string(field) {
    const p = this.indirect(field);
    if (!p) return null;
    const n = this.dv.getUint32(p, true);
    return new TextDecoder().decode(new Uint8Array(this.dv.buffer, this.dv.byteOffset + p + 4, n));
  }
  /** Vector of tables. */
  tables(field) {
    const p = this.indirect(field);
    if (!p) return [];
    const n = this.dv.getUint32(p, true);
    const out = [];
    for (let i = 0; i < n; i++) {
      const at = p + 4 + 4 * i;
      out.push(new Table(this.dv, at + this.dv.getUint32(at, true)));
    }
    return out;
  }
  /** Vector of structs of `size` bytes: returns their start positions. */
  structs(field, size) {
    const p = this.indirect(field);
    if (!p) return [];
    const n = this.dv.getUint32(p, true);
    const out = [];
    for (let i = 0; i < n; i++) out.push(p + 4 + size * i);
    return out;
  }
}

function keyValues(t, field) {
  const meta = {};
  for (const kv of t.tables(field)) meta[kv.string(0)] = kv.string(1);
  return meta;
}

function readSchema(t) {
  const fields = t.tables(1).map((f) => {
    const typeType = f.u8(2, 0);
    const type = f.table(3);
    let kind;
    if (typeType === 2) kind = `int${type.i32(0, 32)}`;
    else if (typeType === 3) kind = ['float16', 'float32', 'float64'][type.i16(0, 0)];
    else kind = `unsupported(${typeType})`;
    return { name: f.string(0), kind, nullable: f.u8(1, 0) === 1, meta: keyValues(f, 6) };
  });
  return { fields, meta: keyValues(t, 2) };
}

const ARRAYS = { float32: Float32Array, float64: Float64Array, int32: Int32Array, int8: Int8Array, int16: Int16Array };

/**
 * Decodes an Arrow IPC stream.
 * @param {ArrayBuffer} buf
 * @returns {{meta: Object<string,string>, fields: Array, columns: Object<string, TypedArray>, rows: number}}
 */
export function readArrowStream(buf) {
  const dv = new DataView(buf);
  let pos = 0;
  let schema = null;
  const parts = {};
  let rows = 0;
  while (pos + 4 <= buf.byteLength) {
    let len = dv.getInt32(pos, true);
    pos += 4;
    if (len === -1) {
      len = dv.getInt32(pos, true);
      pos += 4;
    }
    if (len === 0) break;
    const start = pos;
    pos += len;
    const msg = new Table(dv, start + dv.getUint32(start, true));
    const headerType = msg.u8(1, 0);
    const header = msg.table(2);
    const bodyLength = msg.i64(3, 0);
    const body = pos;
    pos += bodyLength;
    if (headerType === 1) {
      schema = readSchema(header);
      for (const f of schema.fields) parts[f.name] = [];
    } else if (headerType === 3) {
      if (!schema) throw new Error('Arrow stream: record batch before schema');
      const n = header.i64(0, 0);
      const buffers = header.structs(2, 16);
      schema.fields.forEach((f, i) => {
        const Arr = ARRAYS[f.kind];
        if (!Arr) throw new Error(`Arrow stream: column ${f.name} has unsupported type ${f.kind}`);
        const b = buffers[2 * i + 1]; // [validity, data] per primitive column
        const off = Number(dv.getBigInt64(b, true));
        const bytes = n * Arr.BYTES_PER_ELEMENT;
        parts[f.name].push(new Arr(buf.slice(body + off, body + off + bytes)));
      });
      rows += n;
    } else if (headerType === 2) {
      throw new Error('Arrow stream: dictionary batches are not supported');
    }
  }
  if (!schema) throw new Error('Arrow stream: no schema');
  const columns = {};
  for (const f of schema.fields) {
    const chunks = parts[f.name];
    if (chunks.length === 1) {
      columns[f.name] = chunks[0];
    } else {
      const Arr = ARRAYS[f.kind];
      const all = new Arr(rows);
      let at = 0;
      for (const c of chunks) {
        all.set(c, at);
        at += c.length;
      }
      columns[f.name] = all;
    }
  }
  return { meta: schema.meta, fields: schema.fields, columns, rows };
}
