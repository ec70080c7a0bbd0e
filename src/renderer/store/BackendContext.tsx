/**
 * The BackendClient is provided once at the root; views and commands read it with `useBackend()`.
 */
import { createContext, useContext, type ReactNode } from 'react';
import type { BackendClient } from '../backend/BackendClient';

const BackendContext = createContext<BackendClient | null>(null);

export function BackendProvider({ backend, children }: { backend: BackendClient; children: ReactNode }) {
  return <BackendContext.Provider value={backend}>{children}</BackendContext.Provider>;
}

/** The window's backend (WebSocket in browser mode, IPC in Electron). */
export function useBackend(): BackendClient {
  const b = useContext(BackendContext);
  if (!b) throw new Error('useBackend() outside <BackendProvider>');
  return b;
}
