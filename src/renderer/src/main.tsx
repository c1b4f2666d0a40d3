/** Renderer entry: the same bundle runs in Electron (IPC bridge) and in the browser (web shell). */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { ConnectionGate } from './connection/ConnectionGate';
import './styles/studio.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html must contain <div id="root">');

createRoot(root).render(
  <StrictMode>
    <ConnectionGate>
      <App />
    </ConnectionGate>
  </StrictMode>,
);
