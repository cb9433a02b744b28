import type { ClientAuthentication, TokenBodyEncoding } from '@celonis-auth/core/protocol';
import type { ClientSecretSource } from '../clientSecret.js';
import type { FetchFunction, ServerLogger } from '../serverDeps.js';
import type { SessionStore } from '../sessionStore/sessionStore.js';

/** The default `basePath` of {@link CelonisBffOptions}: `/auth/login`, `/auth/callback`, `/auth/session`, `/auth/logout`. */
export const DEFAULT_BFF_BASE_PATH = '/auth';
/** The default `apiBasePath` of {@link CelonisBffOptions}. */
export const DEFAULT_BFF_API_BASE_PATH = '/celonis';
/** The default `cookieName`; on https the cookie is `__Host-celonis-auth`. */
export const DEFAULT_BFF_COOKIE_NAME = 'celonis-auth';

/** Platform access of the BFF, injected so tests need no global patches. */
export interface BffDeps {
  /** Default `globalThis.fetch` (looked up per call). */
  fetch?: FetchFunction;
  /** Where warnings go (never a token, cookie, code or query string). Default `console`. */
  logger?: ServerLogger;
  /** ms since the epoch: token expiry, session lifetimes, the default memory store's TTLs. Default `Date.now`. */
  now?: () => number;
  /** `size` bytes from a CSPRNG: states, PKCE verifiers, session ids, IVs. Default `crypto.randomBytes`. */
  randomBytes?: (size: number) => Uint8Array;
}

/** Options of `createCelonisBff`. */
export interface CelonisBffOptions {
  /** The team's origin, e.g. `https://acme.eu-1.celonis.cloud` (http only on loopback, e.g. the emulator). */
  teamUrl: string;
  /** The confidential OAuth client's id. */
  clientId: string;
  /** Its secret, or a function returning the current one (read on every token request, so it rotates without a restart). */
  clientSecret: ClientSecretSource;
  /** How the BFF authenticates at the token endpoint. Default `'client_secret_basic'`. */
  clientAuthentication?: ClientAuthentication;
  /** How token request bodies are encoded. Default `'urlencoded'`; `'multipart'` is the page's curl example. */
  tokenBodyEncoding?: TokenBodyEncoding;
  /** The portal's exact origins, e.g. `['https://portal.example.com']`: an `Origin` outside them is refused. Not empty. */
  allowedOrigins: readonly string[];
  /**
   * The redirect URI registered for the client, absolute, on one of `allowedOrigins`; its path is the
   * callback route. Default `${allowedOrigins[0]}${basePath}/callback`.
   */
  redirectUri?: string;
  /**
   * The issuer a callback's `iss` must name (RFC 9207, mix-up defence): a callback with another `iss`
   * is refused before any token request. Default: the team URL.
   */
  issuer?: string;
  /** Refuse callbacks that carry no `iss` at all. Default `false` (Celonis does not document `iss`). */
  requireIssuer?: boolean;
  /** The scopes every login asks for, e.g. `['studio']`; `/auth/login?scopes=` may add more. At least one. */
  scopes: readonly string[];
  /**
   * Secrets sealing the stored records (AES-256-GCM, per-key keys from HKDF): base64 or base64url of at
   * least 32 random bytes. The first seals, all open: put a new key first to rotate, drop the old one later.
   */
  encryptionKeys: string | readonly string[];
  /** Where sessions and login transactions live. Default `createMemorySessionStore()` (one process). */
  sessionStore?: SessionStore;
  /** The auth routes' prefix. Default `'/auth'`. */
  basePath?: string;
  /** The API proxy's prefix: `${apiBasePath}/x` goes to `${teamUrl}/x`. Default `'/celonis'`. */
  apiBasePath?: string;
  /** The session cookie's name, without prefix (`__Host-` is added when `secure`). Default `'celonis-auth'`. */
  cookieName?: string;
  /** Whether cookies are `Secure` (and `__Host-` prefixed). Default `true`, except for a redirect URI on http (loopback only). */
  secure?: boolean;
  /** A session unused this long ends (sliding). Default 1 800 (30 minutes). */
  idleTimeoutSeconds?: number;
  /** A session ends this long after sign-in, however busy. Default 43 200 (12 hours). */
  absoluteTimeoutSeconds?: number;
  /** The access token is refreshed this long before it expires. Default 60. */
  refreshLeewaySeconds?: number;
  /** Largest API request body, in bytes (413 beyond); bodies are buffered up to it so a retry can replay them. Default 1 MiB. */
  maxRequestBodyBytes?: number;
  /** Largest API response body passed back, in bytes. Default 16 MiB. */
  maxResponseBodyBytes?: number;
  /** The longest the BFF waits for the team's API or token endpoint, in ms. Default 30 000. */
  timeoutMs?: number;
  /** The longest a request body may take to arrive, in ms. Default 5 000. */
  bodyTimeoutMs?: number;
  /** The most API calls open to the team at once (a retry after a renewal counts again); beyond it 503 `proxy_busy`. Default 256. */
  maxConcurrentRequests?: number;
  /** The longest one session store call may take before it counts as unavailable (503), in ms. Default 5 000. */
  sessionStoreTimeoutMs?: number;
  /** Injected platform access. */
  deps?: BffDeps;
}
