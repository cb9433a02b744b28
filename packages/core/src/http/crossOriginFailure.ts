import { CelonisAuthError } from '../protocol/celonisAuthError.js';
import { DEPLOYING_GUIDE_URL } from '../protocol/deployingGuide.js';

/**
 * The page's origin when `url` is on another one, else undefined: outside a page (no URL) or on the
 * page's own origin, a failed request is an ordinary network failure, not a CORS question.
 */
export function crossOriginPage(url: string, pageUrl: string): string | undefined {
  try {
    const page = new URL(pageUrl).origin;
    // An opaque origin ("null": file:, data:) is no page a team could allow.
    return page !== 'null' && new URL(url).origin !== page ? page : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `token_endpoint_unreachable` or `api_unreachable`: from script a CORS refusal and a network
 * failure look the same (a fetch that rejects), so the message names both and the way out.
 */
export function unreachable(code: 'token_endpoint_unreachable' | 'api_unreachable', url: string, page: string, cause: unknown): CelonisAuthError {
  const fix =
    code === 'api_unreachable'
      ? 'call the APIs through a same-origin API proxy (apiBaseUrl) or the backend-for-frontend'
      : 'Celonis clients are confidential: use the token relay or the backend-for-frontend';
  return new CelonisAuthError(
    code,
    `No answer from ${new URL(url).origin} reached ${page}: offline, or no CORS for this origin (Celonis documents none). ${fix}. See ${DEPLOYING_GUIDE_URL}`,
    { cause },
  );
}
