// @celonis-auth/core/protocol: the runtime-neutral part of Celonis OAuth 2.0, shared by the browser
// core, the server package and the emulator. It imports neither oidc-client-ts nor zustand.
export { CelonisAuthError, isCelonisAuthError } from './celonisAuthError.js';
export type { CelonisAuthErrorCode, CelonisAuthErrorDetails } from './celonisAuthError.js';
export { CodedTypeError } from './codedTypeError.js';
export type { ArgumentErrorCode } from './codedTypeError.js';
export { CELONIS_SCOPES, isKnownCelonisScope } from './celonisScopes.js';
export type { CelonisScope, KnownCelonisScope, Register } from './celonisScopes.js';
export { checkScopeList, scopesSatisfy, splitScopeString } from './scopeTokens.js';
export type { ScopeMatchMode } from './scopeTokens.js';
export { isLoopbackHost, teamEndpoints } from './teamEndpoints.js';
export type { TeamEndpoints } from './teamEndpoints.js';
export { DEFAULT_EXPIRES_IN_SECONDS, isHeaderSafeToken, MAX_EXPIRES_IN_SECONDS, MAX_TOKEN_LENGTH, parseJson, readTokenResponse } from './readTokenResponse.js';
export { isJsonContentType, readTokenAnswer } from './readTokenAnswer.js';
export type { TokenAnswer } from './readTokenAnswer.js';
export { MAX_TOKEN_RESPONSE_BYTES, readBodyWithLimit } from './readBodyWithLimit.js';
export type { TokenSet } from './readTokenResponse.js';
export { isRetryableStatus, readOAuthErrorBody, tokenEndpointError } from './tokenEndpointError.js';
export type { OAuthErrorBody, TokenErrorAnswer } from './tokenEndpointError.js';
export { CLIENT_AUTHENTICATIONS, TOKEN_BODY_ENCODINGS, tokenRequestInit } from './tokenRequestInit.js';
export type { ClientAuthentication, TokenBodyEncoding, TokenRequestParts } from './tokenRequestInit.js';
export { basicCredentials } from './basicCredentials.js';
export { MAX_RETRY_AFTER_SECONDS, parseRetryAfter } from './parseRetryAfter.js';
export { bearerChallenge, insufficientScopeError } from './bearerChallenge.js';
export type { BearerChallenge } from './bearerChallenge.js';
export { createRetryAfterGate } from './retryAfterGate.js';
export type { RetryAfterGate } from './retryAfterGate.js';
export { DEPLOYING_GUIDE_URL } from './deployingGuide.js';
export { isOAuthErrorValue, MAX_CODE_LENGTH, queryCarriesTokens, repeatedParameter, wrongIssuer } from './authorizationResponse.js';
