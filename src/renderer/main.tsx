/**
 * Renderer entry: connects to the backend (Electron bridge or the WebSocket of `spikedock
 * serve`), then renders the app with the backend provided at the root.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBackendClient } from './backend/createBackendClient';
import { BackendProvider } from './store/BackendContext';
import { App } from './app/App';
import './theme/theme.css';
import './app/app.css';

const root = createRoot(document.getElementById('root')!);

createBackendClient().then(
  (backend) => {
    root.render(
      <StrictMode>
        <BackendProvider backend={backend}>
          <App />
        </BackendProvider>
      </StrictMode>,
    );
  },
  (e: unknown) => {
    root.render(
      <div className="fatal" role="alert">
        <h1>spikedock cannot reach its backend</h1>
        <p>{e instanceof Error ? e.message : String(e)}</p>
        <p className="muted">In browser mode, open the URL printed by `spikedock serve` (it carries the access token).</p>
      </div>,
    );
  },
);
