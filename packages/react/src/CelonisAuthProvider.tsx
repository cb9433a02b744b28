import { useEffect, type ReactNode } from 'react';
import type { CelonisAuth } from '@celonis-auth/core';
import { CelonisAuthContext } from './celonisAuthContext.js';

/** Props of {@link CelonisAuthProvider}. */
export interface CelonisAuthProviderProps {
  /** A client made once, outside React, with `createCelonisAuth`. */
  auth: CelonisAuth;
  children?: ReactNode;
}

/**
 * Makes `auth` available to the hooks and components below, and runs its refresh scheduler and
 * cross-tab listeners while mounted. `start()` is reference-counted, so StrictMode's double
 * mount and several providers for one client are harmless.
 *
 * @example
 * ```tsx
 * const auth = createCelonisAuth({ teamUrl, clientId, redirectUri, scopes: ['studio'] })
 * createRoot(el).render(<CelonisAuthProvider auth={auth}><App /></CelonisAuthProvider>)
 * ```
 */
export function CelonisAuthProvider({ auth, children }: CelonisAuthProviderProps) {
  useEffect(() => auth.start(), [auth]);
  return <CelonisAuthContext.Provider value={auth}>{children}</CelonisAuthContext.Provider>;
}
