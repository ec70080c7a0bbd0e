/**
 * `spikedock metrics` on phy's published test data (copies in temp folders): a template folder
 * (sparse templates, a pc_features subset, no raw data) and a Kwik file (no templates).
 */
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/main/cli';
import type { CliIo } from '../../../src/main/commands/types';
import { copyPhyData, hasPhyData, phyDataSkipReason } from '../../helpers/phyData';

if (!hasPhyData) console.warn(`skipping phy-data metrics tests: ${phyDataSkipReason}`);

async function metricsJson(path: string): Promise<Array<Record<string, number | string | null>>> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), readStdin: async () => '' };
  const code = await main(['metrics', path, '--json'], io);
  expect(stderr).toBe('');
  expect(code).toBe(0);
  return JSON.parse(stdout) as Array<Record<string, number | string | null>>;
}

describe.skipIf(!hasPhyData)('spikedock metrics on phy-data', () => {
  it('template folder: every cluster, template metrics and snr from the templates', async () => {
    const dir = copyPhyData('template');
    try {
      const rows = await metricsJson(dir);
      expect(rows.length).toBeGreaterThan(10);
      for (const r of rows) {
        expect(r.num_spikes as number).toBeGreaterThan(0);
        expect(r.firing_rate as number).toBeGreaterThan(0);
        expect(r.template_source).toBe('templates');
        expect(r.drift_source).toBe('template_positions');
      }
      // Every cluster's template has a trough followed by a peak on its main channel.
      for (const r of rows) expect(r.peak_to_valley as number).toBeGreaterThan(0);
      // snr from the templates needs ≥ 10 spikes with features on a quiet channel: the few
      // clusters that have them get a value, the others null with source "none".
      expect(rows.some((r) => r.snr_source === 'templates' && (r.snr as number) > 0)).toBe(true);
      for (const r of rows) expect(r.snr_source === 'templates').toBe(typeof r.snr === 'number');
    } finally {
      rmSync(dirname(dir), { recursive: true, force: true });
    }
  });

  it('Kwik file (no templates, no spike positions): every cluster, drift null, PCA metrics from the .kwx features', async () => {
    const dir = copyPhyData('kwik');
    try {
      const rows = await metricsJson(join(dir, 'hybrid_10sec.kwik'));
      expect(rows.length).toBeGreaterThan(1);
      for (const r of rows) {
        expect(r.num_spikes as number).toBeGreaterThan(0);
        expect(r.drift_source).toBe('none');
        expect(r.drift_ptp).toBeNull();
      }
      expect(rows.some((r) => typeof r.isolation_distance === 'number')).toBe(true);
    } finally {
      rmSync(dirname(dir), { recursive: true, force: true });
    }
  });
});
