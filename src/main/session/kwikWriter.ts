/**
 * Writes a curation back into a `.kwik` file (phy's Kwik GUI semantics): the spike → cluster
 * dataset `/channel_groups/G/spikes/clusters/<clustering>` is overwritten in place (same shape
 * and dtype), and every existing cluster gets `/channel_groups/G/clusters/<clustering>/<id>`
 * with its `cluster_group` attribute (0 noise, 1 mua, 2 good, 3 unsorted, or the file's own
 * `/cluster_groups` names). Groups of clusters that no longer exist are left as they are (h5wasm
 * cannot delete groups; klusta reads groups only for ids present in the clustering).
 *
 * Atomic (`editFileAtomicSync`): the file is copied to a temp file next to it, the copy is
 * modified, fsync'd and renamed over the original; a one-time `.kwik.bak` is made before the first write.
 */
import * as fs from 'node:fs';
import { copyFileAtomicSync, editFileAtomicSync } from '../io/durableFs';

const DEFAULT_GROUP_IDS: Record<string, number> = { noise: 0, mua: 1, good: 2, unsorted: 3 };

/** What to write. */
export interface KwikClustering {
  channelGroup: number;
  clustering: string;
  /** (nSpikes,) cluster of each spike. */
  spikeClusters: Int32Array;
  /** Existing clusters and their group (null = unsorted). */
  groups: Array<[number, string | null]>;
}

/** Writes `c` into `kwikPath` atomically; returns the backup path when it was created now. */
export async function writeKwikClustering(kwikPath: string, c: KwikClustering): Promise<string | null> {
  const bak = `${kwikPath}.bak`;
  let madeBackup: string | null = null;
  if (!fs.existsSync(bak)) {
    copyFileAtomicSync(kwikPath, bak);
    madeBackup = bak;
  }
  // Imported here, not at load: compiling h5wasm's WebAssembly would slow every template-folder open.
  const h5wasm = (await import('h5wasm/node')).default;
  await h5wasm.ready;
  editFileAtomicSync(kwikPath, (tmp) => {
    const f = new h5wasm.File(tmp, 'a');
    try {
      const G = `/channel_groups/${c.channelGroup}`;
      const ds = f.get(`${G}/spikes/clusters/${c.clustering}`);
      if (!(ds instanceof h5wasm.Dataset)) throw new Error(`${kwikPath}: ${G}/spikes/clusters/${c.clustering} is not a dataset`);
      const shape = ds.shape ?? [];
      if (shape.length !== 1 || shape[0] !== c.spikeClusters.length) {
        throw new Error(`${kwikPath}: ${G}/spikes/clusters/${c.clustering} has shape (${shape.join(', ')}) but the session has ${c.spikeClusters.length} spikes`);
      }
      const meta = ds.metadata;
      const data = meta.signed === false && meta.size === 4 ? Uint32Array.from(c.spikeClusters) : meta.size === 8 ? BigInt64Array.from(c.spikeClusters, (v) => BigInt(v)) : c.spikeClusters;
      ds.write_slice([[0, c.spikeClusters.length]], data);
      // Group names of this file (ids ↔ names), else klusta's defaults.
      const nameToId = new Map(Object.entries(DEFAULT_GROUP_IDS));
      const cg = f.get(`${G}/cluster_groups/${c.clustering}`);
      if (cg instanceof h5wasm.Group) {
        for (const k of cg.keys()) {
          const name = (cg.get(k) as InstanceType<typeof h5wasm.Group> | null)?.attrs?.name?.value;
          const s = Array.isArray(name) ? name[0] : name;
          if (typeof s === 'string' && /^\d+$/.test(k)) nameToId.set(s.toLowerCase(), Number(k));
        }
      }
      let clusters = f.get(`${G}/clusters/${c.clustering}`);
      if (!(clusters instanceof h5wasm.Group)) clusters = f.create_group(`${G}/clusters/${c.clustering}`);
      const cgroup = clusters as InstanceType<typeof h5wasm.Group>;
      const existing = new Set(cgroup.keys());
      for (const [id, group] of c.groups) {
        const name = String(id);
        const g = existing.has(name) ? (cgroup.get(name) as InstanceType<typeof h5wasm.Group>) : cgroup.create_group(name);
        const gid = nameToId.get((group ?? 'unsorted').toLowerCase()) ?? DEFAULT_GROUP_IDS.unsorted;
        if ('cluster_group' in g.attrs) g.delete_attribute('cluster_group');
        g.create_attribute('cluster_group', BigInt64Array.of(BigInt(gid)), [], '<q');
      }
      f.flush();
    } finally {
      f.close();
    }
  });
  return madeBackup;
}
