import { mount } from 'svelte';
import App from './App.svelte';
import { browserModeApiUrl, createWebSocketApi } from './lib/websocket-api';
import './app.css';

// Electron's preload provides window.sonotype; in browser mode we speak the same contract over WebSocket.
if (!window.sonotype) {
  const url = browserModeApiUrl(window.location);
  if (url) window.sonotype = createWebSocketApi(url);
}

const target = document.getElementById('app');
if (!target) throw new Error('Missing #app element');
export default mount(App, { target });
