import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { CelonisAuthProvider } from '@celonis-auth/react';
import { App } from './App.js';
import { portal } from './auth.js';
import { ConfigErrorPage } from './pages/ConfigErrorPage.js';
import './styles.css';

const root = createRoot(document.getElementById('root')!);
if (portal.problem) {
  // A configuration the client refused: say so on the page (and in the console), not with a blank screen.
  console.error(`Celonis Portal: ${portal.problem.variable ?? 'configuration'}: ${portal.problem.detail}`);
  root.render(
    <StrictMode>
      <ConfigErrorPage problem={portal.problem} />
    </StrictMode>,
  );
} else {
  root.render(
    <StrictMode>
      <CelonisAuthProvider auth={portal.auth}>
        <BrowserRouter>
          <App />
        </BrowserRouter>
      </CelonisAuthProvider>
    </StrictMode>,
  );
}
