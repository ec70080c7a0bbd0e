import { describe, expect, it } from 'vitest';
import type { ClusterInfo } from '../../../../src/shared/ipc/contract';
import { clustersInLasso } from '../../../../src/renderer/views/ClusterScatterView/clusterLasso';
import { selectLasso } from '../../../../src/renderer/views/clusterPoints';
import { appStore } from '../../../../src/renderer/store/appStore';

const cluster = (id: number, amp: number, depth: number) => ({ id, amp, depth }) as unknown as ClusterInfo;

describe('ClusterScatterView lasso', () => {
  const clusters = [cluster(3, 10, 100), cluster(7, 50, 400), cluster(9, 20, 150), cluster(12, 200, 120)];
  const square = new Float32Array([0, 50, 60, 50, 60, 200, 0, 200]);

  it('lists the clusters whose (amp, depth) lies inside the polygon, in table order', () => {
    expect(clustersInLasso(clusters, square)).toEqual([3, 9]);
    expect(clustersInLasso(clusters, new Float32Array([0, 0, 1, 1]))).toEqual([]);
  });

  it('replaces the selection with the lasso clusters, and ignores an empty lasso', () => {
    appStore.update((d) => void (d.selection = { clusterIds: [1], similarIds: [2] }), { capture: 'none' });
    selectLasso([]);
    expect(appStore.getState().selection).toEqual({ clusterIds: [1], similarIds: [2] });
    selectLasso(clustersInLasso(clusters, square));
    expect(appStore.getState().selection).toEqual({ clusterIds: [3, 9], similarIds: [] });
  });
});
