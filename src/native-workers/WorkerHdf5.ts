/**
 * HDF5 datasets a worker thread reads itself: the samples of an NWB ElectricalSeries (`data`,
 * time × channels), by row windows through h5wasm, which undoes chunking and compression. The
 * module (≈ 4 MB of WebAssembly) is loaded once per thread, and only when a dataset with HDF5
 * raw data reaches the thread (`loadHdf5` before the task runs).
 *
 * A remote file (issue #15 slice 5) is read with h5wasm's web build (Emscripten's in-memory file
 * system, where the file is mounted: `core/formats/emscriptenFile.ts`), its blocks fetched by a
 * helper thread of this thread (`rangeFetcher.mjs`, beside this bundle) through the on-disk
 * cache every thread and process shares — as the main process reads it (`main/io/remoteSource.ts`).
 */
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type h5wasmModule from 'h5wasm/node';
import type { RemoteFileSpec } from '../core/formats/BlockByteSource';
import { mountByteSource, type EmscriptenFS } from '../core/formats/emscriptenFile';
import { helperBlockSource } from '../shared/rangeProtocol';

type H5 = typeof h5wasmModule;

/** This thread's h5wasm builds once loaded (a worker thread is its own isolate: per-thread state). */
let lib: H5 | null = null;
let webLib: { lib: H5; FS: EmscriptenFS } | null = null;

/** Loads h5wasm in this thread (once): the Node build for local files, the web build for remote ones. */
export async function loadHdf5(remote = false): Promise<void> {
  if (remote) {
    if (webLib) return;
    const m = (await import('h5wasm')).default as unknown as H5;
    const module = await m.ready;
    module.activate_throwing_error_handler();
    webLib = { lib: m, FS: module.FS as unknown as EmscriptenFS };
    return;
  }
  if (lib) return;
  const m = (await import('h5wasm/node')).default;
  const module = await m.ready;
  module.activate_throwing_error_handler();
  lib = m;
}

/** Whether {@link loadHdf5} has completed in this thread (for a remote file: its web build). */
export function hdf5Loaded(remote = false): boolean {
  return remote ? webLib !== null : lib !== null;
}

/** A 2-d dataset read by rows, and its file to close. */
export interface Hdf5Rows {
  nRows: number;
  nColumns: number;
  /** Rows `[start, end)` of columns `[c0, c1)`, C order; 64-bit integers as float64. */
  readRows(start: number, end: number, c0: number, c1: number): ArrayLike<number>;
  close(): void;
}

/** A remote file mounted in the web build's file system, and what failed last while reading it. */
function mountRemote(spec: RemoteFileSpec): { path: string; lastError: () => unknown; release: () => void } {
  if (!webLib) throw new Error('h5wasm (web build) is not loaded in this worker thread');
  const { FS } = webLib;
  const file = new URL('./rangeFetcher.mjs', import.meta.url);
  // A helper that cannot start would leave this thread waiting for its backstop timeout.
  if (!existsSync(file)) throw new Error(`${spec.url}: the helper thread of remote files (${file.pathname}) is missing beside the worker bundle`);
  const helper = new Worker(file, { name: 'spikedock range fetcher' });
  helper.unref();
  const source = helperBlockSource(spec, (req) => helper.postMessage(req), () => void helper.terminate());
  let error: unknown = null;
  let path = '';
  for (let i = 0; !path; i++) if (!FS.analyzePath(`/remote/source-${i}.h5`).exists) path = mountByteSource(FS, '/remote', `source-${i}.h5`, source, (e) => (error = e));
  return {
    path,
    lastError: () => {
      const e = error;
      error = null;
      return e;
    },
    release: () => {
      FS.unlink(path);
      source.close();
    },
  };
}

/**
 * Opens `dataset` of `file` read-only (h5wasm must be loaded); a remote file when `remote` is
 * given (`file` is then its URL, used in messages).
 */
export function openHdf5Rows(file: string, dataset: string, remote?: RemoteFileSpec): Hdf5Rows {
  const mounted = remote ? mountRemote(remote) : null;
  const h5 = mounted ? webLib!.lib : lib;
  if (!h5) throw new Error('h5wasm is not loaded in this worker thread');
  /** The remote read error behind an HDF5 failure (its message names the URL), else the failure. */
  const failure = (e: unknown) => {
    const cause = mounted?.lastError();
    return cause instanceof Error ? cause : e;
  };
  let f: InstanceType<H5['File']>;
  try {
    f = new h5.File(mounted ? mounted.path : file, 'r');
  } catch (e) {
    mounted?.release();
    throw failure(e);
  }
  const close = () => {
    try {
      f.close();
    } finally {
      mounted?.release();
    }
  };
  const d = f.get(dataset);
  if (!(d instanceof h5.Dataset) || (d.shape ?? []).length !== 2) {
    close();
    throw new Error(`${file}: ${dataset} is not a 2-d dataset`);
  }
  const [nRows, nColumns] = d.shape!;
  return {
    nRows,
    nColumns,
    readRows(start, end, c0, c1) {
      let v: unknown;
      try {
        v = d.slice([
          [start, end],
          [c0, c1],
        ]);
      } catch (e) {
        throw failure(e);
      }
      if (v instanceof BigInt64Array || v instanceof BigUint64Array) return Float64Array.from(v, Number);
      return v as ArrayLike<number>;
    },
    close,
  };
}
