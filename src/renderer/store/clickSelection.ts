import { appStore } from './appStore';

/**
 * A plot's click on a cluster (ClusterScatterView, RasterView, TemplateView): click replaces the
 * selection, shift+click adds to it. Here, in the store layer, so that views call it instead of
 * writing the store or importing each other.
 */
export function selectFromClick(clusterId: number, add: boolean): void {
  appStore.update(
    (d) => {
      if (add) {
        if (!d.selection.clusterIds.includes(clusterId)) d.selection.clusterIds.push(clusterId);
      } else d.selection = { clusterIds: [clusterId], similarIds: [] };
    },
    { capture: 'none' },
  );
}
