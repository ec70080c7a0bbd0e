import { appStore } from '../../store/appStore';

/** Closes the help/palette/snippet overlay. */
export function closeOverlay(): void {
  appStore.update((d) => {
    d.ui.overlay = null;
  }, { capture: 'none' });
}
