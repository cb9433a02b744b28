import { useContext } from 'react';
import type { CelonisAuth } from '@celonis-auth/core';
import { CelonisAuthContext } from './celonisAuthContext.js';

/**
 * The client from the nearest `<CelonisAuthProvider>`, for `auth.fetch` and friends.
 *
 * @throws {Error} outside a provider, with the fix in the message.
 */
export function useCelonisAuth(hookName = 'useCelonisAuth'): CelonisAuth {
  const auth = useContext(CelonisAuthContext);
  if (!auth) {
    throw new Error(
      `${hookName}() was called outside <CelonisAuthProvider>. Create the client once with createCelonisAuth({...}) and wrap your app: <CelonisAuthProvider auth={auth}><App /></CelonisAuthProvider>.`,
    );
  }
  return auth;
}
