import { describe, expect, it } from 'vitest';
import { grantsScopes, hasSession, isAwaitingToken, isSignedOut, isSigningIn } from '../../session/authSelectors.js';
import { authenticatedState, expiredState, refreshingState, signedOutState, signingInState, type AuthState } from '../../session/authState.js';

const states: [string, AuthState][] = [
  ['signedOut', signedOutState()],
  ['redirecting', signingInState('redirecting')],
  ['handlingCallback', signingInState('handlingCallback')],
  ['authenticated', authenticatedState('at', 10, ['studio'])],
  ['refreshing with a valid token', refreshingState('at', 10, ['studio'])],
  ['refreshing an expired token', refreshingState(null, 10, ['studio'])],
  ['expired', expiredState(10, ['studio'])],
];

describe('status rules, one place each', () => {
  it.each(states)('%s', (name, state) => {
    expect({
      hasSession: hasSession(state),
      isSigningIn: isSigningIn(state),
      isSignedOut: isSignedOut(state),
      isAwaitingToken: isAwaitingToken(state),
      grantsStudio: grantsScopes(state, ['studio']),
    }).toEqual({
      hasSession: ['authenticated', 'refreshing with a valid token', 'refreshing an expired token', 'expired'].includes(name),
      isSigningIn: ['redirecting', 'handlingCallback'].includes(name),
      isSignedOut: name === 'signedOut',
      isAwaitingToken: ['refreshing an expired token', 'expired'].includes(name),
      grantsStudio: ['authenticated', 'refreshing with a valid token', 'refreshing an expired token', 'expired'].includes(name),
    });
  });

  it('grantsScopes: all by default, any on request, and nothing without a session', () => {
    const state = authenticatedState('at', 10, ['studio', 'audit.log:read']);
    expect(grantsScopes(state, ['studio', 'audit.log:read'])).toBe(true);
    expect(grantsScopes(state, ['studio', 'machine-learning'])).toBe(false);
    expect(grantsScopes(state, ['studio', 'machine-learning'], 'any')).toBe(true);
    expect(grantsScopes({ ...signedOutState(), scopes: ['studio'] }, ['studio'])).toBe(false);
  });

  it('typed constructors fill every field', () => {
    expect(expiredState(10, ['studio'])).toEqual({ status: 'expired', accessToken: null, expiresAt: 10, scopes: ['studio'], error: null });
    expect(signingInState('redirecting')).toEqual({ status: 'redirecting', accessToken: null, expiresAt: null, scopes: [], error: null });
  });
});
