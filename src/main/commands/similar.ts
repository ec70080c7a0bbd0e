/**
 * `spikedock similar <dataset> <cluster> [--top N] [--json]`: the clusters most similar to one
 * cluster, on the curation as the journal has it (read-only).
 */
import { openDataset } from '../openDataset';
import * as fs from 'node:fs';
import { SessionService } from '../session/SessionService';
import { existingJournalPath } from '../session/stateDir';
import { SavedClusters } from '../../core/session/SavedClusters';
import { ClusterMetrics } from '../../core/session/ClusterMetrics';
import { Similarity } from '../../core/session/Similarity';
import type { ClusteringView } from '../../core/session/ClusteringView';
import { numberOption, parseArgs } from './args';
import type { Command } from './types';
import { UserError } from './types';

const usage = `usage: spikedock similar <folder | params.py | file.kwik | analyzer folder | file.nwb> <cluster> [--top N] [--json]

Prints the clusters most similar to <cluster>, most similar first (ties by ascending id). Template
datasets use similar_templates.npy (phy's score: the best pair of the clusters' templates); when
it is absent or all zeros, and for Kwik, the cosine of the clusters' mean templates or mean PC
features on their best channels.

  --top N   how many (default 20)
  --json    print a JSON array of {id, similarity}
`;

export const command: Command = {
  name: 'similar',
  summary: 'list the clusters most similar to a cluster',
  usage,
  async run(argv, io) {
    const args = parseArgs(argv, { values: ['top'], flags: ['json'] });
    if (args.positionals.length !== 2) throw new UserError(`expected a dataset path and a cluster id\n${usage}`, 2);
    const id = Number(args.positionals[1]);
    if (!Number.isInteger(id) || id < 0) throw new UserError(`cluster must be a non-negative integer (got '${args.positionals[1]}')`, 2);
    const top = numberOption(args, 'top', 20);
    if (!Number.isInteger(top) || top < 1) throw new UserError(`--top must be a positive integer (got '${args.values.get('top')}')`, 2);
    const ds = await openDataset(args.positionals[0], { shared: false });
    try {
      // A saved session (a journal) is replayed; without one, the clusters on disk are read
      // as they are, without building a session (its per-cluster index of every spike).
      let clusters: ClusteringView;
      let similarity: Similarity;
      if (fs.existsSync(existingJournalPath(ds, {}))) {
        const peek = SessionService.peek(ds);
        clusters = peek.curation.labels;
        similarity = peek.similarity;
      } else {
        clusters = new SavedClusters(ds.spikeClusters);
        similarity = new Similarity(ds, clusters, new ClusterMetrics(ds, clusters));
      }
      const ids = clusters.clusterIds();
      if (clusters.nSpikes(id) === 0) throw new UserError(`cluster ${id} does not exist (clusters: ${ids.length}, ids ${ids[0]}–${ids.at(-1)})`);
      const rows = similarity.similar(id, top);
      if (args.flags.get('json')) io.stdout(JSON.stringify(rows) + '\n');
      else {
        io.stdout(`# similarity: ${similarity.describe()}\n`);
        for (const r of rows) io.stdout(`${r.id}\t${r.similarity.toFixed(4)}\n`);
      }
      return 0;
    } finally {
      ds.close();
    }
  },
};
