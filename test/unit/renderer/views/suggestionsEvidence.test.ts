import { describe, expect, it } from 'vitest';
import { evidenceLines, keyEvidence } from '../../../../src/renderer/views/SuggestionsView/SuggestionsView';

const evidence = {
  template_similarity: 0.987,
  template_lag: 2,
  distance_um: 12.4,
  ccg_observed: 3,
  ccg_expected: 14.52,
  rp_contamination_merged: 0.0123,
  rp_contamination_parts: 0.01,
  temporal_complementarity: null,
  amplitude_continuity: null,
  feature_mixing: 0.456,
};

describe("SuggestionsView's evidence text", () => {
  it('keeps the three strongest terms for the cell', () => {
    expect(keyEvidence(evidence)).toEqual(['template 0.99', '12 µm', 'ccg 3/14.5']);
  });

  it('spells out every term that has a value for the strip under the table, leaving out the missing ones', () => {
    expect(evidenceLines(evidence)).toEqual([
      'template similarity 0.99 (lag 2 samples)',
      'units 12 µm apart',
      'CCG pairs < 1 ms: 3 seen, 14.5 expected',
      'rp_contamination merged 0.01 (worse part 0.01)',
      'feature mixing 0.46',
    ]);
    expect(evidenceLines({ template_similarity: null, temporal_complementarity: 0.9, amplitude_continuity: 0.8 })).toEqual([
      'temporal complementarity 0.90, amplitude continuity 0.80',
    ]);
    expect(evidenceLines({})).toEqual([]);
  });
});
