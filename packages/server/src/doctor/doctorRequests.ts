import { randomBytes } from 'node:crypto';
import { tokenRequestInit, type ClientAuthentication } from '@celonis-auth/core/protocol';
import { exchange, type DoctorExchange } from './doctorHttp.js';
import type { DoctorContext } from './doctorTypes.js';

/** The redirect URI of the made-up code: `.invalid` never resolves (RFC 2606), so nothing could ever be sent there. */
export const PLACEHOLDER_REDIRECT_URI = 'https://celonis-auth-doctor.invalid/callback';

/** A token request built by the protocol's `tokenRequestInit`, as the core and the relay send it. */
export function postToken(ctx: DoctorContext, params: [string, string][], method: ClientAuthentication | 'none', origin?: string): Promise<DoctorExchange> {
  const secret = method === 'none' ? undefined : ctx.clientSecret;
  const init = tokenRequestInit({ params, clientId: ctx.clientId, clientSecret: secret, ...(method === 'none' ? {} : { authentication: method }) });
  if (origin !== undefined) init.headers.set('Origin', origin);
  return exchange(ctx.http, ctx.endpoints.tokenEndpoint, init);
}

/** An authorization-code grant for a code nobody issued: random, so it can never redeem a real one. */
export function madeUpCodeParams(): [string, string][] {
  return [
    ['grant_type', 'authorization_code'],
    ['code', randomBytes(24).toString('base64url')],
    ['redirect_uri', PLACEHOLDER_REDIRECT_URI],
  ];
}
