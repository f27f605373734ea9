/** Mounts the app. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/app/App';
import { PartBoundary } from './ui/app/PartBoundary';
import { startKeeperEarly } from './ui/platform/worker-client';
import './ui/app/styles.css';

// MNIST starts downloading (and decompressing, in the keeper worker) while React mounts the page.
startKeeperEarly();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <PartBoundary part="The page" stores={['runs', 'digits']} whole>
      <App />
    </PartBoundary>
  </StrictMode>,
);
