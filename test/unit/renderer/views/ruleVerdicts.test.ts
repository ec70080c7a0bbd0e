import { describe, expect, it } from 'vitest';
import { bombcellDefaultRules } from '../../../../src/core/rules/bombcell';
import type { RuleSet } from '../../../../src/core/rules/labelRules';
import { combinedVerdict, judgeCell, thresholdText } from '../../../../src/renderer/views/ruleVerdicts';

const rules: RuleSet = {
  labels: [
    { label: 'noise', thresholds: { num_positive_peaks: { max: 2 } } },
    { label: 'mua', nan: 'skip', thresholds: { snr: { min: 5 }, fr: { min: 0.5, max: 100 } } },
  ],
  otherwise: 'good',
};

describe('metrics judged against the active label rules', () => {
  it('judges a cell pass or fail with the label and its bound as tooltip; null where no rule bounds the column', () => {
    expect(judgeCell(rules, 'snr', 3.2)).toEqual({ verdict: 'fail', title: 'fails mua (mua < 5)' });
    expect(judgeCell(rules, 'snr', 8)).toEqual({ verdict: 'pass', title: 'passes the rules (mua < 5)' });
    expect(judgeCell(rules, 'snr', NaN)?.verdict).toBe('skip');
    expect(judgeCell(rules, 'amp', 10)).toBeNull();
    expect(judgeCell(null, 'snr', 3)).toBeNull();
  });

  it('a point judged on two metrics fails when either fails, passes when one passes and none fails', () => {
    expect(combinedVerdict(rules, [['snr', 8], ['fr', 200]])).toBe('fail');
    expect(combinedVerdict(rules, [['snr', 8], ['amp', 1]])).toBe('pass');
    expect(combinedVerdict(rules, [['snr', NaN], ['fr', 3]])).toBe('pass');
    expect(combinedVerdict(rules, [['snr', NaN], ['amp', 3]])).toBe('skip');
    expect(combinedVerdict(rules, [['amp', 3]])).toBeNull();
  });

  it("names each threshold by the label beyond it, on Bombcell's defaults too", () => {
    expect(thresholdText({ label: 'mua', side: 'min', value: 300 })).toBe('mua < 300');
    expect(thresholdText({ label: 'noise', side: 'max', value: 0.00115 })).toBe('noise > 0.00115');
    expect(judgeCell(bombcellDefaultRules(), 'num_spikes', 120)).toEqual({ verdict: 'fail', title: 'fails mua (mua < 300)' });
  });
});
