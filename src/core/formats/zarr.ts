/**
 * Zarr v2 stores read through zarrita (manzt/zarrita.js; its codecs come from the `numcodecs`
 * npm package: blosc with zstd / lz4 / zlib, zstd, gzip, zlib, plus zarrita's own `delta`,
 * `json2`, `vlen-utf8`, `shuffle`). What is Zarr-specific stops here: an array is returned as the
 * bytes of an `.npy` file (header + C-order data), so the readers of `.npy` files read a Zarr
 * array unchanged.
 *
 * The store is any async key → bytes map ({@link ZarrStore}: zarrita's `AsyncReadable`, keys
 * `/a/b/.zarray`), so a local folder (`src/main/io/FolderZarrStore.ts`) and, later, an HTTP
 * range reader serve the same code. Hierarchy: the consolidated `.zmetadata`
 * (`zarr.consolidate_metadata`, written by every SpikeInterface ≥ 0.101.1 analyzer), else a walk
 * of the store's listing when it can list (a local folder).
 *
 * Zarr v2 spec: https://zarr-specs.readthedocs.io/en/latest/v2/v2.0.html (`.zarray`: `shape`,
 * `chunks`, `dtype` — a NumPy type string or, for structured types, a list of `[name, type]` —,
 * `compressor`, `filters`, `order`, `fill_value`, `dimension_separator`).
 */
import * as zarr from 'zarrita';
import { encodeNpyHeaderDescr } from './npyWrite';
import { encodeNpyStrings } from './npyText';
import { FormatError } from '../diagnostics';

/** An async key → bytes store (zarrita's `AsyncReadable`); keys are absolute (`/sorting/.zattrs`). */
export interface ZarrStore {
  /** Where the store is (a folder path, a URL), for messages. */
  readonly name: string;
  /** The bytes of `key`, or undefined when there is no such key. */
  get(key: `/${string}`): Promise<Uint8Array | undefined>;
  /** Optional: the entries directly under `prefix` (`/` or `/sorting/`), for stores without `.zmetadata`. */
  list?(prefix: string): Promise<string[]>;
}

/** A Zarr v2 array's `.zarray`. */
export interface ZarrArrayMeta {
  zarr_format: 2;
  shape: number[];
  chunks: number[];
  dtype: string | Array<[string, string] | [string, string, number[]]>;
  compressor: { id: string } | null;
  filters: Array<{ id: string }> | null;
  order: 'C' | 'F';
  fill_value: unknown;
  dimension_separator?: '.' | '/';
}

/** One group or array of the hierarchy. */
export interface ZarrNode {
  /** Path without leading or trailing slash (`''` for the root, `sorting/spikes`). */
  path: string;
  kind: 'group' | 'array';
  attrs: Record<string, unknown>;
  /** `.zarray` of an array. */
  meta?: ZarrArrayMeta;
}

/**
 * numcodecs' Blosc `decode` returns an empty buffer, without an error, for bytes that are not a
 * Blosc frame (a truncated or overwritten chunk), which zarrita would then show as zeros. Checked
 * here: a frame is at least 16 bytes and decodes to the size its header gives (bytes 4–7,
 * little-endian `nbytes`, c-blosc `blosc.h`).
 */
function checkedBlosc(entry: Awaited<ReturnType<NonNullable<ReturnType<typeof zarr.registry.get>>>>): typeof entry {
  return {
    ...entry,
    fromConfig(config, meta) {
      const codec = entry.fromConfig(config, meta) as unknown as { decode(b: Uint8Array): Promise<Uint8Array> };
      const decode = codec.decode.bind(codec);
      codec.decode = async (b: Uint8Array) => {
        const nbytes = b.length >= 16 ? (b[4] | (b[5] << 8) | (b[6] << 16) | (b[7] << 24)) >>> 0 : -1;
        const out = nbytes >= 0 ? await decode(b) : null;
        if (!out || out.length !== nbytes) throw new Error(`not a Blosc frame (${b.length} bytes${out ? `, decoded to ${out.length} of ${nbytes}` : ''})`);
        return out;
      };
      return codec as unknown as ReturnType<typeof entry.fromConfig>;
    },
  };
}
for (const name of ['numcodecs.blosc', 'blosc']) {
  const load = zarr.registry.get(name);
  if (load) zarr.registry.set(name, async () => checkedBlosc(await load()));
}

const text = new TextDecoder();
const utf8 = new TextEncoder();

function parseJson(bytes: Uint8Array, what: string, store: string): unknown {
  try {
    // Python writes NaN / Infinity in attributes (json.dumps allows them).
    return JSON.parse(text.decode(bytes).replace(/("(?:[^"\\]|\\.)*")|-?\b(?:NaN|Infinity)\b/g, (m, s: string | undefined) => s ?? 'null'));
  } catch (e) {
    throw new FormatError(`${store}/${what}`, 'zarr.metadata', `not readable as JSON (${(e as Error).message})`);
  }
}

const key = (path: string, name: string): `/${string}` => `/${path ? `${path}/` : ''}${name}`;

/** A Zarr v2 hierarchy: every group and array with its attributes, from `.zmetadata` or a walk. */
export class ZarrHierarchy {
  private constructor(
    readonly store: ZarrStore,
    readonly nodes: Map<string, ZarrNode>,
    /** True when read from `.zmetadata`. */
    readonly consolidated: boolean,
  ) {}

  /**
   * Reads the hierarchy of `store`.
   * @throws FormatError when the store is no Zarr v2 group (a v3 `zarr.json` is named as such)
   */
  static async open(store: ZarrStore): Promise<ZarrHierarchy> {
    const nodes = new Map<string, ZarrNode>();
    const consolidated = await store.get('/.zmetadata');
    if (consolidated) {
      const c = parseJson(consolidated, '.zmetadata', store.name) as { metadata?: Record<string, unknown> };
      const meta = c?.metadata;
      if (!meta || typeof meta !== 'object') throw new FormatError(`${store.name}/.zmetadata`, 'zarr.metadata', 'no "metadata" object (not consolidated Zarr v2 metadata)');
      for (const [k, v] of Object.entries(meta)) {
        const m = /^(?:(.*)\/)?(\.zgroup|\.zarray|\.zattrs)$/.exec(k);
        if (!m) continue;
        const path = m[1] ?? '';
        const node = nodes.get(path) ?? { path, kind: 'group', attrs: {} };
        if (m[2] === '.zarray') {
          node.kind = 'array';
          node.meta = v as ZarrArrayMeta;
        } else if (m[2] === '.zattrs') node.attrs = (v ?? {}) as Record<string, unknown>;
        nodes.set(path, node);
      }
      if (!nodes.has('')) throw new FormatError(`${store.name}/.zmetadata`, 'zarr.metadata', 'the consolidated metadata has no root group');
      return new ZarrHierarchy(store, nodes, true);
    }
    if (!(await store.get('/.zgroup'))) {
      if (await store.get('/zarr.json')) throw new FormatError(store.name, 'zarr.v3', 'a Zarr v3 store (zarr.json); SpikeInterface writes Zarr v2 (zarr < 3), which is what spikedock reads');
      throw new FormatError(store.name, 'zarr.notZarr', 'not a Zarr v2 group (no .zgroup or .zmetadata)');
    }
    if (!store.list) throw new FormatError(store.name, 'zarr.notConsolidated', 'the store has no consolidated metadata (.zmetadata) and cannot be listed; consolidate it with zarr.consolidate_metadata');
    const walk = async (path: string, depth: number): Promise<void> => {
      const attrs = await store.get(key(path, '.zattrs'));
      const arr = await store.get(key(path, '.zarray'));
      const node: ZarrNode = { path, kind: arr ? 'array' : 'group', attrs: attrs ? (parseJson(attrs, key(path, '.zattrs'), store.name) as Record<string, unknown>) : {} };
      if (arr) node.meta = parseJson(arr, key(path, '.zarray'), store.name) as ZarrArrayMeta;
      nodes.set(path, node);
      if (arr || depth > 16) return;
      for (const name of await store.list!(key(path, ''))) {
        if (name.startsWith('.')) continue;
        const child = path ? `${path}/${name}` : name;
        if ((await store.get(key(child, '.zgroup'))) || (await store.get(key(child, '.zarray')))) await walk(child, depth + 1);
      }
    };
    await walk('', 0);
    return new ZarrHierarchy(store, nodes, false);
  }

  /** The node at `path`, or undefined. */
  node(path: string): ZarrNode | undefined {
    return this.nodes.get(path);
  }

  /** Names of the direct children of group `path`, sorted. */
  children(path: string): string[] {
    const prefix = path ? `${path}/` : '';
    const out: string[] = [];
    for (const p of this.nodes.keys()) if (p.startsWith(prefix) && p.length > prefix.length && !p.slice(prefix.length).includes('/')) out.push(p.slice(prefix.length));
    return out.sort();
  }

  /**
   * The store as zarrita reads it: `.zarray` / `.zattrs` from the consolidated metadata, and a
   * structured (record) array presented as 1-D `|u1` bytes (zarrita has no record types; the
   * records are re-assembled as an `.npy` by {@link readZarrArrayAsNpy}).
   */
  private zarritaStore(): zarr.AsyncReadable {
    const get = async (k: `/${string}`): Promise<Uint8Array | undefined> => {
      const m = /^\/(?:(.*)\/)?(\.zarray|\.zattrs|\.zgroup)$/.exec(k);
      const node = m ? this.nodes.get(m[1] ?? '') : undefined;
      if (m && node) {
        if (m[2] === '.zattrs') return utf8.encode(JSON.stringify(node.attrs));
        if (m[2] === '.zgroup') return node.kind === 'group' ? utf8.encode('{"zarr_format":2}') : undefined;
        if (node.kind !== 'array') return undefined;
        const meta = node.meta!;
        if (Array.isArray(meta.dtype)) {
          const size = recordSize(meta.dtype);
          return utf8.encode(JSON.stringify({ ...meta, dtype: '|u1', shape: [meta.shape[0] * size], chunks: [meta.chunks[0] * size], fill_value: null }));
        }
        return utf8.encode(JSON.stringify(meta));
      }
      return this.store.get(k);
    };
    return { get };
  }

  /**
   * The array at `path` as the bytes of an `.npy` file (`shared`: in a SharedArrayBuffer, so
   * worker threads read it without a copy). Numbers and booleans keep their type; fixed-width
   * strings (`<U`, `|S`) become `<U`; records keep their fields. Object arrays (`|O`) are not
   * `.npy` material: see {@link readZarrObject}.
   * @throws FormatError naming the array when it cannot be decoded
   */
  async readArrayAsNpy(path: string, shared: boolean): Promise<Uint8Array> {
    const node = this.nodes.get(path);
    const where = `${this.store.name}/${path}`;
    if (!node?.meta) throw new FormatError(where, 'zarr.missing', 'no such array');
    const meta = node.meta;
    if (meta.dtype === '|O') throw new FormatError(where, 'zarr.dtype', 'an object array (read with readZarrObject)');
    if (Array.isArray(meta.dtype) && meta.shape.length !== 1) throw new FormatError(where, 'zarr.dtype', `a ${meta.shape.length}-d record array (only 1-d ones are read)`);
    let chunk: zarr.Chunk<zarr.DataType>;
    try {
      const arr = await zarr.open.v2(new zarr.Location(this.zarritaStore(), `/${path}`), { kind: 'array' });
      chunk = await zarr.get(arr);
    } catch (e) {
      throw new FormatError(where, 'zarr.decode', `cannot be decoded (${(e as Error).message})`);
    }
    if (chunk.stride.length > 1 && chunk.stride[chunk.stride.length - 1] !== 1) throw new FormatError(where, 'zarr.order', 'stored in Fortran order, which is not read');
    const data = chunk.data as unknown;
    if (data instanceof zarr.UnicodeStringArray || data instanceof zarr.ByteStringArray) {
      if (meta.shape.length !== 1) throw new FormatError(where, 'zarr.dtype', 'a string array of more than one dimension');
      const values: string[] = [];
      for (let i = 0; i < data.length; i++) values.push(data.get(i));
      return encodeNpyStrings(values);
    }
    let body: Uint8Array;
    let descr: string;
    if (data instanceof zarr.BoolArray) {
      body = new Uint8Array(data.buffer, 0, data.length);
      descr = "'|b1'";
    } else if (ArrayBuffer.isView(data)) {
      body = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      descr = Array.isArray(meta.dtype) ? pythonDescr(meta.dtype) : `'${littleEndian(meta.dtype)}'`;
    } else throw new FormatError(where, 'zarr.dtype', `dtype ${JSON.stringify(meta.dtype)} is not read`);
    const shape = Array.isArray(meta.dtype) ? [meta.shape[0]] : meta.shape;
    const header = encodeNpyHeaderDescr(descr, shape);
    const out = new Uint8Array(shared && typeof SharedArrayBuffer !== 'undefined' ? new SharedArrayBuffer(header.length + body.length) : new ArrayBuffer(header.length + body.length));
    out.set(header, 0);
    out.set(body, header.length);
    return out;
  }

  /**
   * The first element of a 1-element object array written with the `json2` codec
   * (SpikeInterface's `_write_object_array(..., codec="json")`: dicts, provenance), or
   * `'pickle'` when it was written with the `pickle` codec (not read).
   * @throws FormatError naming the array when it cannot be decoded
   */
  async readZarrObject(path: string): Promise<unknown> {
    const node = this.nodes.get(path);
    const where = `${this.store.name}/${path}`;
    if (!node?.meta) throw new FormatError(where, 'zarr.missing', 'no such array');
    const codec = node.meta.filters?.[0]?.id;
    if (codec === 'pickle') return 'pickle';
    if (node.meta.dtype !== '|O' || (codec !== 'json2' && codec !== 'json')) throw new FormatError(where, 'zarr.dtype', `not a JSON object array (dtype ${JSON.stringify(node.meta.dtype)}, codec ${codec ?? 'none'})`);
    // numcodecs' JSON codec writes [item, ..., dtype, shape] (numcodecs/json.py `encode`); Python's
    // NaN tokens are read as null, which JSON.parse alone refuses.
    const raw = await this.store.get(key(path, '0'));
    if (!raw) throw new FormatError(where, 'zarr.missing', 'its chunk 0 is missing');
    try {
      let bytes = raw;
      if (node.meta.compressor) {
        const entry = await zarr.registry.get(`numcodecs.${node.meta.compressor.id}`)?.();
        if (!entry) throw new Error(`unknown compressor ${node.meta.compressor.id}`);
        const { id: _id, ...config } = node.meta.compressor;
        const c = entry.fromConfig(config, { dataType: 'uint8', shape: [raw.length], codecs: [], fillValue: null }) as unknown as { decode(b: Uint8Array): Promise<Uint8Array> };
        bytes = await c.decode(raw);
      }
      const items = parseJson(bytes, path, this.store.name);
      if (!Array.isArray(items) || items.length < 3) throw new Error('not a numcodecs JSON list');
      return items[0];
    } catch (e) {
      if (e instanceof FormatError) throw e;
      throw new FormatError(where, 'zarr.decode', `cannot be decoded (${(e as Error).message})`);
    }
  }
}

/** Bytes of one record of a structured dtype (`[["x", "<f8"], ...]`). */
function recordSize(fields: ReadonlyArray<readonly [string, string, ...unknown[]]>): number {
  let n = 0;
  for (const f of fields) {
    const m = /(\d+)$/.exec(f[1]);
    const count = Array.isArray(f[2]) ? (f[2] as number[]).reduce((a, b) => a * b, 1) : 1;
    n += (m ? Number(m[1]) : 1) * (f[1].slice(1, 2) === 'U' ? 4 : 1) * count;
  }
  return n;
}

/** A structured dtype as NumPy writes it in an `.npy` header (`[('x', '<f8'), ('y', '<f8')]`). */
function pythonDescr(fields: ReadonlyArray<readonly [string, string, ...unknown[]]>): string {
  return `[${fields.map((f) => `('${f[0]}', '${f[1]}'${Array.isArray(f[2]) ? `, (${(f[2] as number[]).join(', ')}${(f[2] as number[]).length === 1 ? ',' : ''})` : ''})`).join(', ')}]`;
}

/** zarrita returns numbers in the platform's (little-endian) order whatever the stored order. */
function littleEndian(dtype: string): string {
  return dtype.startsWith('>') ? `<${dtype.slice(1)}` : dtype;
}
