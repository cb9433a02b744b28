import { CodedTypeError } from './codedTypeError.js';

/** The OAuth endpoints of a Celonis team. */
export interface TeamEndpoints {
  /** The normalised team URL: its origin, e.g. `https://acme.eu-1.celonis.cloud`. */
  teamUrl: string;
  /** `${teamUrl}/oauth2/authorize` */
  authorizationEndpoint: string;
  /** `${teamUrl}/oauth2/token` */
  tokenEndpoint: string;
}

/**
 * Derives a team's endpoints as the Celonis page gives them:
 * `https://<team>.<cluster>.celonis.cloud/oauth2/authorize` and `/oauth2/token`.
 *
 * The team URL must be `https:`, or `http:` on a loopback host (an emulator on this machine);
 * anything else would send codes and tokens in clear text (RFC 9700 §2.6).
 *
 * @example
 * ```ts
 * teamEndpoints('https://acme.eu-1.celonis.cloud').tokenEndpoint // 'https://acme.eu-1.celonis.cloud/oauth2/token'
 * ```
 * @throws {CodedTypeError} `invalid_team_url` when `teamUrl` is not such a URL.
 */
export function teamEndpoints(teamUrl: string): TeamEndpoints {
  const origin = checkTeamUrl(teamUrl);
  return { teamUrl: origin, authorizationEndpoint: `${origin}/oauth2/authorize`, tokenEndpoint: `${origin}/oauth2/token` };
}

/** Whether `hostname` (as `URL.hostname` gives it) names this machine. */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

function checkTeamUrl(teamUrl: string): string {
  if (typeof teamUrl !== 'string' || teamUrl === '')
    throw new CodedTypeError('teamUrl is required, e.g. "https://acme.eu-1.celonis.cloud"', 'invalid_team_url');
  let url: URL;
  try {
    url = new URL(teamUrl);
  } catch {
    throw new CodedTypeError(`teamUrl "${teamUrl}" is not an absolute URL; use e.g. "https://acme.eu-1.celonis.cloud"`, 'invalid_team_url');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new CodedTypeError(`teamUrl must use https (http is allowed only for loopback hosts such as an emulator); got "${teamUrl}"`, 'invalid_team_url');
  }
  if (url.username || url.password) throw new CodedTypeError('teamUrl must not contain credentials', 'invalid_team_url');
  if (url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) {
    throw new CodedTypeError(`teamUrl must be the team's origin only, like "${url.origin}"; got "${teamUrl}"`, 'invalid_team_url');
  }
  return url.origin;
}
