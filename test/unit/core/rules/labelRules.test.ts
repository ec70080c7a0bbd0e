import { describe, expect, it } from 'vitest';
import { bombcellDefaultRules } from '../../../../src/core/rules/bombcell';
import { evaluateRules, metricThresholds, metricVerdict, type RuleRow, type RuleSet } from '../../../../src/core/rules/labelRules';
import { formatRuleFile, parseRuleFile, parseRuleSet, RuleFileError } from '../../../../src/core/rules/ruleFile';

const twoLabels: RuleSet = {
  labels: [
    { label: 'noise', nan: 'fail', thresholds: { num_positive_peaks: { max: 2 } } },
    { label: 'mua', thresholds: { snr: { min: 5 }, rp_contamination: { max: 0.1 } } },
  ],
  otherwise: 'good',
};

describe('evaluateRules', () => {
  it('given hand-made rows, when evaluated, then each gets the first label it fails, bounds inclusive, good otherwise', () => {
    const rows: RuleRow[] = [
      { cluster_id: 1, num_positive_peaks: 3, snr: 2, rp_contamination: 0.5 }, // noise first, though it fails mua too
      { cluster_id: 2, num_positive_peaks: 2, snr: 4.9, rp_contamination: 0 }, // max is inclusive; snr fails
      { cluster_id: 3, num_positive_peaks: 1, snr: 5, rp_contamination: 0.1 }, // both bounds inclusive
      { cluster_id: 4, num_positive_peaks: 0, snr: 12, rp_contamination: 0.3 },
    ];
    const r = evaluateRules(twoLabels, rows);
    expect([...r.labels]).toEqual([
      [1, 'noise'],
      [2, 'mua'],
      [3, 'good'],
      [4, 'mua'],
    ]);
    expect(r.counts).toEqual({ noise: 1, mua: 2, good: 1 });
    expect(r.reasons.get(2)).toBe('snr 4.9 < 5');
    expect(r.reasons.get(4)).toBe('rp_contamination 0.3 > 0.1');
    expect(r.reasons.has(3)).toBe(false);
    // every label's bounds are judged on every row
    expect(r.perMetric['mua.snr']).toEqual({ pass: 2, fail: 2, skip: 0, nan: 0 });
    expect(r.perMetric['noise.num_positive_peaks']).toEqual({ pass: 3, fail: 1, skip: 0, nan: 0 });
  });

  it('given missing values, when evaluated, then the NaN policy of the label (or of the metric) decides', () => {
    const rows: RuleRow[] = [
      { cluster_id: 1, num_positive_peaks: NaN, snr: 10, rp_contamination: 0 }, // noise nan: fail
      { cluster_id: 2, num_positive_peaks: 1, snr: null, rp_contamination: 0 }, // mua nan default skip → good
      { cluster_id: 3, num_positive_peaks: 1, rp_contamination: 0 }, // snr absent = NaN → skip → good
    ];
    expect([...evaluateRules(twoLabels, rows).labels.values()]).toEqual(['noise', 'good', 'good']);
    const passNoise: RuleSet = { ...twoLabels, labels: [{ ...twoLabels.labels[0], nan: 'pass' }, twoLabels.labels[1]] };
    expect(evaluateRules(passNoise, rows).labels.get(1)).toBe('good');
    const perMetric: RuleSet = { ...twoLabels, labels: [twoLabels.labels[0], { label: 'mua', thresholds: { snr: { min: 5, nan: 'fail' }, rp_contamination: { max: 0.1 } } }] };
    const r = evaluateRules(perMetric, rows);
    expect([...r.labels.values()]).toEqual(['noise', 'mua', 'mua']);
    expect(r.reasons.get(2)).toBe('snr is missing');
    expect(r.perMetric['mua.snr']).toEqual({ pass: 1, fail: 2, skip: 0, nan: 2 });
  });

  it('given match "all", when evaluated, then the label needs every judged bound to fail, and skipped ones are not judged', () => {
    const rules: RuleSet = { labels: [{ label: 'mua', match: 'all', thresholds: { snr: { min: 5 }, presence_ratio: { min: 0.7 } } }], otherwise: 'good' };
    const rows: RuleRow[] = [
      { cluster_id: 1, snr: 2, presence_ratio: 0.9 },
      { cluster_id: 2, snr: 2, presence_ratio: 0.5 },
      { cluster_id: 3, snr: 2, presence_ratio: NaN },
      { cluster_id: 4, snr: NaN, presence_ratio: NaN },
    ];
    expect([...evaluateRules(rules, rows).labels.values()]).toEqual(['good', 'mua', 'mua', 'good']);
  });

  it('given an expression, when evaluated, then it gives the label when true (missing values compare false), in label order', () => {
    const rules: RuleSet = {
      labels: [
        { label: 'noise', expression: 'num_positive_peaks > num_negative_peaks + 1 && n_spikes < 1000', thresholds: {} },
        { label: 'mua', thresholds: { snr: { min: 5 } }, expression: "KSLabel == 'mua'" },
      ],
      otherwise: null,
    };
    const rows: RuleRow[] = [
      { cluster_id: 10, num_positive_peaks: 4, num_negative_peaks: 1, n_spikes: 500, snr: 1, KSLabel: 'good' },
      { cluster_id: 11, num_positive_peaks: 4, num_negative_peaks: 1, n_spikes: 5000, snr: 9, KSLabel: 'mua' },
      { cluster_id: 12, num_positive_peaks: NaN, num_negative_peaks: 1, n_spikes: 10, snr: 9, KSLabel: 'good' },
    ];
    const r = evaluateRules(rules, rows);
    // otherwise null: cluster 12 gets no label
    expect([...r.labels]).toEqual([
      [10, 'noise'],
      [11, 'mua'],
    ]);
    expect(r.counts).toEqual({ noise: 1, mua: 1 });
    expect(r.reasons.get(11)).toBe("KSLabel == 'mua'");
  });

  it('given an expression naming an unknown column, when evaluated, then the error names the label', () => {
    const rules: RuleSet = { labels: [{ label: 'noise', expression: 'no_such_metric > 2', thresholds: {} }], otherwise: 'good' };
    expect(() => evaluateRules(rules, [{ cluster_id: 1, snr: 3 }])).toThrow(/label "noise": expression "no_such_metric > 2": .*no_such_metric/);
  });

  it('given rules over a metric no row has, when evaluated, then it is listed as missing', () => {
    expect(evaluateRules(twoLabels, [{ cluster_id: 1, snr: 9, rp_contamination: 0 }]).missing).toEqual(['num_positive_peaks']);
  });

  it("given Bombcell's defaults, when evaluated on typical rows, then noise, non-somatic, mua and good come out in Bombcell's order", () => {
    const somatic = { num_positive_peaks: 1, num_negative_peaks: 1, peak_to_valley: 0.0004, peak_trough_ratio: -0.3 };
    const clean = { snr: 12, amplitude_cutoff: 0.01, num_spikes: 5000, rp_contamination: 0, presence_ratio: 1, drift_ptp: 10 };
    const rows: RuleRow[] = [
      { cluster_id: 0, ...somatic, ...clean },
      { cluster_id: 1, ...somatic, ...clean, num_positive_peaks: 4, snr: 1 }, // oscillation: noise before mua
      { cluster_id: 2, ...somatic, ...clean, peak_to_valley: 0.002 }, // too wide
      { cluster_id: 3, ...somatic, ...clean, peak_trough_ratio: -1.4, rp_contamination: 0.5 }, // non-somatic before mua
      { cluster_id: 4, ...somatic, ...clean, num_spikes: 120 },
      { cluster_id: 5, ...somatic, ...clean, presence_ratio: 0.5 },
      { cluster_id: 6, ...somatic, ...clean, snr: NaN, drift_ptp: NaN }, // mua NaN: skipped
      { cluster_id: 7, num_positive_peaks: NaN, num_negative_peaks: NaN, peak_to_valley: NaN, peak_trough_ratio: NaN, ...clean }, // no template: not noise
    ];
    const r = evaluateRules(bombcellDefaultRules(), rows);
    expect([...r.labels.values()]).toEqual(['good', 'noise', 'noise', 'non-somatic', 'mua', 'mua', 'good', 'good']);
    expect(r.counts).toEqual({ noise: 2, 'non-somatic': 1, mua: 2, good: 3 });
  });
});

describe('metricVerdict', () => {
  it('given a value, when judged against the rules, then it passes, fails (naming the labels) or is not bounded', () => {
    expect(metricVerdict(twoLabels, 'snr', 9)).toEqual({ verdict: 'pass', labels: [] });
    expect(metricVerdict(twoLabels, 'snr', 3)).toEqual({ verdict: 'fail', labels: ['mua'] });
    expect(metricVerdict(twoLabels, 'snr', NaN)).toEqual({ verdict: 'skip', labels: [] });
    expect(metricVerdict(twoLabels, 'num_positive_peaks', NaN)).toEqual({ verdict: 'fail', labels: ['noise'] });
    expect(metricVerdict(twoLabels, 'firing_rate', 3)).toBeNull();
    expect(metricVerdict(null, 'snr', 3)).toBeNull();
  });

  it('given a metric bounded by two labels, when judged, then every failing label is named', () => {
    const rules: RuleSet = { labels: [{ label: 'noise', thresholds: { snr: { min: 1 } } }, { label: 'mua', thresholds: { snr: { min: 5 } } }], otherwise: 'good' };
    expect(metricVerdict(rules, 'snr', 0.5)).toEqual({ verdict: 'fail', labels: ['noise', 'mua'] });
    expect(metricVerdict(rules, 'snr', 3)).toEqual({ verdict: 'fail', labels: ['mua'] });
    expect(metricThresholds(rules, 'snr')).toEqual([
      { label: 'noise', side: 'min', value: 1 },
      { label: 'mua', side: 'min', value: 5 },
    ]);
  });
});

describe('rules file', () => {
  it('given the defaults, when written and read back, then they are equal', () => {
    const d = bombcellDefaultRules();
    expect(parseRuleFile(formatRuleFile(d), 'label_rules.json')).toEqual(d);
  });

  it("given SpikeInterface's threshold dictionary, when read, then labels keep the file's order with NaN = fail and good otherwise", () => {
    const r = parseRuleSet({ noise: { num_positive_peaks: { min: null, max: 2 } }, mua: { snr: { min: 5, max: null } } }, 'si.json');
    expect(r.labels.map((l) => [l.label, l.nan, l.thresholds])).toEqual([
      ['noise', 'fail', { num_positive_peaks: { min: null, max: 2 } }],
      ['mua', 'fail', { snr: { min: 5, max: null } }],
    ]);
    expect(r.otherwise).toBe('good');
  });

  it.each([
    ['{', /^bad\.json: not valid JSON/],
    ['[]', /^bad\.json: expected a JSON object/],
    ['{"labels": {}}', /^bad\.json: labels: expected a list/],
    ['{"labels": [{"label": "mua", "thresholds": {"snr": {"min": "5"}}}]}', /^bad\.json: labels\[0\]\.thresholds\.snr\.min: expected a number or null, got "5"/],
    ['{"labels": [{"label": "mua", "thresholds": {"snr": {"min": 5, "nan": "maybe"}}}]}', /^bad\.json: labels\[0\]\.thresholds\.snr\.nan: expected one of "fail", "pass", "skip", got "maybe"/],
    ['{"labels": [{"label": "mua", "thresholds": {"snr": {"mni": 5}}}]}', /^bad\.json: labels\[0\]\.thresholds\.snr: unknown key "mni"/],
    ['{"labels": [{"label": "mua", "thresholds": {"snr": {"min": 5, "max": 1}}}]}', /^bad\.json: labels\[0\]\.thresholds\.snr: min 5 is greater than max 1/],
    ['{"labels": [{"label": "bad\\tlabel", "thresholds": {"snr": {"min": 5}}}]}', /^bad\.json: labels\[0\]\.label: .*control character/],
    ['{"labels": [{"label": "mua"}]}', /^bad\.json: labels\[0\]: label "mua" has neither thresholds nor an expression/],
    ['{"labels": [{"label": "mua", "match": "some", "thresholds": {"snr": {"min": 5}}}]}', /^bad\.json: labels\[0\]\.match: expected "any" or "all"/],
    ['{"labels": [{"label": "mua", "thresholds": {"snr": {"min": 5}}}, {"label": "mua", "thresholds": {"snr": {"min": 1}}}]}', /^bad\.json: labels\[1\]\.label: "mua" appears twice/],
    ['{"format": "other", "labels": []}', /^bad\.json: format: expected "spikedock-label-rules"/],
    ['{"mua": {"snr": 5}}', /^bad\.json: mua\.snr: expected \{"min": x, "max": y\}, got 5/],
  ])('given a bad file %s, when read, then the message names the file and the field', (text, message) => {
    expect(() => parseRuleFile(text, 'bad.json')).toThrow(RuleFileError);
    expect(() => parseRuleFile(text, 'bad.json')).toThrow(message);
  });
});
