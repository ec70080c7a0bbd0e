import { describe, expect, it } from 'vitest';
import { compileFilter, filterNames, FilterSyntaxError } from '../../../src/core/filterExpression';

type Row = Record<string, string | number | boolean | null>;
const rows: Row[] = [
  { id: 1, n_spikes: 500, group: 'good', fr: 2.5, KSLabel: 'good', ContamPct: '12.5' },
  { id: 2, n_spikes: 2000, group: 'noise', fr: 10, KSLabel: 'mua', ContamPct: '80' },
  { id: 3, n_spikes: 4000, group: null, fr: 20, KSLabel: 'good', ContamPct: null },
];
const columns = ['id', 'n_spikes', 'group', 'fr', 'KSLabel', 'ContamPct'];
const ids = (expr: string) => rows.filter(compileFilter<Row>(expr, columns, (r, c) => r[c])).map((r) => r.id);

describe('compileFilter', () => {
  it('given an empty expression, when filtering, then every row passes', () => {
    expect(ids('   ')).toEqual([1, 2, 3]);
  });

  it("given phy's example, when filtering, then it keeps big non-noise clusters", () => {
    expect(ids("n_spikes > 1000 && group != 'noise'")).toEqual([3]);
  });

  it('supports python words, parentheses, negation and null', () => {
    expect(ids('not (fr < 5 or group == null)')).toEqual([2]);
    expect(ids('!(group == null)')).toEqual([1, 2]);
    expect(ids('group = "good" || n_spikes >= 4000')).toEqual([1, 3]);
  });

  it('compares numeric-looking text numerically and does arithmetic', () => {
    expect(ids('ContamPct < 20')).toEqual([1]);
    expect(ids('n_spikes * 2 + fr >= 4000')).toEqual([2, 3]);
    expect(ids('n_spikes / fr == 200')).toEqual([1, 2, 3]);
    expect(ids('-fr < -15')).toEqual([3]);
  });

  it('rejects unknown columns and bad syntax with a position, never evaluates code', () => {
    expect(() => ids('n_spike > 3')).toThrow(FilterSyntaxError);
    expect(() => ids('n_spikes >')).toThrow(/incomplete/);
    expect(() => ids("alert('x')")).toThrow(/unknown column 'alert'/);
    try {
      ids('fr > 1 )');
    } catch (e) {
      expect((e as FilterSyntaxError).position).toBe(7);
    }
  });
});

describe('filterNames', () => {
  it('given an expression, when asked, then it lists the columns it reads once, without keywords or literals', () => {
    expect(filterNames("snr < 5 and not (num_spikes >= 300 || group == 'noise') && snr != null or true")).toEqual(['snr', 'num_spikes', 'group']);
  });
});
