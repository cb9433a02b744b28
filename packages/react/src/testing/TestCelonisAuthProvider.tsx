import { useState, type ReactNode } from 'react';
import { CelonisAuthProvider } from '../CelonisAuthProvider.js';
import { createTestCelonisAuth, type TestAuthOptions, type TestCelonisAuth } from './createTestCelonisAuth.js';

/** Props of {@link TestCelonisAuthProvider}: the session to start with, or a client you made. */
export interface TestCelonisAuthProviderProps extends TestAuthOptions {
  /** A client from `createTestCelonisAuth`, to drive it from the test. Default: one made from the other props. */
  auth?: TestCelonisAuth;
  children?: ReactNode;
}

/**
 * A provider with a chosen signed-in state and scopes, for component tests without a server.
 *
 * @example
 * ```tsx
 * render(<TestCelonisAuthProvider scopes={['studio']}><Overview /></TestCelonisAuthProvider>)
 * ```
 */
export function TestCelonisAuthProvider({ auth, children, ...options }: TestCelonisAuthProviderProps) {
  const [client] = useState(() => auth ?? createTestCelonisAuth(options));
  return <CelonisAuthProvider auth={client}>{children}</CelonisAuthProvider>;
}
