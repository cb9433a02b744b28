export { CELONIS_SCOPES, isKnownCelonisScope } from './celonisScopes.js';
export type { CelonisScope, KnownCelonisScope } from './celonisScopes.js';
