import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig, type Plugin } from 'vite';
import { apiProxyMiddleware, bffMiddleware, createCelonisApiProxy, createCelonisBff, createTokenRelay, relayMiddleware } from '@celonis-auth/server';
import { connectRedisSessionStore } from './scripts/redisSessionStore.js';

/** Where the relay listens on the dashboard's own origin; `VITE_CELONIS_TOKEN_ENDPOINT` points here in relay mode. */
export const RELAY_PATH = '/api/celonis/token';

/**
 * Relay mode: with `CELONIS_RELAY_CLIENT_SECRET` set (a server-side variable, never shipped to the
 * browser), the dev and preview servers serve a token relay that adds the confidential client's
 * secret, so the SPA can use a client like the emulator's `portal`, and, when
 * `VITE_CELONIS_API_BASE_URL` names a path, the same-origin API proxy there (a team without CORS).
 */
function celonisRelayMode(): Plugin | undefined {
  const secret = process.env.CELONIS_RELAY_CLIENT_SECRET;
  if (!secret) return undefined;
  const teamUrl = process.env.VITE_CELONIS_TEAM_URL ?? 'http://127.0.0.1:8787';
  const allowedOrigins = (
    process.env.CELONIS_RELAY_ALLOWED_ORIGINS ?? 'http://localhost:5173 http://127.0.0.1:5173 http://localhost:4173 http://127.0.0.1:4173'
  ).split(' ');
  const relay = createTokenRelay({ teamUrl, clientId: process.env.VITE_CELONIS_CLIENT_ID ?? 'portal', clientSecret: secret, allowedOrigins });
  const middlewares = [relayMiddleware(relay, { path: RELAY_PATH })];
  const basePath = process.env.VITE_CELONIS_API_BASE_URL;
  if (basePath?.startsWith('/')) middlewares.push(apiProxyMiddleware(createCelonisApiProxy({ teamUrl, allowedOrigins, basePath })));
  const mount = (server: { middlewares: { use: (middleware: (typeof middlewares)[number]) => unknown } }) =>
    middlewares.forEach((m) => server.middlewares.use(m));
  return { name: 'celonis-relay-mode', configureServer: mount, configurePreviewServer: mount };
}

/**
 * Backend-for-frontend mode: with `CELONIS_BFF_CLIENT_SECRET` and `CELONIS_BFF_ENCRYPTION_KEY` set
 * (server-side variables), the dev and preview servers serve `createCelonisBff` on the dashboard's own
 * origin (`/auth/*`, `/celonis/*`): the server signs in and keeps the tokens, the browser gets a cookie.
 * `CELONIS_BFF_REDIS_URL` keeps the sessions in Redis instead of this process's memory; a Redis that
 * cannot be reached fails the server's start within seconds (`RedisUnreachableError`).
 */
async function celonisBffMode(): Promise<Plugin | undefined> {
  const secret = process.env.CELONIS_BFF_CLIENT_SECRET;
  const key = process.env.CELONIS_BFF_ENCRYPTION_KEY;
  if (!secret || !key) return undefined;
  const origins = (
    process.env.CELONIS_RELAY_ALLOWED_ORIGINS ?? 'http://localhost:5173 http://127.0.0.1:5173 http://localhost:4173 http://127.0.0.1:4173'
  ).split(' ');
  const bff = createCelonisBff({
    teamUrl: process.env.VITE_CELONIS_TEAM_URL ?? 'http://127.0.0.1:8787',
    clientId: process.env.VITE_CELONIS_CLIENT_ID ?? 'portal',
    clientSecret: secret,
    allowedOrigins: origins,
    redirectUri: process.env.CELONIS_BFF_REDIRECT_URI ?? `${origins[0]}/auth/callback`,
    scopes: (process.env.VITE_CELONIS_SCOPES ?? 'studio').split(/\s+/).filter(Boolean),
    encryptionKeys: key,
    ...(process.env.CELONIS_BFF_REDIS_URL ? { sessionStore: await connectRedisSessionStore(process.env.CELONIS_BFF_REDIS_URL) } : {}),
  });
  const middleware = bffMiddleware(bff);
  return {
    name: 'celonis-bff-mode',
    configureServer: (server) => void server.middlewares.use(middleware),
    configurePreviewServer: (server) => void server.middlewares.use(middleware),
  };
}

// Workspace packages are used from source (see the root README), also in the production build.
export default defineConfig({
  plugins: [react(), celonisRelayMode(), await celonisBffMode()],
  resolve: { conditions: ['@celonis-auth/source', ...defaultClientConditions] },
  // cors: false: Vite's own CORS answers before plugin middlewares, and would grant preflights the relay, proxy and BFF refuse.
  server: { host: '127.0.0.1', port: 5173, strictPort: true, cors: false },
  preview: { host: '127.0.0.1', port: 4173, cors: false },
  build: { sourcemap: true },
});
