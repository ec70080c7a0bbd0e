/**
 * The renderer store's public surface (views read these; names are stable).
 */
export { appStore, createAppStore, useAppStore, useSelectedClusters, selectedClusters, viewClusterIds, useViewClusterIds, clusterName, type AppStore } from './appStore';
export { useBackend, BackendProvider } from './BackendContext';
export { Store, type Capture, type UpdateOptions, type HistoryRecord } from './Store';
export {
  initialAppState,
  DEFAULT_SORT,
  type AppState,
  type FilterState,
  type QualityState,
  type LassoState,
  type ProposalState,
  type Selection,
  type SessionMeta,
  type SimilarState,
  type SortState,
  type Toast,
  type UiState,
} from './AppState';
export { visibleClusters, clusterById, reviewProgress, createVisibleClustersSelector, type VisibleClusters } from './selectors';
export { clusterColumns, columnValue, formatCell, sortClusters, filterClusters, type ColumnDef } from './clusterColumns';
export { SessionSync, SIMILAR_TOP } from './sessionSync';
export { applyQualityUpdate, startQualitySync } from './qualitySync';
export { useViewSettings, readViewSettings, patchViewSettings } from './viewSettings';
