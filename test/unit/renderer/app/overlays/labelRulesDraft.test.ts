import { describe, expect, it } from 'vitest';
import { bombcellDefaultRules } from '../../../../../src/core/rules/bombcell';
import { draftOf, rulesOfDraft } from '../../../../../src/renderer/app/overlays/labelRulesDraft';

describe('the rules dialog form', () => {
  it("given Bombcell's defaults, when edited as a form and read back, then the rules are the same (empty sides as null)", () => {
    const d = bombcellDefaultRules();
    const back = rulesOfDraft(draftOf(d));
    expect(back.labels.map((l) => l.label)).toEqual(['noise', 'non-somatic', 'mua']);
    expect(back.labels[2].thresholds.snr).toEqual({ min: 5, max: null });
    expect(back.labels[0].thresholds.peak_to_valley).toEqual({ min: 0.0001, max: 0.00115 });
    expect(back.otherwise).toBe('good');
  });

  it('given a typed form, when read, then blank rows are ignored, numbers parsed, and a bad field is named like a rules file', () => {
    const draft = draftOf(bombcellDefaultRules());
    draft.labels[2].bounds.push({ metric: '', min: '', max: '', nan: '' });
    draft.labels[2].bounds[0] = { metric: 'snr', min: ' 3.5 ', max: '', nan: 'fail' };
    draft.otherwise = '';
    const r = rulesOfDraft(draft);
    expect(r.labels[2].thresholds.snr).toEqual({ min: 3.5, max: null, nan: 'fail' });
    expect(Object.keys(r.labels[2].thresholds)).not.toContain('');
    expect(r.otherwise).toBeNull();
    draft.labels[2].bounds[0].min = 'five';
    expect(() => rulesOfDraft(draft)).toThrow('rules: labels[2].thresholds.snr.min: expected a number or null, got "five"');
    draft.labels[2].bounds[0].min = '1';
    draft.labels[2].bounds[1].metric = 'snr';
    expect(() => rulesOfDraft(draft)).toThrow('"snr" is listed twice in label "mua"');
  });
});
