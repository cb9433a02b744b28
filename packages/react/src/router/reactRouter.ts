// @celonis-auth/react/react-router: a loader guard for React Router 7's data routers. It imports
// nothing from react-router (a loader is a plain function), so using it adds no dependency.
import type { CelonisAuth } from '@celonis-auth/core';
import { checkCelonisRouteAccess, type CelonisGuardOptions, type CelonisRouteAccess } from './celonisRouteAccess.js';

export { checkCelonisRouteAccess } from './celonisRouteAccess.js';
export type { CelonisGuardOptions, CelonisRouteAccess, CelonisRouteAccessStatus, CelonisRouteVisit } from './celonisRouteAccess.js';

/** What React Router passes a `loader` or `clientLoader` that the guard reads: the navigation's request. */
export interface CelonisLoaderArgs {
  request: Request;
}

/**
 * A React Router `loader` / `clientLoader` that guards a route with the rules of `<RequireScopes>`:
 * - a visit that starts signed out leaves for one login (`replace: true`, back to the request's path
 *   and query); the loader never resolves into a second one: a navigation while the login is under
 *   way waits for it, and coming back without signing in resolves `'signedOut'`;
 * - signed in, it resolves {@link CelonisRouteAccess}: `'granted'`, or `'missingScopes'` with the
 *   scopes lacking, for the route to offer `requestAccess()` (never a redirect, so never a loop);
 * - on the redirect URI's path it resolves `'callback'` at once, so a guard on a layout above the
 *   callback route lets `<CelonisCallback>` finish signing in.
 *
 * A loader runs again when React Router revalidates (after an action, or `useRevalidator`): a route
 * revalidated signed out counts as a visit. Leave guarded routes on sign-out (`logout({ returnTo: '/' })`).
 *
 * @param auth the client given to `<CelonisAuthProvider>`.
 * @param options `scopes` the route needs (default none: any session) and `mode`, `'all'` (default) or `'any'`.
 * @throws {CodedTypeError} `invalid_return_to` (from `login`) for a location the core refuses as `returnTo`.
 * @example
 * ```tsx
 * const router = createBrowserRouter([
 *   { path: '/callback', element: <CelonisCallback /> },
 *   { path: '/audit', loader: requireCelonisAuth(auth, { scopes: ['audit.log:read'] }), Component: AuditPage },
 * ])
 * function AuditPage() {
 *   const access = useLoaderData() as CelonisRouteAccess
 *   if (access.status !== 'granted') return <button onClick={() => void access.requestAccess()}>Request access</button>
 *   return <AuditLog />
 * }
 * ```
 */
export function requireCelonisAuth(auth: CelonisAuth, options: CelonisGuardOptions = {}): (args: CelonisLoaderArgs) => Promise<CelonisRouteAccess> {
  return ({ request }) => checkCelonisRouteAccess(auth, { ...options, url: request.url, signal: request.signal });
}
