import { exchange, plainText, type DoctorAnswer } from './doctorHttp.js';
import { madeUpCodeParams, postToken } from './doctorRequests.js';
import { notChecked, type CorsResult, type DoctorContext } from './doctorTypes.js';

/** The API the CORS check asks about: the Knowledge Models list, guarded by a scope of the Celonis table. */
export const SAMPLE_API_PATH = '/intelligence/api/knowledge-models';

/** What the preflights ask for: the headers `auth.fetch` and a token request may send. */
export const PREFLIGHT_HEADERS: readonly string[] = ['authorization', 'content-type'];

// Fetch standard §4.8: a browser needs no Access-Control-Allow-Methods for these.
const SAFELISTED_METHODS = new Set(['GET', 'HEAD', 'POST']);

/**
 * Check 3: whether a browser on `ctx.origin` may use the token endpoint (`'token'`) or an API
 * (`'api'`). Sends a preflight (`OPTIONS` with `Origin`, `Access-Control-Request-Method` and
 * `-Headers`), then the request itself with `Origin`, and reads `Access-Control-Allow-*` as a browser
 * does. The core's token request is a simple request (form body, no `Authorization`), so for the
 * token endpoint only the answer's `Access-Control-Allow-Origin` decides; an API call carries
 * `Authorization`, so its preflight must pass too.
 */
export async function checkCors(ctx: DoctorContext, target: 'token' | 'api'): Promise<CorsResult> {
  if (ctx.origin === undefined) return notChecked('give --origin');
  const origin = ctx.origin;
  const url = target === 'token' ? ctx.endpoints.tokenEndpoint : `${ctx.endpoints.teamUrl}${SAMPLE_API_PATH}`;
  const method = target === 'token' ? 'POST' : 'GET';
  const preflightHeaders = { Origin: origin, 'Access-Control-Request-Method': method, 'Access-Control-Request-Headers': PREFLIGHT_HEADERS.join(', ') };
  const preflight = await exchange(ctx.http, url, { method: 'OPTIONS', headers: preflightHeaders });
  if (preflight.kind === 'no-answer') return { outcome: 'unreachable', mark: 'fail', reason: `no answer to a preflight to ${url}: ${preflight.failure}` };
  const actual =
    target === 'token'
      ? await postToken(ctx, madeUpCodeParams(), 'none', origin)
      : await exchange(ctx.http, url, { method: 'GET', headers: { Origin: origin, Accept: 'application/json' } });
  if (actual.kind === 'no-answer') return { outcome: 'unreachable', mark: 'fail', reason: `no answer to a ${method} to ${url}: ${actual.failure}` };

  const preflightRefused = preflightRefusal(preflight, origin, method, PREFLIGHT_HEADERS);
  const answerRefused = allowOriginRefusal(actual.headers, origin);
  const refused = (reason: string): CorsResult => ({ outcome: 'refused', mark: 'fail', reason });
  if (target === 'token') {
    if (answerRefused !== undefined) return refused(`the answer to a POST from ${origin} has ${answerRefused}: a browser there cannot read the token endpoint`);
    const aside = preflightRefused === undefined ? '' : ` (its preflight is refused: ${preflightRefused}; the core's token request needs none)`;
    return { outcome: 'allowed', mark: 'pass', reason: `${origin} may read the token endpoint's answers${aside}` };
  }
  if (preflightRefused !== undefined) return refused(`a preflight from ${origin} for GET with Authorization is refused: ${preflightRefused}`);
  if (answerRefused !== undefined) return refused(`the answer to a GET from ${origin} has ${answerRefused}: a browser there cannot read the APIs`);
  return { outcome: 'allowed', mark: 'pass', reason: `${origin} may call ${SAMPLE_API_PATH} with an Authorization header` };
}

/**
 * Why a browser would refuse this preflight answer, or `undefined` when it passes: a non-2xx status,
 * `Access-Control-Allow-Origin` not the origin (or `*`: these requests carry no cookies), the
 * method, or a requested header not allowed (`*` never covers `Authorization`, Fetch §3.2.5).
 */
export function preflightRefusal(answer: DoctorAnswer, origin: string, method: string, requestHeaders: readonly string[]): string | undefined {
  const originRefused = allowOriginRefusal(answer.headers, origin);
  if (answer.status < 200 || answer.status > 299) return `HTTP ${answer.status}${originRefused === undefined ? '' : `, ${originRefused}`}`;
  if (originRefused !== undefined) return originRefused;
  const methods = headerList(answer.headers, 'access-control-allow-methods');
  if (!SAFELISTED_METHODS.has(method) && !methods.includes(method.toLowerCase()) && !methods.includes('*')) {
    return `Access-Control-Allow-Methods does not list ${method}`;
  }
  const allowed = headerList(answer.headers, 'access-control-allow-headers');
  const missing = requestHeaders.filter((name) => !allowed.includes(name) && !(allowed.includes('*') && name !== 'authorization'));
  return missing.length ? `Access-Control-Allow-Headers does not allow ${missing.join(', ')}` : undefined;
}

function allowOriginRefusal(headers: Headers, origin: string): string | undefined {
  const allowOrigin = headers.get('access-control-allow-origin');
  if (allowOrigin === null) return 'no Access-Control-Allow-Origin';
  if (allowOrigin !== origin && allowOrigin !== '*') return `Access-Control-Allow-Origin "${plainText(allowOrigin, 80)}", not ${origin}`;
  return undefined;
}

function headerList(headers: Headers, name: string): string[] {
  return (headers.get(name) ?? '')
    .split(',')
    .map((item) => item.trim().toLowerCase())
    .filter((item) => item !== '');
}
