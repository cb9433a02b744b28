// Type tests of the React package's public types: tsc checks them, nothing runs.
import { describe, expectTypeOf, it } from 'vitest';
import type { ComponentProps } from 'react';
import { createRootRouteWithContext, createRoute, createRouter } from '@tanstack/react-router';
import { createMemoryRouter } from 'react-router';
import { hasSession, type AuthState, type AuthStatus, type CelonisAuth, type CelonisScope } from '@celonis-auth/core';
import { clearQueriesOnSignOut, RequireScopes, useCelonisToken, type CelonisTokenState, type RequireScopesFallbackProps } from '@celonis-auth/react';
import { requireCelonisAuth, type CelonisRouteAccess } from '@celonis-auth/react/react-router';
import { celonisBeforeLoad, type CelonisRouterContext } from '@celonis-auth/react/tanstack-router';

declare const auth: CelonisAuth;

describe('useCelonisToken', () => {
  it('infers what a selector returns; without one, the token state', () => {
    function Probe() {
      expectTypeOf(useCelonisToken((s) => s.status)).toEqualTypeOf<AuthStatus>();
      expectTypeOf(useCelonisToken((s) => s.expiresAt)).toEqualTypeOf<number | null>();
      expectTypeOf(useCelonisToken((s) => s.scopes)).toEqualTypeOf<readonly string[]>();
      expectTypeOf(useCelonisToken(hasSession)).toEqualTypeOf<boolean>();
      expectTypeOf(useCelonisToken((s: AuthState) => (s.status === 'authenticated' ? s.accessToken : undefined))).toEqualTypeOf<string | null | undefined>();
      expectTypeOf(useCelonisToken()).toEqualTypeOf<CelonisTokenState>();
      return null;
    }
    expectTypeOf(Probe).toBeFunction();
  });

  it('hasScopes takes CelonisScope lists, and a mode', () => {
    expectTypeOf<CelonisTokenState['hasScopes']>().parameters.toEqualTypeOf<[required: readonly CelonisScope[], mode?: 'all' | 'any']>();
  });
});

describe('<RequireScopes>', () => {
  it('takes CelonisScope lists (completion, custom scopes allowed by default) and a typed fallback', () => {
    expectTypeOf<ComponentProps<typeof RequireScopes>['scopes']>().toEqualTypeOf<readonly CelonisScope[]>();
    expectTypeOf(RequireScopes).toBeCallableWith({ scopes: ['audit.log:read', 'acme.custom'] });
    expectTypeOf<RequireScopesFallbackProps['requestAccess']>().toEqualTypeOf<() => Promise<void>>();
  });
});

describe('router guards', () => {
  it('requireCelonisAuth is a React Router loader whose data is the access', () => {
    const loader = requireCelonisAuth(auth, { scopes: ['audit.log:read'], mode: 'any' });
    expectTypeOf(loader).returns.resolves.toEqualTypeOf<CelonisRouteAccess>();
    expectTypeOf(createMemoryRouter).toBeCallableWith([{ path: '/', loader }]);
    expectTypeOf<CelonisRouteAccess['missingScopes']>().toEqualTypeOf<CelonisScope[]>();
  });

  it("celonisBeforeLoad puts celonisAccess in the route context, and needs the client in the router's context", () => {
    const root = createRootRouteWithContext<CelonisRouterContext>()();
    const guarded = createRoute({ getParentRoute: () => root, path: '/audit', beforeLoad: celonisBeforeLoad({ scopes: ['audit.log:read'] }) });
    // What useRouteContext() returns once the app registers its router (without that, TanStack's hooks are untyped).
    expectTypeOf<(typeof guarded)['types']['allContext']>().toEqualTypeOf<CelonisRouterContext & { celonisAccess: CelonisRouteAccess }>();
    expectTypeOf(createRouter).toBeCallableWith({ routeTree: root.addChildren([guarded]), context: { auth } });

    const noAuth = createRootRouteWithContext<{ user: string }>()();
    // @ts-expect-error the router context has no auth client
    createRoute({ getParentRoute: () => noAuth, path: '/audit', beforeLoad: celonisBeforeLoad() });
  });

  it('clearQueriesOnSignOut takes anything with clear() and returns the unsubscribe', () => {
    expectTypeOf(clearQueriesOnSignOut).toBeCallableWith(auth, { clear: () => undefined });
    expectTypeOf(clearQueriesOnSignOut).returns.toEqualTypeOf<() => void>();
  });
});
