/**
 * `npm start -- …` (scripts/start.mjs): options before or after the dataset reach `spikedock
 * serve` in browser mode and the desktop app where they mean something there. Before, every
 * option was dropped and the value of `--port 9000` was taken for the dataset path.
 */
import { describe, expect, it } from 'vitest';
import { parseStartArgs } from '../../../scripts/startArgs.mjs';

describe('parseStartArgs', () => {
  it('passes --port to serve and does not take its value for the dataset (the port-in-use message says to use --port)', () => {
    expect(parseStartArgs(['--port', '9000'])).toEqual({ dataset: null, serveArgs: ['--port', '9000'], electronArgs: [], serveOnly: ['--port'] });
  });

  it('takes options before and after the dataset', () => {
    const r = parseStartArgs(['--port=9000', '/data/ks4', '--host', '0.0.0.0', '--no-open', '--devtools']);
    expect(r.dataset).toBe('/data/ks4');
    expect(r.serveArgs).toEqual(['--port', '9000', '--host', '0.0.0.0', '--no-open']);
    expect(r.electronArgs).toEqual(['--devtools']);
    expect(r.serveOnly).toEqual(['--port', '--host', '--no-open']);
  });

  it('reads a dataset after -- even when it starts with a dash', () => {
    expect(parseStartArgs(['--autosave', '30', '--', '-odd name']).dataset).toBe('-odd name');
    expect(parseStartArgs([]).dataset).toBeNull();
  });

  it('refuses unknown options, missing values and two datasets, naming them', () => {
    expect(() => parseStartArgs(['--prot', '9000'])).toThrow(/unknown option --prot/);
    expect(() => parseStartArgs(['-p'])).toThrow(/unknown option -p/);
    expect(() => parseStartArgs(['/a', '--port'])).toThrow(/option --port needs a value/);
    expect(() => parseStartArgs(['/a', '/b'])).toThrow(/one dataset at a time: got '\/a' and '\/b'/);
  });
});
