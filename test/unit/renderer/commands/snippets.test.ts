import { describe, expect, it } from 'vitest';
import { numberArg, parseIdList, parseSnippet, sortAliasColumn } from '../../../../src/renderer/commands/snippets';

describe('snippets', () => {
  it('parses name and arguments', () => {
    expect(parseSnippet(':c 3 7')).toEqual({ name: 'c', args: ['3', '7'] });
    expect(parseSnippet("f n_spikes > 1000 && group != 'noise'")).toEqual({ name: 'f', args: ['n_spikes', '>', '1000', '&&', 'group', '!=', "'noise'"] });
    expect(parseSnippet(':  ')).toBeNull();
  });

  it("reads phy's id lists: ranges and comma lists", () => {
    expect(parseIdList(['3', '7'])).toEqual([3, 7]);
    expect(parseIdList(['3-6'])).toEqual([3, 4, 5, 6]);
    expect(parseIdList(['1,2,3', '2'])).toEqual([1, 2, 3]);
    expect(() => parseIdList(['x'])).toThrow(/not a cluster id/);
  });

  it("resolves phy's generated sort aliases", () => {
    const cols = ['id', 'n_spikes', 'fr', 'amp', 'ContamPct'];
    expect(sortAliasColumn('sns', cols)).toBe('n_spikes');
    expect(sortAliasColumn('sfr', cols)).toBe('fr');
    expect(sortAliasColumn('sCo', cols)).toBe('ContamPct');
    expect(sortAliasColumn('sxx', cols)).toBeNull();
  });

  it('requires numbers where phy does', () => {
    expect(numberArg(['2.5'], 'cb')).toBe(2.5);
    expect(() => numberArg([], 'cb')).toThrow(':cb needs a number');
  });
});
