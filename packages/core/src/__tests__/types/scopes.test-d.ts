// Type tests of the core's public types in the default (open) scope mode: tsc checks them, nothing runs.
// The strict mode, which needs a module augmentation of its own program, is in strictScopes.test.ts.
import { describe, expectTypeOf, it } from 'vitest';
import {
  CELONIS_SCOPES,
  createCelonisAuth,
  grantsScopes,
  hasSession,
  insufficientScopeError,
  isKnownCelonisScope,
  type AuthState,
  type CelonisAuth,
  type CelonisScope,
  type KnownCelonisScope,
  type LoginOptions,
  type Register,
} from '@celonis-auth/core';
import type { CelonisScope as ProtocolScope, Register as ProtocolRegister } from '@celonis-auth/core/protocol';

/** The string literals of a union, without its open `string & {}` member. */
type Literals<T> = T extends string ? (string extends T ? never : T) : never;

declare const auth: CelonisAuth;

describe('scopes, default mode', () => {
  it('CelonisScope keeps every documented scope as a literal (editor completion) and stays open', () => {
    expectTypeOf<KnownCelonisScope>().toEqualTypeOf<keyof typeof CELONIS_SCOPES>();
    expectTypeOf<Literals<CelonisScope>>().toEqualTypeOf<KnownCelonisScope>();
    expectTypeOf<'studio' | 'audit.log:read' | 'machine-learning'>().toExtend<KnownCelonisScope>();
    expectTypeOf<CelonisScope>().not.toEqualTypeOf<string>();
    expectTypeOf<string>().toExtend<CelonisScope>();
  });

  it('a typo or a custom scope is accepted', () => {
    expectTypeOf<'studoi'>().toExtend<CelonisScope>();
    expectTypeOf(auth.hasScopes).toBeCallableWith(['studoi', 'acme.custom:read']);
    expectTypeOf(auth.login).toBeCallableWith({ scopes: ['team.members:read'] });
    expectTypeOf(createCelonisAuth).toBeCallableWith({
      teamUrl: 'https://t.celonis.cloud',
      clientId: 'c',
      redirectUri: 'https://a/cb',
      scopes: ['studio', 'x:y'],
    });
  });

  it('a non-string is never a scope', () => {
    // @ts-expect-error numbers are not scopes
    auth.hasScopes([42]);
    expectTypeOf<number>().not.toExtend<CelonisScope>();
  });

  it('hasScopes and login take CelonisScope lists', () => {
    expectTypeOf(auth.hasScopes).parameter(0).toEqualTypeOf<readonly CelonisScope[]>();
    expectTypeOf(auth.hasScopes).returns.toEqualTypeOf<boolean>();
    expectTypeOf<NonNullable<LoginOptions['scopes']>>().toEqualTypeOf<readonly CelonisScope[]>();
  });

  it('Register is empty until augmented; both entry points name the same types', () => {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the empty interface users augment
    expectTypeOf<Register>().toEqualTypeOf<{}>();
    expectTypeOf<ProtocolRegister>().toEqualTypeOf<Register>();
    expectTypeOf<ProtocolScope>().toEqualTypeOf<CelonisScope>();
  });

  it('isKnownCelonisScope narrows a string to a documented scope; CELONIS_SCOPES keeps its text as literals', () => {
    const scope: string = 'studio';
    if (isKnownCelonisScope(scope)) expectTypeOf(scope).toEqualTypeOf<KnownCelonisScope>();
    expectTypeOf(CELONIS_SCOPES.studio).toEqualTypeOf<'Gives access to Studio.'>();
  });
});

describe('selectors and errors', () => {
  it('selectors take AuthState and answer booleans', () => {
    expectTypeOf(hasSession).toEqualTypeOf<(state: AuthState) => boolean>();
    expectTypeOf(grantsScopes).parameter(1).toEqualTypeOf<readonly string[]>();
    expectTypeOf(grantsScopes).returns.toEqualTypeOf<boolean>();
  });

  it('insufficientScopeError is a CelonisAuthError or undefined, with requiredScopes', () => {
    const error = insufficientScopeError(new Response(null, { status: 403 }));
    expectTypeOf(error?.requiredScopes).toEqualTypeOf<string[] | undefined>();
    if (error) expectTypeOf(error.code).toExtend<string>();
  });
});
