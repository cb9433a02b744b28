// Before leaving for the Celonis login, check that the team answers at all. Otherwise a wrong or
// unreachable team URL ends on the browser's own "This site can't be reached", with no way back.
import { useSyncExternalStore } from 'react';
import { CelonisAuthError, type CelonisAuth, type LoginOptions } from '@celonis-auth/core';

/** Whether the last sign-in could leave for the team: `checking` while the probe runs; `path` is the page it was asked from. */
export type Reachability = { status: 'idle' | 'checking' } | { status: 'unreachable'; error: CelonisAuthError; retry: () => void; path: string };

/** How long the team may take to answer the probe before it counts as unreachable. */
const PROBE_TIMEOUT_MS = 10_000;

let current: Reachability = { status: 'idle' };
const listeners = new Set<() => void>();

function set(next: Reachability): void {
  current = next;
  listeners.forEach((listener) => listener());
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => void listeners.delete(listener);
};

/** The reachability of the team, live. */
export function useTeamReachability(): Reachability {
  return useSyncExternalStore(subscribe, () => current);
}

/**
 * Whether anything answers at `url`. `no-cors` gets an opaque answer from any reachable server (no
 * CORS needed, nothing is read); the promise rejects only when no answer came: DNS failure, refused
 * connection, offline, or the timeout. A HEAD of the origin's root: light, and no error status in
 * the console (the authorize endpoint answers 400 without parameters). no-cors must follow redirects.
 */
export async function probe(url: string): Promise<boolean> {
  try {
    await fetch(url, {
      method: 'HEAD',
      mode: 'no-cors',
      credentials: 'omit',
      cache: 'no-store',
      referrerPolicy: 'no-referrer',
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    return true;
  } catch {
    return false;
  }
}

/**
 * The same client, whose `login()` first probes the origin of the authorization endpoint. When nothing answers it
 * stays on the page (for `useTeamReachability` to show why) and rejects; "Try again" probes again.
 */
export function checkTeamBeforeLogin(auth: CelonisAuth): CelonisAuth {
  const login = async (options?: LoginOptions): Promise<void> => {
    set({ status: 'checking' });
    if (!(await probe(new URL('/', auth.config.authorizationEndpoint).href))) {
      const error = new CelonisAuthError(
        'network_error',
        `Nothing answered at ${new URL(auth.config.authorizationEndpoint).origin} (a HEAD request before leaving for the sign-in)`,
      );
      set({ status: 'unreachable', error, retry: () => void login(options).catch(() => undefined), path: window.location.pathname });
      throw error;
    }
    set({ status: 'idle' });
    return auth.login(options);
  };
  return { ...auth, login };
}
