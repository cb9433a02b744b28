// @celonis-auth/react/tanstack-router: a beforeLoad guard for TanStack Router. It imports nothing
// from @tanstack/react-router (beforeLoad is a plain function), so using it adds no dependency.
import type { CelonisAuth } from '@celonis-auth/core';
import { checkCelonisRouteAccess, type CelonisGuardOptions, type CelonisRouteAccess } from './celonisRouteAccess.js';

export { checkCelonisRouteAccess } from './celonisRouteAccess.js';
export type { CelonisGuardOptions, CelonisRouteAccess, CelonisRouteAccessStatus, CelonisRouteVisit } from './celonisRouteAccess.js';

/** The router context the guard needs: `createRootRouteWithContext<CelonisRouterContext>()`. */
export interface CelonisRouterContext {
  auth: CelonisAuth;
}

/** What TanStack Router passes `beforeLoad` that the guard reads. */
export interface CelonisBeforeLoadArgs {
  context: CelonisRouterContext;
  location: { href: string; publicHref?: string };
  /** `'enter'`: the route is being entered; `'stay'`: it stays matched (a sibling navigation, `invalidate()`); `'preload'`. */
  cause: 'enter' | 'stay' | 'preload';
  abortController: AbortController;
}

/**
 * A TanStack Router `beforeLoad` that guards a route (and its children) with the rules of
 * `<RequireScopes>`, using the client in the router context. It adds `celonisAccess`
 * ({@link CelonisRouteAccess}) to the route context:
 * - entering the route signed out leaves for one login (`replace: true`, back to the location);
 *   `beforeLoad` never resolves into a second one: a navigation while the login is under way waits
 *   for it, and coming back without signing in gives `'signedOut'`;
 * - a preload (`defaultPreload: 'intent'`) or a route that stays matched (the session ended while it
 *   was shown) never signs in: `'signedOut'`;
 * - signed in: `'granted'`, or `'missingScopes'` with the scopes lacking (never a redirect, so never a loop);
 * - on the redirect URI's path: `'callback'` at once, so `<CelonisCallback>` can finish signing in.
 *
 * @param options `scopes` the route needs (default none: any session) and `mode`, `'all'` (default) or `'any'`.
 * @throws {CodedTypeError} `invalid_return_to` (from `login`) for a location the core refuses as `returnTo`.
 * @example
 * ```tsx
 * const rootRoute = createRootRouteWithContext<CelonisRouterContext>()()
 * const auditRoute = createRoute({
 *   getParentRoute: () => rootRoute,
 *   path: '/audit',
 *   beforeLoad: celonisBeforeLoad({ scopes: ['audit.log:read'] }),
 *   component: function AuditPage() {
 *     const { celonisAccess } = auditRoute.useRouteContext()
 *     return celonisAccess.status === 'granted' ? <AuditLog /> : <RequestAccess access={celonisAccess} />
 *   },
 * })
 * const router = createRouter({ routeTree: rootRoute.addChildren([auditRoute]), context: { auth } })
 * ```
 */
export function celonisBeforeLoad(options: CelonisGuardOptions = {}): (args: CelonisBeforeLoadArgs) => Promise<{ celonisAccess: CelonisRouteAccess }> {
  return async ({ context, location, cause, abortController }) => ({
    celonisAccess: await checkCelonisRouteAccess(context.auth, {
      ...options,
      // publicHref carries the basepath (TanStack applies it as a rewrite); the login must come back to the page's real path.
      url: location.publicHref ?? location.href,
      signal: abortController.signal,
      signIn: cause === 'enter',
    }),
  });
}
