// @vitest-environment node
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StrictMode } from 'react';
import { renderToString } from 'react-dom/server';
import { createCelonisAuth } from '@celonis-auth/core';
import { CelonisAuthProvider, CelonisCallback, RequireScopes, useCelonisToken } from '../index.js';
import { createTestCelonisAuth, TestCelonisAuthProvider } from '../testing/index.js';

afterEach(() => {
  vi.restoreAllMocks();
});

const BROWSER_GLOBALS = ['window', 'document', 'localStorage', 'sessionStorage', 'location', 'history', 'BroadcastChannel'] as const;

/**
 * Runs `run` with a getter on each browser global that records any read: plain Node has none of
 * them, so the first touch would be a ReferenceError or a silent `undefined` in production SSR.
 */
function recordingBrowserGlobals<T>(run: () => T): { result: T; touched: string[] } {
  const touched: string[] = [];
  for (const name of BROWSER_GLOBALS) {
    Object.defineProperty(globalThis, name, {
      configurable: true,
      get() {
        touched.push(name);
        return undefined;
      },
    });
  }
  try {
    return { result: run(), touched };
  } finally {
    for (const name of BROWSER_GLOBALS) Reflect.deleteProperty(globalThis, name);
  }
}

function Status() {
  const { status, accessToken, scopes } = useCelonisToken();
  return (
    <p>
      status:{status} token:{accessToken ?? 'none'} scopes:{scopes.length}
    </p>
  );
}

function App({ auth }: { auth: ReturnType<typeof createCelonisAuth> }) {
  return (
    <StrictMode>
      <CelonisAuthProvider auth={auth}>
        <Status />
        <RequireScopes scopes={['studio']} loading={<p>guard-loading</p>} fallback={<p>guard-fallback</p>}>
          <p>secret page</p>
        </RequireScopes>
        <CelonisCallback loading={<p>callback-loading</p>} />
      </CelonisAuthProvider>
    </StrictMode>
  );
}

describe('server rendering', () => {
  it('runs in plain Node', () => {
    expect(typeof window).toBe('undefined');
    expect(typeof document).toBe('undefined');
    expect(typeof (globalThis as { localStorage?: unknown }).localStorage).toBe('undefined');
  });

  it('renders the provider, the hook, the guard and the callback with a real client, touching no browser global', () => {
    // No storage on a server: the core warns and keeps the (empty) session in memory.
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const auth = createCelonisAuth({
      teamUrl: 'https://acme.eu-1.celonis.cloud',
      clientId: 'portal',
      redirectUri: 'https://portal.example/callback',
      scopes: ['studio'],
    });

    const { result: html, touched } = recordingBrowserGlobals(() => renderToString(<App auth={auth} />));

    expect(touched).toEqual([]);
    expect(html).toContain('status:<!-- -->signedOut');
    expect(html).toContain('guard-loading');
    expect(html).toContain('callback-loading');
    expect(html).not.toContain('secret page');
    expect(html).not.toContain('guard-fallback');
    // Effects do not run on a server: no redirect was attempted, the client stays signed out.
    expect(auth.store.getState().status).toBe('signedOut');
  });

  it('renders a signed-in page from the test provider', () => {
    const page = (
      <>
        <Status />
        <RequireScopes scopes={['studio']} loading={<p>guard-loading</p>}>
          <p>secret page</p>
        </RequireScopes>
      </>
    );
    // A client made outside rendering: the render itself reads no browser global.
    const auth = createTestCelonisAuth({ scopes: ['studio'] });
    const { result: html, touched } = recordingBrowserGlobals(() => renderToString(<TestCelonisAuthProvider auth={auth}>{page}</TestCelonisAuthProvider>));
    expect(touched).toEqual([]);
    expect(html).toContain('status:<!-- -->authenticated');
    expect(html).toContain('secret page');
    // One made by the provider during the render only feature-detects (typeof checks), and works.
    expect(renderToString(<TestCelonisAuthProvider scopes={['studio']}>{page}</TestCelonisAuthProvider>)).toBe(html);
  });
});
