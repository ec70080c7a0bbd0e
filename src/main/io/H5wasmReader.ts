/**
 * The core {@link Hdf5Reader} over h5wasm (HDF5 compiled to WebAssembly). The Node build of
 * h5wasm reads real paths directly (NODERAWFS), so a `.kwx` of any size is paged by HDF5 itself
 * and only the rows asked for are read.
 *
 * h5wasm prints HDF5's error stack to stderr unless its throwing handler is on; we turn it on so
 * a corrupt file becomes one {@link FormatError} naming the file, not a page of `HDF5-DIAG`.
 */
import * as fs from 'node:fs';
import { openRegularFile } from './FileByteSource';
import type h5wasmModule from 'h5wasm/node';
import type { Dataset as H5Dataset, Group as H5Group } from 'h5wasm/node';
import { FormatError } from '../../core/diagnostics';
import type { ByteSource } from '../../core/formats/ByteSource';
import { mountByteSource, type EmscriptenFS } from '../../core/formats/emscriptenFile';
import type { Hdf5DatasetInfo, Hdf5Opener, Hdf5Reader, Hdf5Value } from '../../core/formats/hdf5';
import type { NumericArray } from '../../core/formats/npy';

const TWO53 = 2 ** 53;

/**
 * The h5wasm module, imported on first use: importing it compiles ≈ 4 MB of WebAssembly, which
 * would compete for both cores with the opening of every template folder that never needs it.
 */
type H5Lib = typeof h5wasmModule;
type H5File = InstanceType<H5Lib['File']>;

/** The innermost reason of an HDF5 error stack (`file signature not found`). */
function hdf5Reason(e: unknown): string {
  const text = String((e as Error)?.message ?? e);
  const lines = text.split('\n').filter((l) => /#\d+:/.test(l));
  const last = lines[lines.length - 1];
  const m = last ? /\):\s*(.+)$/.exec(last) : null;
  return (m ? m[1] : text.split('\n')[0]).trim();
}

/** Converts 64-bit integer arrays (and bigints) to exact JS numbers; throws past 2^53. */
function toNumeric(v: unknown, file: string, what: string): NumericArray {
  if (v instanceof BigInt64Array || v instanceof BigUint64Array) {
    const out = new Float64Array(v.length);
    for (let i = 0; i < v.length; i++) {
      const x = Number(v[i]);
      if (x > TWO53 || x < -TWO53) throw new FormatError(file, 'hdf5.inexact', `${what}: 64-bit value at index ${i} exceeds 2^53 and cannot be represented exactly`);
      out[i] = x;
    }
    return out;
  }
  if (
    v instanceof Int8Array ||
    v instanceof Uint8Array ||
    v instanceof Int16Array ||
    v instanceof Uint16Array ||
    v instanceof Int32Array ||
    v instanceof Uint32Array ||
    v instanceof Float32Array ||
    v instanceof Float64Array
  ) {
    return v;
  }
  if (typeof v === 'number' || typeof v === 'bigint') return Float64Array.of(Number(v));
  throw new FormatError(file, 'hdf5.notNumeric', `${what} is not a numeric dataset`);
}

function plain(v: unknown, file: string, what: string): Hdf5Value {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) {
    if (v.length === 1 && (typeof v[0] === 'string' || typeof v[0] === 'number')) return v[0];
    if (v.every((x) => typeof x === 'string')) return v as string[];
    if (v.every((x) => typeof x === 'number' || typeof x === 'bigint')) return v.map(Number);
    return null;
  }
  if (ArrayBuffer.isView(v)) {
    const a = toNumeric(v, file, what);
    return a.length === 1 ? a[0] : a;
  }
  return null;
}

/** A file read through a {@link ByteSource} (a remote file): what the reader must release, and the source's last failure. */
interface SourceFile {
  /** The source's error behind the last failed read (the library only sees EIO). */
  error: unknown;
  release(): void;
}

export class H5wasmReader implements Hdf5Reader {
  private h5: InstanceType<H5Lib['File']> | null;

  private constructor(
    readonly file: string,
    h5: InstanceType<H5Lib['File']>,
    private readonly lib: H5Lib,
    private readonly source: SourceFile | null = null,
  ) {
    this.h5 = h5;
  }

  /**
   * The opener of a file whose bytes come from `source` (a remote file read by HTTP range
   * requests), with h5wasm's web build: the Node build reads real paths only (NODERAWFS), the web
   * build has Emscripten's in-memory file system, where `source` is mounted as a file
   * (`core/formats/emscriptenFile.ts`). The path given to the opener names the file in messages;
   * closing the reader closes `source`.
   */
  static async sourceOpener(source: ByteSource & { close(): void }): Promise<Hdf5Opener> {
    const lib = (await import('h5wasm')).default as unknown as H5Lib;
    const module = await lib.ready;
    module.activate_throwing_error_handler();
    return (name: string) => H5wasmReader.openSource(name, lib, module.FS as unknown as EmscriptenFS, source);
  }

  private static openSource(name: string, lib: H5Lib, FS: EmscriptenFS, source: ByteSource & { close(): void }): H5wasmReader {
    const state: SourceFile = { error: null, release: () => undefined };
    let mounted = '';
    for (let i = 0; !mounted; i++) {
      const file = `source-${i}.h5`;
      if (!FS.analyzePath(`/remote/${file}`).exists) mounted = mountByteSource(FS, '/remote', file, source, (e) => (state.error = e));
    }
    state.release = () => {
      FS.unlink(mounted);
      source.close();
    };
    try {
      return new H5wasmReader(name, new lib.File(mounted, 'r'), lib, state);
    } catch (e) {
      state.release();
      if (state.error) throw H5wasmReader.sourceFailure(name, state.error);
      const reason = hdf5Reason(e);
      if (/signature not found/i.test(reason)) throw new FormatError(name, 'hdf5.notHdf5', 'not an HDF5 file (no HDF5 signature): the URL does not point at an NWB (HDF5) file');
      throw new FormatError(name, 'hdf5.corrupt', `unreadable HDF5 file (${reason})`);
    }
  }

  /** The source's error as a FormatError naming the file (its message already names the URL). */
  private static sourceFailure(name: string, e: unknown): FormatError {
    if (e instanceof FormatError) return e;
    const message = e instanceof Error ? e.message : String(e);
    return new FormatError(message.startsWith(name) ? '' : name, 'remote.read', message);
  }

  /** A read failed: the source's own error when it caused it (once), else HDF5's reason. */
  private failure(path: string, err: unknown): FormatError {
    const cause = this.source?.error;
    if (this.source && cause) {
      this.source.error = null;
      return H5wasmReader.sourceFailure(this.file, cause);
    }
    return new FormatError(this.file, 'hdf5.corrupt', `${path}: ${hdf5Reason(err)}`);
  }

  /**
   * Loads h5wasm (once per process; later calls reuse the module) and returns the opener the
   * Kwik loader takes.
   */
  static async opener(): Promise<Hdf5Opener> {
    const lib = (await import('h5wasm/node')).default;
    const module = await lib.ready;
    module.activate_throwing_error_handler();
    return (path: string) => H5wasmReader.open(path, lib);
  }

  /** Opens `path` read-only with the module `opener()` loaded. Throws a FormatError naming the file. */
  private static open(path: string, lib: H5Lib): H5wasmReader {
    // h5wasm opens by path and would wait forever on a FIFO: refuse anything but a regular file.
    if (fs.existsSync(path)) fs.closeSync(openRegularFile(path).fd);
    try {
      return new H5wasmReader(path, new lib.File(path, 'r'), lib);
    } catch (e) {
      const reason = hdf5Reason(e);
      if (/signature not found/i.test(reason)) throw new FormatError(path, 'hdf5.notHdf5', 'not an HDF5 file (no HDF5 signature): the file is corrupt or not a Kwik file');
      if (/no such file/i.test(reason)) throw new FormatError(path, 'file.missing', 'file not found');
      if (/permission/i.test(reason)) throw new FormatError(path, 'file.unreadable', 'permission denied: the file cannot be read');
      throw new FormatError(path, 'hdf5.corrupt', `unreadable HDF5 file (${reason})`);
    }
  }

  private f(): InstanceType<H5Lib['File']> {
    if (!this.h5) throw new Error(`${this.file}: read after close`);
    return this.h5;
  }

  private entity(path: string): H5Group | H5Dataset | null {
    try {
      const e = path === '/' ? this.f() : this.f().get(path);
      if (e instanceof this.lib.Group || e instanceof this.lib.Dataset) return e;
      return null;
    } catch (e) {
      if ((e as Error)?.message?.endsWith('read after close')) throw e;
      // A remote read that failed is not "nothing there": say what failed.
      if (this.source?.error) throw this.failure(path, e);
      return null;
    }
  }

  kind(path: string): 'group' | 'dataset' | null {
    const e = this.entity(path);
    return e instanceof this.lib.Dataset ? 'dataset' : e ? 'group' : null;
  }

  keys(path: string): string[] {
    const e = this.entity(path);
    return e instanceof this.lib.Group ? e.keys() : [];
  }

  attrNames(path: string): string[] {
    const e = this.entity(path);
    return e ? Object.keys(e.attrs) : [];
  }

  attr(path: string, name: string): Hdf5Value | undefined {
    const e = this.entity(path);
    if (!e) return undefined;
    const a = e.attrs[name];
    if (!a) return undefined;
    try {
      return plain(a.value, this.file, `${path} attribute ${name}`);
    } catch (err) {
      if (err instanceof FormatError) throw err;
      throw this.failure(`${path} attribute ${name}`, err);
    }
  }

  info(path: string): Hdf5DatasetInfo | null {
    const e = this.entity(path);
    if (!(e instanceof this.lib.Dataset)) return null;
    const m = e.metadata;
    let dtype = 'other';
    if (m.type === 0) dtype = `${m.signed ? 'int' : 'uint'}${m.size * 8}`;
    else if (m.type === 1) dtype = `float${m.size * 8}`;
    else if (m.type === 3) dtype = 'string';
    else if (m.type === 7 && (m as { ref_type?: string }).ref_type === 'region') dtype = 'regionref';
    return { shape: (e.shape ?? []).slice(), dtype };
  }

  read(path: string, rows?: { start: number; end: number }, cols?: { start: number; end: number }): NumericArray {
    const e = this.entity(path);
    if (!(e instanceof this.lib.Dataset)) throw new FormatError(this.file, 'hdf5.missing', `${path} is not a dataset`);
    let v: unknown;
    try {
      v = rows ? e.slice(cols ? [[rows.start, rows.end], [cols.start, cols.end]] : [[rows.start, rows.end]]) : e.value;
    } catch (err) {
      throw this.failure(path, err);
    }
    return toNumeric(v, this.file, path);
  }

  readStrings(path: string): string[] {
    const e = this.entity(path);
    if (!(e instanceof this.lib.Dataset)) throw new FormatError(this.file, 'hdf5.missing', `${path} is not a dataset`);
    let v: unknown;
    try {
      v = e.value;
    } catch (err) {
      throw this.failure(path, err);
    }
    if (typeof v === 'string') return [v];
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
    throw new FormatError(this.file, 'hdf5.notText', `${path} is not a text dataset`);
  }

  readRegions(path: string): NumericArray[] {
    const e = this.entity(path);
    if (!(e instanceof this.lib.Dataset)) throw new FormatError(this.file, 'hdf5.missing', `${path} is not a dataset`);
    try {
      const refs = e.value;
      if (!Array.isArray(refs)) throw new Error('not a list of references');
      return refs.map((r, i) => {
        const region = this.f().dereference(r as Parameters<H5File['dereference']>[0]);
        if (!(region instanceof this.lib.DatasetRegion)) throw new Error(`element ${i} is not a region reference`);
        return toNumeric(region.value, this.file, `${path}[${i}]`);
      });
    } catch (err) {
      if (err instanceof FormatError) throw err;
      throw this.failure(path, err);
    }
  }

  close(): void {
    if (!this.h5) return;
    try {
      this.h5.close();
    } finally {
      this.h5 = null;
      this.source?.release();
    }
  }
}
