import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { defaultClient } from './api/client';
import { App } from './app';

const container = document.getElementById('root');
if (container === null)
  throw new Error('index.html has no #root element to render the inspector into.');
createRoot(container).render(
  <StrictMode>
    <App call={defaultClient()} />
  </StrictMode>,
);
