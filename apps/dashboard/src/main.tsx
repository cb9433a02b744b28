import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { CelonisAuthProvider } from '@celonis-auth/react';
import { App } from './App.js';
import { auth } from './auth.js';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <CelonisAuthProvider auth={auth}>
      <BrowserRouter>
        <App />
      </BrowserRouter>
    </CelonisAuthProvider>
  </StrictMode>,
);
