export { CelonisAuthProvider } from './CelonisAuthProvider.js';
export type { CelonisAuthProviderProps } from './CelonisAuthProvider.js';
export { useCelonisAuth } from './useCelonisAuth.js';
export { useCelonisToken } from './useCelonisToken.js';
export type { CelonisTokenState } from './useCelonisToken.js';
export { RequireScopes } from './RequireScopes.js';
export type { RequireScopesFallbackProps, RequireScopesProps } from './RequireScopes.js';
export { CelonisCallback } from './CelonisCallback.js';
export type { CelonisCallbackProps } from './CelonisCallback.js';
