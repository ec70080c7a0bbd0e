/** Predicates shared by the built-in commands (when a command is available). */
import type { AppState } from '../store/AppState';

export const hasDataset = (s: AppState) => s.dataset !== null;
export const hasSelection = (s: AppState) => s.selection.clusterIds.length + s.selection.similarIds.length > 0;
