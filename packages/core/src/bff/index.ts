// @celonis-auth/core/bff: the browser side of the backend-for-frontend mode, an entry of its own so
// the direct-mode bundle does not carry it (nor it oidc-client-ts).
export { createCelonisBffAuth } from './createCelonisBffAuth.js';
export { BFF_HEADER } from './bffSession.js';
export type { BffResolvedConfig, CelonisBffAuthConfig } from './bffConfig.js';
