/**
 * What a save writes, read back through our own readers (issue 10): `curation.json` is one
 * SpikeInterface curation-format v2 object after every save (never `curation_steps`, never an
 * intermediate id), and `spike_clusters.npy` keeps the sorter's dtype and shape.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeNpy, NpyFile } from '../../../src/core/formats/npy';
import { MemoryByteSource } from '../../../src/core/formats/ByteSource';
import { applySiCuration, siCurationProblems, type SiCurationModel } from '../../../src/core/session/curationFormat';
import { openDataset } from '../../../src/main/openDataset';
import { SessionService } from '../../../src/main/session/SessionService';
import { N_SPIKES, makeTemplateFolder, templateOf } from '../../helpers/templateFolder';
import { flatAssignment } from '../../../src/core/session/SpikeAssignment';

function npyHeader(file: string) {
  return NpyFile.open(new MemoryByteSource(new Uint8Array(fs.readFileSync(file)), file)).header;
}

const original = Array.from({ length: N_SPIKES }, (_, i) => templateOf(i) + 10);

describe.each([
  ['uint32', [N_SPIKES, 1]],
  ['int64', [N_SPIKES]],
  ['int32', [N_SPIKES]],
] as const)('save of a folder whose spike_clusters.npy is %s %j', (dtype, shape) => {
  it('keeps the layout and writes one v2 curation object whose replay equals spike_clusters.npy, save after save', async () => {
    const dir = makeTemplateFolder({ 'spike_clusters.npy': encodeNpy(original, dtype, [...shape]) });
    const ds = await openDataset(dir);
    const s = await SessionService.open(ds, { autosaveSeconds: 0 });
    const check = async () => {
      const sc = path.join(dir, 'spike_clusters.npy');
      const h = npyHeader(sc);
      expect(h.dtype).toBe(dtype);
      expect(h.shape).toEqual([...shape]);
      const reopened = await openDataset(dir);
      try {
        expect(Array.from(reopened.spikeClusters)).toEqual(Array.from(flatAssignment(s.clustering.assignment)));
        const cur = JSON.parse(fs.readFileSync(path.join(dir, 'curation.json'), 'utf8')) as SiCurationModel;
        expect(siCurationProblems(cur)).toEqual([]);
        expect(cur.unit_ids).toEqual([10, 11, 12, 13, 14]);
        // Every new id it names is a cluster of the saved file.
        const saved = new Set(reopened.spikeClusters);
        for (const id of [...cur.merges.map((m) => m.new_unit_id), ...cur.splits.flatMap((x) => x.new_unit_ids), ...(cur.spikedock_unexpressed ?? []).map((u) => u.new_unit_id)]) expect(saved.has(id)).toBe(true);
        expect(Array.from(applySiCuration(Int32Array.from(original), cur))).toEqual(Array.from(reopened.spikeClusters));
        return cur;
      } finally {
        reopened.close();
      }
    };
    try {
      // Save 1: a merge and a label.
      const m = await s.merge([10, 11]);
      await s.label([m.added[0]], 'group', 'good');
      await s.save();
      const first = await check();
      expect(first.merges).toEqual([{ unit_ids: [10, 11], new_unit_id: m.added[0] }]);
      expect(first.manual_labels).toContainEqual({ unit_id: 10, labels: { quality: ['good'] } });
      // Save 2: a split of the merged cluster (it used to turn into curation_steps with an
      // intermediate id); still one object, still the sorter's layout.
      const ids = s.clustering.spikeIds(m.added[0]);
      await s.split({ kind: 'spikes', spikeIds: ids.slice(0, 5) });
      await s.save();
      const second = await check();
      expect(second).not.toHaveProperty('curation_steps');
    } finally {
      await s.close();
      ds.close();
    }
  });
});

describe('a curation.json beside the dataset that our save did not write', () => {
  it('is kept in the state folder before the first save replaces it, and our own file is not copied again', async () => {
    const dir = makeTemplateFolder({ 'spike_clusters.npy': encodeNpy(original, 'int32', [N_SPIKES]) });
    const theirs = JSON.stringify({ format_version: '2', unit_ids: [10, 11, 12, 13, 14], merges: [{ unit_ids: [10, 11] }] }) + '\n';
    fs.writeFileSync(path.join(dir, 'curation.json'), theirs);
    const ds = await openDataset(dir);
    const s = await SessionService.open(ds, { autosaveSeconds: 0 });
    try {
      const stateDir = s.stateDir;
      const copies = () => fs.readdirSync(stateDir).filter((f) => /^curation-[0-9a-f]{12}\.json$/.test(f));
      await s.merge([12, 13]);
      await s.save();
      expect(copies()).toHaveLength(1);
      expect(fs.readFileSync(path.join(stateDir, copies()[0]), 'utf8')).toBe(theirs);
      expect(fs.readFileSync(path.join(dir, 'curation.json'), 'utf8')).not.toBe(theirs);
      await s.label([14], 'group', 'good');
      await s.save();
      expect(copies()).toHaveLength(1);
    } finally {
      s.close();
      ds.close();
    }
  });
});
