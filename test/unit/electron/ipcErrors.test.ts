import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyError } from '../../../electron/ipcErrors';
import { FormatError } from '../../../src/core/diagnostics';
import { DatasetOpenError } from '../../../src/core/dataset/DatasetOpenError';
import { AbortError } from '../../../src/main/compute/WorkerPool';
import { resolveDatasetPath } from '../../../src/main/openDataset';

const LOG = '/home/me/.local/share/spikedock/logs/spikedock.log';
const thrown = (f: () => unknown): unknown => {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
};

describe('classifyError', () => {
  it('reports a cancelled call as aborted, whatever the error', () => {
    expect(classifyError(new Error('whatever'), true, LOG)).toEqual({ error: { message: 'aborted', code: 'aborted' }, internal: false });
    expect(classifyError(new AbortError(), false, LOG).error.code).toBe('aborted');
  });

  it('passes messages meant for the user through, with their code', () => {
    const notADataset = thrown(() => resolveDatasetPath('/no/such/dataset'));
    expect(classifyError(notADataset, false, LOG)).toEqual({
      error: { message: expect.stringMatching(/^\/no\/such\/dataset: no such file or folder; expected/), code: 'error' },
      internal: false,
    });
    const format = new FormatError('/d/spike_times.npy', 'npy.truncated', 'the file ends before its header says');
    expect(classifyError(format, false, LOG)).toEqual({ error: { message: '/d/spike_times.npy: the file ends before its header says', code: 'npy.truncated' }, internal: false });
    const open = new DatasetOpenError([{ severity: 'fatal', code: 'params.missing', file: '/d/params.py', message: 'params.py not found' }]);
    expect(classifyError(open, false, LOG).error.code).toBe('params.missing');
  });

  it('names the path of a file system error plainly', () => {
    const e = thrown(() => readFileSync('/no/such/file.npy'));
    expect(classifyError(e, false, LOG)).toEqual({ error: { message: '/no/such/file.npy: no such file or folder', code: 'ENOENT' }, internal: false });
  });

  it('flags anything else as internal, pointing at the log instead of showing a stack', () => {
    const e = thrown(() => (null as unknown as { x: number }).x);
    const r = classifyError(e, false, LOG);
    expect(r.internal).toBe(true);
    expect(r.error.code).toBe('internal');
    expect(r.error.message).toContain(LOG);
    expect(r.error.message).not.toMatch(/\n|at .*\.ts:\d+/);
    expect(classifyError('a string', false, LOG).error.message).toMatch(/^a string \(this is a bug/);
  });
});
