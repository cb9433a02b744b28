import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The hidden field of the login form that carries its token. */
export const FORM_TOKEN_FIELD = 'csrf_token';
/**
 * The cookie that binds form tokens to one browser: `HttpOnly`, `SameSite=Strict`, for the
 * authorize path only, so a cross-site form post arrives without it.
 */
export const FORM_COOKIE = 'celonis_emulator_form';

const RANDOM = /^[A-Za-z0-9_-]{43}$/;

/** Makes and checks the login form's CSRF tokens (see {@link createFormTokens}). */
export interface FormTokens {
  /** A new random value for {@link FORM_COOKIE}, or `cookie` itself when it is one already. */
  binding(cookie: string | undefined): string;
  /** A new token for one rendering of the form: a random nonce and a MAC over it, the browser's binding and the request. */
  issue(binding: string, request: [string, string][]): string;
  /** Whether `token` was issued by this emulator for this binding and exactly this request. */
  verify(token: string | undefined, binding: string | undefined, request: [string, string][]): boolean;
}

/**
 * Form tokens under a key made when the emulator starts (so they do not survive a restart): a
 * token is `nonce.mac`, with the MAC (HMAC-SHA256) over the nonce, the browser's cookie and the
 * authorization parameters the form carries. A page elsewhere can neither read one nor make one,
 * and one from another browser or for other parameters does not fit. Nothing is stored.
 */
export function createFormTokens(): FormTokens {
  const key = randomBytes(32);
  const mac = (nonce: string, binding: string, request: [string, string][]) =>
    createHmac('sha256', key)
      .update(JSON.stringify([nonce, binding, request]))
      .digest('base64url');
  return {
    binding: (cookie) => (cookie !== undefined && RANDOM.test(cookie) ? cookie : randomBytes(32).toString('base64url')),
    issue(binding, request) {
      const nonce = randomBytes(32).toString('base64url');
      return `${nonce}.${mac(nonce, binding, request)}`;
    },
    verify(token, binding, request) {
      if (token === undefined || binding === undefined || !RANDOM.test(binding)) return false;
      const [nonce, given, ...rest] = token.split('.');
      if (nonce === undefined || given === undefined || rest.length > 0 || !RANDOM.test(nonce) || !RANDOM.test(given)) return false;
      return timingSafeEqual(Buffer.from(given), Buffer.from(mac(nonce, binding, request)));
    },
  };
}
