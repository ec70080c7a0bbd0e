/**
 * A corpus of bad inputs built in temp folders, opened the way a user does (`openDataset`, and
 * `spikedock info` through the CLI's `main`): each must fail or degrade with a message that names
 * the file and the problem, in one line, never a stack trace.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeNpy } from '../../../src/core/formats/npy';
import { main } from '../../../src/main/cli';
import { UserError } from '../../../src/main/commands/types';
import type { CliIo } from '../../../src/main/commands/types';
import { openDataset, resolveDatasetPath } from '../../../src/main/openDataset';
import { N_SAMPLES_TPL, N_CHANNELS, N_SPIKES, N_TEMPLATES, defaultFiles, makeTemplateFolder, timeOf } from '../../helpers/templateFolder';

const EXPECTED = 'expected a Kilosort/phy folder with params.py, a params.py file, a .kwik file, a SpikeInterface SortingAnalyzer folder or .zarr store, or an .nwb file';
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

async function info(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), readStdin: async () => '' };
  const code = await main(['info', ...argv], io);
  return { code, stdout, stderr };
}

/** `spikedock info` must fail with exit 1 and exactly one line on stderr matching `re`. */
async function expectOneLine(path: string, re: RegExp): Promise<string> {
  const r = await info(path);
  expect(r.code).toBe(1);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^spikedock info: /);
  expect(lines[0]).not.toMatch(/\n\s+at /);
  expect(lines[0]).toMatch(re);
  return lines[0];
}

describe('inputs that are not a dataset', () => {
  it('a folder without params.py or .kwik', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spikedock-empty-'));
    writeFileSync(join(dir, 'notes.txt'), 'hello');
    expect(() => resolveDatasetPath(dir)).toThrow(UserError);
    expect(() => resolveDatasetPath(dir)).toThrow(EXPECTED);
    await expectOneLine(dir, new RegExp(`not a sorting output.*${EXPECTED.replace(/[.]/g, '\\.')}`));
  });

  it('a file that is neither params.py nor .kwik, and a path that does not exist', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spikedock-file-'));
    writeFileSync(join(dir, 'spike_times.npy'), encodeNpy([1, 2], 'int64'));
    await expectOneLine(join(dir, 'spike_times.npy'), /not a sorting output; expected a Kilosort\/phy folder/);
    await expectOneLine(join(dir, 'missing'), /missing: no such file or folder; expected/);
  });

  it('a folder with several .kwik files asks which one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spikedock-kwiks-'));
    writeFileSync(join(dir, 'a.kwik'), '');
    writeFileSync(join(dir, 'b.kwik'), '');
    expect(() => resolveDatasetPath(dir)).toThrow(/several \.kwik files \(a\.kwik, b\.kwik\)/);
  });

  const unreadable = isRoot ? 'an unreadable folder (chmod 000): skipped, tests run as root and root reads through chmod 000' : 'an unreadable folder (chmod 000)';
  it.skipIf(isRoot)(unreadable, async () => {
    const dir = makeTemplateFolder();
    chmodSync(dir, 0o000);
    try {
      await expectOneLine(dir, /cannot be read \(permission denied\)/);
    } finally {
      chmodSync(dir, 0o755);
    }
  });
});

describe('broken template folders', () => {
  it('truncated .npy', async () => {
    const good = defaultFiles()['spike_times.npy'] as Uint8Array;
    const dir = makeTemplateFolder({ 'spike_times.npy': good.subarray(0, good.length - 100) });
    await expect(openDataset(dir)).rejects.toMatchObject({ code: 'npy.truncated' });
    await expectOneLine(dir, /spike_times\.npy: truncated \.npy file: shape \(100,?\) of <u8 needs \d+ bytes but the file has \d+/);
  });

  it('bad .npy header', async () => {
    const bytes = defaultFiles()['spike_templates.npy'] as Uint8Array;
    const broken = bytes.slice();
    // Byte-per-char (TextDecoder's 'latin1' is windows-1252: it maps the magic 0x93 to U+201C).
    const text = String.fromCharCode(...broken.subarray(0, 80)).replace("'descr'", "'dexcr'");
    for (let i = 0; i < text.length; i++) broken[i] = text.charCodeAt(i);
    const dir = makeTemplateFolder({ 'spike_templates.npy': broken });
    await expectOneLine(dir, /spike_templates\.npy: unreadable \.npy header/);
  });

  it('mismatched lengths of required files', async () => {
    const dir = makeTemplateFolder({ 'spike_clusters.npy': encodeNpy(new Array(N_SPIKES + 3).fill(0), 'int32') });
    await expectOneLine(dir, /spike_clusters\.npy: has 103 entries but spike_times\.npy has 100/);
    const pos = makeTemplateFolder({ 'channel_positions.npy': encodeNpy([0, 0, 1, 1], 'float32', [2, 2]) });
    await expectOneLine(pos, /channel_positions\.npy: expected \(4, 2\) .* but got \(2, 2\)/);
  });

  it('decreasing spike times', async () => {
    const t = Array.from({ length: N_SPIKES }, (_, i) => timeOf(i));
    [t[10], t[11]] = [t[11], t[10]];
    await expectOneLine(makeTemplateFolder({ 'spike_times.npy': encodeNpy(t, 'uint64') }), /spike times must be non-decreasing, but spike 11 .* before spike 10/);
  });

  it('all-NaN templates open with a warning line', async () => {
    const tpl = new Float32Array(N_TEMPLATES * N_SAMPLES_TPL * N_CHANNELS).fill(NaN);
    const r = await info(makeTemplateFolder({ 'templates.npy': encodeNpy(tpl, 'float32', [N_TEMPLATES, N_SAMPLES_TPL, N_CHANNELS]) }));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/warning \[templates\.allNaN\] .*templates\.npy: 5 templates are all NaN \(0, 1, 2, 3, 4\); shown as zeros/);
  });

  it('mismatched optional files open, each diagnostic on one line', async () => {
    const dir = makeTemplateFolder({
      'amplitudes.npy': encodeNpy([1, 2, 3], 'float32'),
      'pc_features.npy': encodeNpy(new Array(12).fill(0), 'float32', [1, 3, 4]),
      'rec.dat': null,
    });
    const r = await info(dir);
    expect(r.code).toBe(0);
    const diag = r.stdout.split('\n').filter((l) => /^ {4}(error|warning|info) \[/.test(l));
    expect(diag).toHaveLength(3);
    expect(r.stdout).toMatch(/error \[lengths\.mismatch\] .*amplitudes\.npy: has 3 entries but spike_times\.npy has 100; amplitudes disabled \(disables: amplitudes\)/);
    expect(r.stdout).toMatch(/error \[lengths\.mismatch\] .*pc_features\.npy: has 1 rows but there are 100 spikes/);
    expect(r.stdout).toMatch(/warning \[raw\.missing\]/);
  });

  it('params.py oddities', async () => {
    await expectOneLine(makeTemplateFolder({ 'params.py': "dat_path = 'rec.dat'\nimport os\n" }), /params\.py: line 2:/);
    await expectOneLine(makeTemplateFolder({ 'params.py': "dat_path = 'rec.dat'\nsample_rate = -5\n" }), /params\.py: sample_rate must be a positive number of Hz \(got -5\)/);
    const r = await info(makeTemplateFolder({ 'params.py': "dat_path = 'rec.dat'\nn_channels_dat = 6\ndtype = 'int16'\n" }));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/sample_rate\s+1 Hz/);
    expect(r.stdout).toMatch(/warning \[params\.sampleRate\]/);
  });

  it('missing required files', async () => {
    await expectOneLine(makeTemplateFolder({ 'channel_map.npy': null }), /channel_map\.npy: channel_map\.npy not found \(required: /);
    const noParams = makeTemplateFolder({ 'params.py': null });
    await expectOneLine(noParams, /not a sorting output/);
  });

  it('a folder and params.py with spaces and non-ASCII characters', async () => {
    const base = mkdtempSync(join(tmpdir(), 'spikedock-ü '));
    const dir = join(base, 'Maus №7 – sorting');
    mkdirSync(dir);
    for (const [name, content] of Object.entries(defaultFiles())) if (content !== null) writeFileSync(join(dir, name), content);
    const r = await info(join(dir, 'params.py'), '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.path).toBe(dir);
    expect(j.raw.present).toBe(true);
  });
});

describe.skipIf(process.platform === 'win32')('special files named as dataset files (issue 11)', () => {
  const fifo = (p: string) => execFileSync('mkfifo', [p]);

  it('a FIFO as dat_path: opens at once without raw data, one error naming the file (it used to wait forever)', async () => {
    const dir = makeTemplateFolder({ 'rec.dat': null });
    fifo(join(dir, 'rec.dat'));
    const r = await info(dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/error \[file\.notRegular\] .*rec\.dat: is a FIFO \(named pipe\), not a regular file: only regular files are read .*raw data cannot be read/);
    expect(r.stdout).toMatch(/raw data\s+none \(file\.notRegular\)/);
    const ds = await openDataset(dir);
    expect(ds.raw).toBeNull();
    ds.close();
  });

  it('a FIFO as params.py or as a required column: one line naming the file', async () => {
    const a = makeTemplateFolder({ 'params.py': null });
    fifo(join(a, 'params.py'));
    await expectOneLine(a, /params\.py: is a FIFO \(named pipe\), not a regular file/);
    const b = makeTemplateFolder({ 'spike_times.npy': null });
    fifo(join(b, 'spike_times.npy'));
    await expectOneLine(b, /spike_times\.npy: is a FIFO \(named pipe\), not a regular file/);
  });
});

describe('bad cluster_group.tsv (issue 11): said on open, kept aside on save', () => {
  const save = JSON.stringify([{ op: 'save' }]);

  it('rows with a bad, negative or unknown id: a warning names the file and the rows; save keeps them in cluster_group.rejected.tsv', async () => {
    const dir = makeTemplateFolder({ 'cluster_group.tsv': 'cluster_id\tgroup\n10\tgood\nx\tmua\n-3\tnoise\n11\tmua\n999\tgood\n' });
    const r = await info(dir);
    expect(r.code).toBe(0);
    const line = r.stdout.split('\n').find((l) => l.includes('[tsv.rejectedRows]'))!;
    expect(line).toMatch(/warning \[tsv\.rejectedRows\] .*cluster_group\.tsv: 3 rows cannot be used \(line 3 "x\\tmua": cluster id is not an integer; line 4 "-3\\tnoise": negative cluster id; line 6 "999\\tgood": cluster 999 has no spike\); they are kept in cluster_group\.rejected\.tsv when the session is saved/);
    const ds = await openDataset(dir);
    expect([...ds.clusterGroups.entries()].sort()).toEqual([
      [10, 'good'],
      [11, 'mua'],
    ]);
    ds.close();
    const c = await curate(dir, save);
    expect(c.code).toBe(0);
    expect(readFileSync(join(dir, 'cluster_group.rejected.tsv'), 'utf8')).toBe('cluster_id\tgroup\nx\tmua\n-3\tnoise\n999\tgood\n');
    expect(readFileSync(join(dir, 'cluster_group.tsv'), 'utf8')).toBe('cluster_id\tgroup\n10\tgood\n11\tmua\n12\tunsorted\n13\tunsorted\n14\tunsorted\n');
  });

  it.each([
    ['no cluster_id column', 'cluster\tgroup\n10\tgood\n11\tmua\n', /tsv\.skipped\] .*cluster_group\.tsv: no 'cluster_id' column/, 'wrong header'],
    ['no group column', 'cluster_id\tlabel\n10\tgood\n11\tmua\n', /tsv\.rejectedRows\] .*cluster_group\.tsv: 2 rows cannot be used \(line 2 "10\\tgood": no 'group' column/, "no 'group' column"],
    ['an empty header cell', 'cluster_id\t\tgroup\n10\t\tgood\n', /tsv\.skipped\] .*cluster_group\.tsv: bad header row/, 'wrong header'],
  ])('a wrong header (%s): said on open, every row kept aside on save', async (_name, text, re, reason) => {
    const dir = makeTemplateFolder({ 'cluster_group.tsv': text });
    const r = await info(dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(re);
    expect(r.stdout).toMatch(new RegExp(`tsv\\.rejectedRows\\] .*${reason}`));
    expect((await curate(dir, save)).code).toBe(0);
    expect(readFileSync(join(dir, 'cluster_group.rejected.tsv'), 'utf8')).toBe(text);
  });
});

describe('stray temp files of an interrupted save (issue 11)', () => {
  it('are removed on the next open of that dataset; other .tmp files are left alone', async () => {
    const dir = makeTemplateFolder();
    mkdirSync(join(dir, '.spikedock'), { recursive: true });
    const ours = [join(dir, '.cluster_group.tsv.4242.mibx3k2a9f1c.tmp'), join(dir, '.spike_clusters.npy.77.mibx3k2aq.tmp'), join(dir, '.spikedock', '.base-abc.npy.4242.mibx3k2a0a0a.tmp')];
    const others = [join(dir, 'notes.tmp'), join(dir, '.draft.tmp'), join(dir, 'cluster_group.tsv.1.x.tmp')];
    for (const f of [...ours, ...others]) writeFileSync(f, 'partial');
    const r = await curate(dir, JSON.stringify([{ op: 'review', clusters: [10] }]));
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/info \[session\.strayTemps\] .*removed 2 temp files left by an interrupted save: \.cluster_group\.tsv\.4242\.mibx3k2a9f1c\.tmp, \.spike_clusters\.npy\.77\.mibx3k2aq\.tmp/);
    expect(r.stderr).toMatch(/removed 1 temp file left by an interrupted save: \.base-abc\.npy\.4242\.mibx3k2a0a0a\.tmp/);
    for (const f of ours) expect(existsSync(f)).toBe(false);
    for (const f of others) expect(existsSync(f)).toBe(true);
  });
});

describe('broken Kwik files', () => {
  it('garbage bytes in a .kwik', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spikedock-badkwik-'));
    const p = join(dir, 'x.kwik');
    writeFileSync(p, 'this is not an HDF5 file '.repeat(40));
    await expectOneLine(p, /x\.kwik: not an HDF5 file \(no HDF5 signature\)/);
    writeFileSync(join(dir, 'empty.kwik'), '');
    await expectOneLine(join(dir, 'empty.kwik'), /empty\.kwik: .*(not an HDF5 file|unreadable HDF5 file)/);
  });
});

describe('spikedock info arguments', () => {
  it('usage errors exit 2', async () => {
    const none = await info();
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/expected one dataset path/);
    const dir = makeTemplateFolder();
    const bad = await info(dir, '--channel-group', 'x');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--channel-group must be a non-negative integer/);
    const kwikOnly = await info(dir, '--clustering', 'main');
    expect(kwikOnly.code).toBe(1);
    expect(kwikOnly.stderr).toMatch(/apply to Kwik files only/);
  });
});

/** `spikedock curate <dir> --script -` with `script` on standard input. */
async function curate(dir: string, script: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), readStdin: async () => script };
  const code = await main(['curate', dir, '--script', '-'], io);
  return { code, stdout, stderr };
}

describe('bad curation requests (curate script; the RPC takes the same path)', () => {
  it('label injection: a group or custom label with a tab or line break is refused, naming the request; nothing forged is written', async () => {
    const dir = makeTemplateFolder();
    const before = readFileSync(join(dir, 'cluster_group.tsv'), 'utf8');
    const r = await curate(dir, JSON.stringify([{ op: 'label', clusters: [13], group: 'good\n7\tnoise' }, { op: 'save' }]));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/action 1 \(label\) refused: label of cluster\(s\) 13 refused: value "good\\n7\\tnoise" of group contains a tab, line break or other control character/);
    expect(readFileSync(join(dir, 'cluster_group.tsv'), 'utf8')).toBe(before);

    const custom = await curate(dir, JSON.stringify([{ op: 'label', clusters: [13], field: 'quality', value: 'ok\r\n99\tx' }]));
    expect(custom.code).toBe(1);
    expect(custom.stderr).toMatch(/label of cluster\(s\) 13 refused: value "ok\\r\\n99\\tx" of quality contains a tab/);
    const field = await curate(dir, JSON.stringify([{ op: 'label', clusters: [13], field: 'a\tb', value: 'x' }]));
    expect(field.code).toBe(1);
    expect(field.stderr).toMatch(/refused: "a\\tb" is not a valid field name/);
    expect(existsSync(join(dir, 'cluster_quality.tsv'))).toBe(false);

    // A clean label still works and is saved as one row.
    const ok = await curate(dir, JSON.stringify([{ op: 'label', clusters: [13], group: 'good' }]));
    expect(ok.code).toBe(0);
    expect(readFileSync(join(dir, 'cluster_group.tsv'), 'utf8').split('\n').filter((l) => l.startsWith('13\t'))).toEqual(['13\tgood']);
  });
});
