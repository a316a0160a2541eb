import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connectTransport } from './transport';
import { App } from './app';
import './styles.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root');
createRoot(container).render(
  <StrictMode>
    <App api={connectTransport()} />
  </StrictMode>,
);
