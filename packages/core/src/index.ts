// @celonis-auth/core: the browser client. The runtime-neutral part (errors, scopes, token-response
// validation) is also at @celonis-auth/core/protocol, for servers that must not load the browser stack.
export { createCelonisAuth } from './createCelonisAuth.js';
export type { CelonisAuth, GetAccessTokenOptions, LoginOptions, LogoutOptions } from './celonisAuth.js';
export type { CelonisAuthConfig, ResolvedConfig, StorageChoice } from './config/resolveConfig.js';
export type { BffResolvedConfig, CelonisBffAuthConfig } from './bff/bffConfig.js';
export type { BroadcastLike, CelonisAuthDeps, CryptoLike, LocksLike, StorageLike, TimerLike } from './platform/celonisAuthDeps.js';
export { createMemoryStorage } from './platform/memoryStorage.js';
export { authenticatedState, expiredState, refreshingState, signedOutState, signingInState } from './session/authState.js';
export type { AuthState, AuthStateFields, AuthStatus } from './session/authState.js';
export { grantsScopes, hasSession, isAwaitingToken, isSignedOut, isSigningIn } from './session/authSelectors.js';
export { createAuthStore } from './session/authStore.js';
export type { ReadonlyAuthStore } from './session/authStore.js';
export { DEFAULT_MIN_VALIDITY_SECONDS } from './session/tokenFreshness.js';
export type { AuthFetch } from './http/authFetch.js';
export type { RedirectCallbackResult } from './login/redirectCallback.js';
export { CelonisAuthError, isCelonisAuthError } from './protocol/celonisAuthError.js';
export type { CelonisAuthErrorCode, CelonisAuthErrorDetails } from './protocol/celonisAuthError.js';
export { CodedTypeError } from './protocol/codedTypeError.js';
export type { ArgumentErrorCode } from './protocol/codedTypeError.js';
export { CELONIS_SCOPES, isKnownCelonisScope } from './protocol/celonisScopes.js';
export type { CelonisScope, KnownCelonisScope, Register } from './protocol/celonisScopes.js';
export { scopesSatisfy } from './protocol/scopeTokens.js';
export type { ScopeMatchMode } from './protocol/scopeTokens.js';
export { teamEndpoints } from './protocol/teamEndpoints.js';
export type { TeamEndpoints } from './protocol/teamEndpoints.js';
export { insufficientScopeError } from './protocol/bearerChallenge.js';
export type { ClientAuthentication } from './protocol/tokenRequestInit.js';
