/**
 * ClusterView with 5,000 clusters: the generated dataset's spikes are re-assigned to 5,000
 * clusters (spike_clusters.npy rewritten in a private copy); the grid stays virtualised (only
 * the visible rows are in the DOM) and the wizard reaches the last and first rows.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeNpy, readNpy } from '../../src/core/formats/npy';
import { MemoryByteSource } from '../../src/core/formats/ByteSource';
import { test as base, expect, startServer, type Server } from './fixtures';
import { AppPage } from './pages/AppPage';

const N_CLUSTERS = 5000;

const test = base.extend<{ manyClusters: Server }>({
  manyClusters: async ({ datasetFolder }, use) => {
    const file = join(datasetFolder, 'spike_clusters.npy');
    const n = readNpy(new MemoryByteSource(new Uint8Array(readFileSync(file)), file), { as: 'int32' }).data.length;
    const ids = new Int32Array(n);
    for (let i = 0; i < n; i++) ids[i] = i % N_CLUSTERS;
    writeFileSync(file, encodeNpy(ids, 'int32'));
    for (const tsv of ['cluster_group.tsv', 'cluster_KSLabel.tsv', 'cluster_ContamPct.tsv', 'cluster_Amplitude.tsv']) writeFileSync(join(datasetFolder, tsv), `cluster_id\t${tsv.slice(8, -4)}\n`);
    const server = await startServer(datasetFolder, [], { SPIKEDOCK_USER_DATA: join(datasetFolder, '..', 'user-data') });
    await use(server);
    await server.stop();
  },
});

test('a 5,000-cluster table stays virtualised and the wizard reaches both ends', async ({ page, manyClusters }) => {
  const app = new AppPage(page);
  await test.step('Given a dataset with 5,000 clusters is open', async () => {
    await app.open(manyClusters.url);
    await expect.poll(() => app.clusterCount(), { timeout: 60_000 }).toBe(N_CLUSTERS);
  });

  await test.step('Then only the visible rows are in the DOM', async () => {
    const rendered = await app.clusterView.rows().count();
    expect(rendered).toBeGreaterThan(10);
    expect(rendered).toBeLessThan(120);
  });

  await test.step('When I sort by id and press End, then the last cluster is selected and scrolled into view', async () => {
    await app.snippet(':s id asc');
    await app.press('End');
    await app.expectSelection([N_CLUSTERS - 1]);
    await expect(app.clusterView.row(N_CLUSTERS - 1)).toBeInViewport();
    await app.press('Home');
    await app.expectSelection([0]);
    await expect(app.clusterView.row(0)).toBeInViewport();
  });

  await test.step('When I filter id > 4990, then the nine clusters above 4990 remain', async () => {
    await app.snippet(':f id > 4990');
    await expect.poll(() => app.clusterView.visibleIds()).toEqual([4991, 4992, 4993, 4994, 4995, 4996, 4997, 4998, 4999]);
  });
});
