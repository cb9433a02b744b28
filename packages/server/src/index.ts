export { createClientCredentialsTokenSource } from './clientCredentialsTokenSource.js';
export type { ClientCredentialsTokenSource, ClientCredentialsTokenSourceOptions } from './clientCredentialsOptions.js';
export { createTokenRelay } from './tokenRelay.js';
export type { TokenRelay, TokenRelayOptions } from './tokenRelay.js';
export { relayMiddleware, toNodeHandler } from './nodeAdapters.js';
export type { ConnectMiddleware, NodeAdapterOptions, NodeRequestListener, WebRequestHandler } from './nodeAdapters.js';
export { STATIC_KEY_DEPRECATION, staticKeyAuthorization } from './staticKeyAuthorization.js';
export type { StaticKeyOptions } from './staticKeyAuthorization.js';
export { DEFAULT_EXPIRES_IN_SECONDS, MAX_EXPIRES_IN_SECONDS, readTokenResponse } from './tokenResponse.js';
export type { AccessToken } from './tokenResponse.js';
export { CLIENT_AUTHENTICATIONS, MAX_TOKEN_RESPONSE_BYTES, TOKEN_BODY_ENCODINGS } from './tokenRequest.js';
export type { ClientAuthentication, TokenBodyEncoding } from './tokenRequest.js';
export { DEFAULT_RETRY_POLICY } from './retryPolicy.js';
export type { RetryOptions } from './retryPolicy.js';
export type { ClientSecretSource } from './clientSecret.js';
export type { FetchFunction, ServerDeps, ServerLogger } from './serverDeps.js';
// The error types every function here throws, so a server can catch them without importing the core.
export { CelonisAuthError, CodedTypeError, isCelonisAuthError } from '@celonis-auth/core/protocol';
export type { ArgumentErrorCode, CelonisAuthErrorCode } from '@celonis-auth/core/protocol';
