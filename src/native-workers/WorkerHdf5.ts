/**
 * HDF5 datasets a worker thread reads itself: the samples of an NWB ElectricalSeries (`data`,
 * time × channels), by row windows through h5wasm, which undoes chunking and compression. The
 * module (≈ 4 MB of WebAssembly) is loaded once per thread, and only when a dataset with HDF5
 * raw data reaches the thread (`loadHdf5` before the task runs).
 */
import type h5wasmModule from 'h5wasm/node';

type H5 = typeof h5wasmModule;

/** This thread's h5wasm once loaded (a worker thread is its own isolate: per-thread state). */
let lib: H5 | null = null;

/** Loads h5wasm in this thread (once). */
export async function loadHdf5(): Promise<void> {
  if (lib) return;
  const m = (await import('h5wasm/node')).default;
  const module = await m.ready;
  module.activate_throwing_error_handler();
  lib = m;
}

/** Whether {@link loadHdf5} has completed in this thread. */
export function hdf5Loaded(): boolean {
  return lib !== null;
}

/** A 2-d dataset read by rows, and its file to close. */
export interface Hdf5Rows {
  nRows: number;
  nColumns: number;
  /** Rows `[start, end)` of columns `[c0, c1)`, C order; 64-bit integers as float64. */
  readRows(start: number, end: number, c0: number, c1: number): ArrayLike<number>;
  close(): void;
}

/** Opens `dataset` of `file` read-only (h5wasm must be loaded). */
export function openHdf5Rows(file: string, dataset: string): Hdf5Rows {
  if (!lib) throw new Error('h5wasm is not loaded in this worker thread');
  const f = new lib.File(file, 'r');
  const d = f.get(dataset);
  if (!(d instanceof lib.Dataset) || (d.shape ?? []).length !== 2) {
    f.close();
    throw new Error(`${file}: ${dataset} is not a 2-d dataset`);
  }
  const [nRows, nColumns] = d.shape!;
  return {
    nRows,
    nColumns,
    readRows(start, end, c0, c1) {
      const v = d.slice([
        [start, end],
        [c0, c1],
      ]);
      if (v instanceof BigInt64Array || v instanceof BigUint64Array) return Float64Array.from(v, Number);
      return v as ArrayLike<number>;
    },
    close: () => f.close(),
  };
}
