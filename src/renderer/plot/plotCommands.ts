import type { Command } from '../store/Command';
import type { PanZoom } from './PanZoom';

/** Pixels moved by one arrow key press. */
const PAN_STEP_PX = 40;

/**
 * phy's PanZoom keys as commands of one view (arrows pan, `+`/`-` zoom, `shift+r` resets — phy's `r`
 * is re-cluster here, as issue #14 asks —, Escape
 * clears the lasso), active only while that view has focus so that the global up/down wizard
 * keys keep working elsewhere.
 */
export function plotCommands(viewType: string, panZoom: PanZoom, clearLasso: (() => boolean) | null): Command[] {
  const cmd = (verb: string, title: string, keys: string[], perform: () => void): Command => ({
    id: `${viewType}.${verb}`,
    title,
    keys,
    view: viewType,
    focusOnly: true,
    hidden: true,
    perform,
  });
  const list = [
    cmd('panLeft', 'Pan left', ['left'], () => panZoom.panPixels(PAN_STEP_PX, 0)),
    cmd('panRight', 'Pan right', ['right'], () => panZoom.panPixels(-PAN_STEP_PX, 0)),
    cmd('panUp', 'Pan up', ['up'], () => panZoom.panPixels(0, PAN_STEP_PX)),
    cmd('panDown', 'Pan down', ['down'], () => panZoom.panPixels(0, -PAN_STEP_PX)),
    cmd('zoomIn', 'Zoom in', ['+'], () => panZoom.zoomAt(1.25, 1.25)),
    cmd('zoomOut', 'Zoom out', ['-'], () => panZoom.zoomAt(0.8, 0.8)),
    cmd('resetView', 'Reset the view', ['shift+r'], () => panZoom.reset()),
  ];
  if (clearLasso) {
    const c = cmd('clearLasso', 'Clear the lasso', ['esc'], () => void clearLasso());
    list.push({ ...c, predicate: (s) => s.lasso?.viewType === viewType });
  }
  return list;
}
