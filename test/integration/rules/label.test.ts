/**
 * `spikedock label` on a generated `small` dataset: dry run, apply (one journaled action, saved
 * like `curate`), the rule set kept in `.spikedock/label_rules.json`, undo through `curate`, and
 * bad rules files named in the message.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bombcellDefaultRules } from '../../../src/core/rules/bombcell';
import { formatRuleFile, parseRuleFile } from '../../../src/core/rules/ruleFile';
import { parseClusterTable } from '../../../src/core/formats/tsv';
import { generateDataset } from '../../../src/main/generate/generateDataset';
import { runCli } from '../../helpers/runCli';

let dir = '';
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'spikedock-label-'));
  await generateDataset(dir, { preset: 'small', seed: 2, raw: false });
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const run = runCli;

function groups(): Map<number, string | number> {
  const file = join(dir, 'cluster_group.tsv');
  if (!existsSync(file)) return new Map();
  const t = parseClusterTable(readFileSync(file, 'utf8'), file);
  return (t.fields.get('group') ?? t.fields.get('KSLabel') ?? new Map()) as Map<number, string | number>;
}

describe('spikedock label', () => {
  let dry: { labels: Record<string, string>; counts: Record<string, number> };

  it('--dry-run --json: prints the labels and counts it would apply to unlabelled clusters, and changes nothing', async () => {
    const before = groups();
    const r = await run('label', dir, '--dry-run', '--json');
    expect(r.code).toBe(0);
    dry = JSON.parse(r.stdout);
    const ids = Object.keys(dry.labels).map(Number);
    expect(ids.length).toBeGreaterThan(10);
    for (const id of ids) expect(before.has(id) && before.get(id) !== 'unsorted').toBe(false);
    expect(Object.values(dry.counts).reduce((a, b) => a + b, 0)).toBe(ids.length);
    expect(new Set(Object.values(dry.labels))).toEqual(new Set(Object.keys(dry.counts)));
    expect(groups()).toEqual(before);
    expect(existsSync(join(dir, '.spikedock', 'label_rules.json'))).toBe(false);
  });

  it('applies the same labels as ONE journaled action, saves them, keeps the rule set; a second run has nothing left to do', async () => {
    const before = groups();
    const r = await run('label', dir, '--json');
    expect(r.code).toBe(0);
    const applied = JSON.parse(r.stdout.split('\n')[0]);
    expect(applied).toEqual(dry);
    const after = groups();
    for (const [id, label] of Object.entries(dry.labels)) expect(after.get(Number(id))).toBe(label);
    for (const [id, g] of before) if (g !== 'unsorted') expect(after.get(id)).toBe(g);
    const journal = readFileSync(join(dir, '.spikedock', 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const ops = journal.filter((j) => j.t === 'op');
    expect(ops).toHaveLength(1);
    expect(ops[0].action.op).toBe('labelEach');
    const saved = readFileSync(join(dir, '.spikedock', 'label_rules.json'), 'utf8');
    expect(saved).toBe(formatRuleFile(bombcellDefaultRules()));
    expect(parseRuleFile(saved, 'label_rules.json')).toEqual(bombcellDefaultRules());

    const again = await run('label', dir, '--json');
    expect(JSON.parse(again.stdout.split('\n')[0])).toEqual({ labels: {}, counts: {} });
    const hist = await run('history', dir, '--json');
    expect(hist.stdout).toContain("Bombcell's defaults");
  });

  it('one undo (through curate) restores every previous group', async () => {
    const script = join(dir, '..', `undo-${process.pid}.json`);
    writeFileSync(script, '[{"op":"undo"}]');
    try {
      const r = await run('curate', dir, '--script', script);
      expect(r.code).toBe(0);
    } finally {
      rmSync(script, { force: true });
    }
    const after = groups();
    for (const id of Object.keys(dry.labels).map(Number)) expect([undefined, 'unsorted']).toContain(after.get(id));
  });

  it('--rules: a file of our format labels by it (thresholds and an expression); a bad file is named with the bad field', async () => {
    const rules = join(dir, '..', `rules-${process.pid}.json`);
    try {
      writeFileSync(rules, JSON.stringify({ labels: [{ label: 'mua', thresholds: { num_spikes: { min: 1e9 } }, expression: 'num_spikes > 0' }], otherwise: null }));
      const r = await run('label', dir, '--rules', rules, '--dry-run', '--json');
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(Object.keys(out.counts)).toEqual(['mua']);
      expect(out.counts.mua).toBe(Object.keys(out.labels).length);

      writeFileSync(rules, JSON.stringify({ labels: [{ label: 'mua', thresholds: { snr: { min: 'five' } } }] }));
      const bad = await run('label', dir, '--rules', rules);
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toContain(`${rules}: labels[0].thresholds.snr.min: expected a number or null, got "five"`);

      writeFileSync(rules, JSON.stringify({ labels: [{ label: 'mua', expression: 'no_such_column > 1' }] }));
      const badExpr = await run('label', dir, '--rules', rules, '--dry-run');
      expect(badExpr.code).not.toBe(0);
      expect(badExpr.stderr).toContain(rules);
      expect(badExpr.stderr).toContain('no_such_column');
    } finally {
      rmSync(rules, { force: true });
    }
  });
});
