import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatCell, formatClusterField, formatTable, parseCell, parseClusterTable, parseTable } from '../../../../src/core/formats/tsv';
import { FormatError } from '../../../../src/core/diagnostics';
import { hasPhyData, phyDataDir, phyDataSkipReason } from '../../../helpers/phyData';

describe('parseCell (phylib read_tsv conversion: int, else float, else str)', () => {
  it('converts ints, floats and keeps strings', () => {
    expect(parseCell('4')).toBe(4);
    expect(parseCell('-12')).toBe(-12);
    expect(parseCell('3.5')).toBe(3.5);
    expect(parseCell('1e-3')).toBe(0.001);
    expect(parseCell('.5')).toBe(0.5);
    expect(parseCell('nan')).toBeNaN();
    expect(parseCell('-inf')).toBe(-Infinity);
    expect(parseCell('good')).toBe('good');
    expect(parseCell('12abc')).toBe('12abc');
  });
});

describe('parseTable', () => {
  it('uses a tab when the first line holds one, else a comma', () => {
    expect(parseTable('cluster_id\tgroup\n4\tgood\n', 'a.tsv')).toMatchObject({ columns: ['cluster_id', 'group'], rows: [{ cluster_id: 4, group: 'good' }] });
    expect(parseTable('cluster_id,group\n4,mua\n', 'a.csv')).toMatchObject({ columns: ['cluster_id', 'group'], rows: [{ cluster_id: 4, group: 'mua' }] });
  });

  it('drops empty cells, blank lines, a BOM and CRLF', () => {
    const t = parseTable('\uFEFFcluster_id\tAmplitude\tKSLabel\r\n0\t\tgood\r\n\r\n1\t12.5\t\r\n', 'k.tsv');
    expect(t.columns).toEqual(['cluster_id', 'Amplitude', 'KSLabel']);
    expect(t.rows).toEqual([{ cluster_id: 0, KSLabel: 'good' }, { cluster_id: 1, Amplitude: 12.5 }]);
  });

  it('rejects an empty file and an empty header cell with FormatErrors naming the file', () => {
    expect(() => parseTable('', '/d/e.tsv')).toThrow(FormatError);
    try {
      parseTable('cluster_id\t\tgroup\n', '/d/h.tsv');
      expect.unreachable();
    } catch (e) {
      expect((e as FormatError).code).toBe('tsv.badHeader');
      expect((e as FormatError).file).toBe('/d/h.tsv');
    }
  });
});

describe('parseClusterTable', () => {
  it('reads a Kilosort 4 cluster_KSLabel.tsv and cluster_ContamPct.tsv', () => {
    const ks = parseClusterTable('cluster_id\tKSLabel\n0\tgood\n1\tmua\n2\tgood\n', 'cluster_KSLabel.tsv');
    expect([...ks.fields.keys()]).toEqual(['KSLabel']);
    expect([...ks.fields.get('KSLabel')!]).toEqual([
      [0, 'good'],
      [1, 'mua'],
      [2, 'good'],
    ]);
    const cp = parseClusterTable('cluster_id\tContamPct\n0\t3.1\n1\t100.0\n', 'cluster_ContamPct.tsv');
    expect(cp.fields.get('ContamPct')!.get(1)).toBe(100);
  });

  it('reads several fields, skips rows without an integer id, accepts `id`', () => {
    const t = parseClusterTable('id,group,note\n3,good,nice\nx,mua,bad\n4.5,noise,\n7,,later\n', 'cluster_groups.csv');
    expect(t.skipped).toBe(2);
    expect([...t.fields.get('group')!]).toEqual([[3, 'good']]);
    expect([...t.fields.get('note')!]).toEqual([
      [3, 'nice'],
      [7, 'later'],
    ]);
  });

  it('requires a cluster_id column', () => {
    try {
      parseClusterTable('a\tb\n1\t2\n', '/d/x.tsv');
      expect.unreachable();
    } catch (e) {
      expect((e as FormatError).code).toBe('tsv.noClusterId');
      expect((e as FormatError).message).toContain('a, b');
    }
  });

  it.skipIf(!hasPhyData)(`reads phy-data template/cluster_group.tsv (${hasPhyData ? 'present' : phyDataSkipReason})`, () => {
    const file = path.join(phyDataDir, 'template', 'cluster_group.tsv');
    const t = parseClusterTable(readFileSync(file, 'utf8'), file);
    expect([...t.fields.keys()]).toEqual(['group']);
    expect([...t.fields.get('group')!]).toEqual([[4, 'good']]);
  });
});

describe('writers', () => {
  it('formats cluster_<field>.tsv as phy: sorted by id, null values omitted', () => {
    const text = formatClusterField('group', [
      [7, 'noise'],
      [2, 'good'],
      [5, null],
      [3, 'unsorted'],
    ]);
    expect(text).toBe('cluster_id\tgroup\n2\tgood\n3\tunsorted\n7\tnoise\n');
    expect(formatClusterField('group', [])).toBe('cluster_id\tgroup\n');
    const back = parseClusterTable(text, 'cluster_group.tsv');
    expect([...back.fields.get('group')!]).toEqual([
      [2, 'good'],
      [3, 'unsorted'],
      [7, 'noise'],
    ]);
    expect(formatClusterField('score', [[1, 0.25]])).toBe('cluster_id\tscore\n1\t0.25\n');
  });

  it('formats cluster_info.tsv cells: floats %.8f, ints as ints, missing empty', () => {
    expect(formatCell(1.5)).toBe('1.50000000');
    expect(formatCell(3)).toBe('3');
    expect(formatCell(null)).toBe('');
    expect(formatCell(NaN)).toBe('nan');
    expect(formatTable(['cluster_id', 'amp', 'group'], [{ cluster_id: 0, amp: 12.25, group: 'good' }, { cluster_id: 1, amp: undefined, group: 'mua' }])).toBe(
      'cluster_id\tamp\tgroup\n0\t12.25000000\tgood\n1\t\tmua\n',
    );
  });
});
