import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatParams, parseParams } from '../../../../src/core/formats/params';
import { FormatError } from '../../../../src/core/diagnostics';
import { hasPhyData, phyDataDir as phyData, phyDataSkipReason } from '../../../helpers/phyData';

function syntaxError(text: string): FormatError {
  try {
    parseParams(text, '/data/params.py');
  } catch (e) {
    expect(e).toBeInstanceOf(FormatError);
    const fe = e as FormatError;
    expect(fe.code).toBe('params.syntax');
    expect(fe.file).toBe('/data/params.py');
    return fe;
  }
  throw new Error(`expected a syntax error for ${JSON.stringify(text)}`);
}

describe('parseParams on real files', () => {
  it.skipIf(!hasPhyData)(`reads phy-data template/params.py (${hasPhyData ? 'present' : phyDataSkipReason})`, () => {
    const file = path.join(phyData, 'template/params.py');
    const p = parseParams(readFileSync(file, 'utf8'), file);
    expect(p).toEqual({
      dat_path: 'sim_binary.dat',
      n_channels_dat: 34,
      dtype: 'int16',
      offset: 0,
      sample_rate: 25000,
      hp_filtered: false,
    });
  });

  it.skipIf(!hasPhyData)(`reads the Kwik hybrid_10sec.prm (${hasPhyData ? 'present' : phyDataSkipReason})`, () => {
    const file = path.join(phyData, 'kwik/hybrid_10sec.prm');
    const p = parseParams(readFileSync(file, 'utf8'), file);
    expect(p.experiment_name).toBe('hybrid_10sec');
    expect(p.prb_file).toBe('1x32_buzsaki');
    expect(p.traces).toEqual({ raw_data_files: ['hybrid_10sec.dat'], voltage_gain: 10, sample_rate: 20000, n_channels: 32, dtype: 'int16' });
    const sd = p.spikedetekt as Record<string, unknown>;
    expect(sd.filter_low).toBe(500);
    expect(sd.filter_high_factor).toBeCloseTo(0.475, 12);
    expect(sd.chunk_overlap_seconds).toBe(0.015);
    expect(sd.detect_spikes).toBe('negative');
    expect(sd.extract_s_before).toBe(16);
    expect(sd.n_features_per_channel).toBe(3);
    expect(p.klustakwik2).toEqual({ num_starting_clusters: 100 });
  });
});

describe('parseParams literals', () => {
  it('reads numbers in every Python spelling', () => {
    const p = parseParams('a = 25000.\nb = 1e4\nc = -3\nd = .5\ne = 1_000\nf = 0x10\ng = -2.5e-3\nh = +7\ni = 0\n', 'p.py');
    expect(p).toEqual({ a: 25000, b: 10000, c: -3, d: 0.5, e: 1000, f: 16, g: -0.0025, h: 7, i: 0 });
  });

  it('evaluates arithmetic of literals with Python precedence', () => {
    const p = parseParams('a = 0.95 * .5\nb = 2 + 3 * 4\nc = (2 + 3) * 4\nd = 7 / 2\ne = 7 // 2\nf = -2 ** 2\ng = 30000 * 60 - 1\n', 'p.py');
    expect(p).toEqual({ a: 0.475, b: 14, c: 20, d: 3.5, e: 3, f: -4, g: 1799999 });
  });

  it('reads booleans, None, lists, tuples and both dict forms', () => {
    const p = parseParams(
      "t = True\nf = False\nn = None\nl = [1, 'a', [2, 3]]\ntu = (1, 2)\none = (1,)\nparen = (5)\nempty = ()\n" +
        "d = dict(a=1, b='x', c=dict(),)\nlit = {'k': 1, 2: 'two', \"q\": [None]}\n",
      'p.py',
    );
    expect(p).toEqual({
      t: true,
      f: false,
      n: null,
      l: [1, 'a', [2, 3]],
      tu: [1, 2],
      one: [1],
      paren: 5,
      empty: [],
      d: { a: 1, b: 'x', c: {} },
      lit: { k: 1, '2': 'two', q: [null] },
    });
  });

  it('lower-cases top-level keys but keeps dict keys', () => {
    const p = parseParams("Sample_Rate = 30000\nN_CHANNELS_DAT = 385\nD = dict(FooBar=1)\n", 'p.py');
    expect(p).toEqual({ sample_rate: 30000, n_channels_dat: 385, d: { FooBar: 1 } });
  });

  it('reads comments, blank lines, semicolons, multi-line brackets and backslash continuations', () => {
    const text = [
      '# Kilosort params',
      '',
      'a = [1,   # first',
      '     2,',
      '     3]  # end',
      'b = 1 + \\',
      '    2',
      'c = 1; d = 2',
      "e = '#not a comment'",
    ].join('\n');
    expect(parseParams(text, 'p.py')).toEqual({ a: [1, 2, 3], b: 3, c: 1, d: 2, e: '#not a comment' });
  });

  it('accepts CRLF line endings and a BOM', () => {
    expect(parseParams('\uFEFFa = 1\r\nb = [1,\r\n2]\r\n', 'p.py')).toEqual({ a: 1, b: [1, 2] });
  });

  it('reads a Kilosort 4 params.py with a list of absolute paths', () => {
    const text = [
      "dat_path = ['/abs/path/a.bin', '/abs/path/b.bin']",
      'n_channels_dat = 385',
      "dtype = 'int16'",
      'offset = 0',
      'sample_rate = 30000.0',
      'hp_filtered = False',
    ].join('\n');
    const p = parseParams(text, 'p.py');
    expect(p.dat_path).toEqual(['/abs/path/a.bin', '/abs/path/b.bin']);
    expect(p.sample_rate).toBe(30000);
    expect(p.hp_filtered).toBe(false);
  });

  it('reads a SpikeInterface raw Windows path and non-raw Windows paths as Python does', () => {
    const p = parseParams(
      "dat_path = r'C:\\Users\\lab\\rec.dat'\nq = 'C:\\\\data\\\\rec.dat'\nu = 'D:\\data\\d1'\nraw_quote = r'a\\'b'\n",
      'p.py',
    );
    expect(p.dat_path).toBe('C:\\Users\\lab\\rec.dat');
    expect(p.q).toBe('C:\\data\\rec.dat');
    // `\d` is not an escape in Python: the backslash stays.
    expect(p.u).toBe('D:\\data\\d1');
    expect(p.raw_quote).toBe("a\\'b");
  });

  it('decodes escapes and keeps unknown or truncated ones literally', () => {
    const p = parseParams("a = 'x\\ny\\tz'\nb = \"it\\'s\"\nc = 'C:\\Users\\x'\nd = '\\x41\\u00e9'\ne = 'a\\\\b'\nf = \"say \\\"hi\\\"\"\n", 'p.py');
    expect(p.a).toBe('x\ny\tz');
    expect(p.b).toBe("it's");
    expect(p.c).toBe('C:\\Users\\x');
    expect(p.d).toBe('Aé');
    expect(p.e).toBe('a\\b');
    expect(p.f).toBe('say "hi"');
  });

  it('reads triple-quoted strings (single and double) across lines', () => {
    const p = parseParams('a = """line1\nline2 \'q\' "x" """\nb = \'\'\'one\'\'\'\nc = r"""raw\\n"""\n', 'p.py');
    expect(p.a).toBe('line1\nline2 \'q\' "x" ');
    expect(p.b).toBe('one');
    expect(p.c).toBe('raw\\n');
  });

  it('concatenates strings with + (including earlier variables) and adjacent literals', () => {
    const p = parseParams("experiment_name = 'hybrid_10sec'\nraw = experiment_name + '.dat'\nab = 'a' 'b'\nl = [1] + [2]\n", 'p.py');
    expect(p.raw).toBe('hybrid_10sec.dat');
    expect(p.ab).toBe('ab');
    expect(p.l).toEqual([1, 2]);
  });

  it('keeps the last assignment of a name', () => {
    expect(parseParams('a = 1\na = 2\n', 'p.py')).toEqual({ a: 2 });
  });

  it('treats __proto__ as an ordinary key', () => {
    const p = parseParams("d = {'__proto__': 1}\n", 'p.py');
    expect(Object.keys(p.d as object)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(p.d)).toBe(Object.prototype);
  });
});

describe('parseParams errors (never executes anything)', () => {
  it('rejects import with its line number', () => {
    expect(syntaxError('a = 1\nimport os\n').message).toMatch(/line 2: 'import'/);
    expect(syntaxError('from os import path\n').message).toMatch(/line 1:/);
  });

  it('rejects function calls other than dict', () => {
    expect(syntaxError('a = 1\n\nx = foo()\n').message).toMatch(/line 3: function calls are not allowed/);
    expect(syntaxError("x = open('f').read()\n").message).toMatch(/line 1: function calls/);
    expect(syntaxError('x = dict(1, 2)\n').message).toMatch(/keyword arguments/);
  });

  it('rejects attribute access, undefined names and other statements', () => {
    expect(syntaxError('x = os.path\n').message).toMatch(/attribute access/);
    expect(syntaxError('x = y\n').message).toMatch(/line 1: name 'y' is not defined/);
    expect(syntaxError('if True:\n  a = 1\n').message).toMatch(/line 1:/);
    expect(syntaxError('a += 1\n').message).toMatch(/line 1:/);
    expect(syntaxError("a = f'{x}'\n").message).toMatch(/f-strings/);
    expect(syntaxError('a = 1 2\n').message).toMatch(/line 1:/);
    expect(syntaxError("a = 'x' - 1\n").message).toMatch(/unsupported operation/);
  });

  it('reports unterminated strings and brackets at their line', () => {
    expect(syntaxError("a = 1\nb = 'abc\nc = 2\n").message).toMatch(/line 2: unterminated string/);
    expect(syntaxError('a = 1\nb = """abc\n\n').message).toMatch(/line 2: unterminated string/);
    expect(syntaxError('a = [1,\n2\n').message).toMatch(/never closed/);
    expect(syntaxError('a = 1)\n').message).toMatch(/line 1: unmatched/);
  });

  it('puts the file name in the error text', () => {
    expect(syntaxError('import os\n').message).toMatch(/^\/data\/params\.py: line 1/);
  });
});

describe('formatParams', () => {
  it('writes a params.py that parses back to the same values', () => {
    const values = {
      dat_path: ['/abs/a.bin', 'C:\\Users\\lab\\rec.dat'],
      n_channels_dat: 385,
      dtype: 'int16',
      offset: 0,
      sample_rate: 30000.5,
      hp_filtered: false,
      note: "it's\na \"test\"\t\\",
      nothing: null,
      nested: { a: [1, 2.5], 'b c': 'x' },
    };
    const text = formatParams(values);
    expect(text).toContain("dtype = 'int16'\n");
    expect(text).toContain('hp_filtered = False\n');
    expect(text).toContain('nothing = None\n');
    expect(parseParams(text, 'p.py')).toEqual(values);
  });

  it('writes phy-data style lines', () => {
    expect(formatParams({ dat_path: 'sim_binary.dat', n_channels_dat: 34, sample_rate: 25000 })).toBe(
      "dat_path = 'sim_binary.dat'\nn_channels_dat = 34\nsample_rate = 25000\n",
    );
  });

  it('rejects names that are not Python identifiers and non-finite numbers', () => {
    expect(() => formatParams({ 'bad name': 1 })).toThrow(TypeError);
    expect(() => formatParams({ import: 1 })).toThrow(TypeError);
    expect(() => formatParams({ x: NaN })).toThrow(RangeError);
  });
});
