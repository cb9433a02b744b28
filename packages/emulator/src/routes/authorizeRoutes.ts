import { Hono, type Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { carriedParams, checkAuthorizationRequest, decideAuthorization, type AuthorizationRequest } from '../authorizationRequest.js';
import type { EmulatorContext, EmulatorEnv } from '../emulatorContext.js';
import { renderErrorPage, renderLoginPage } from '../authorizePage.js';
import { FORM_COOKIE, FORM_TOKEN_FIELD, createFormTokens } from '../formToken.js';
import { registeredAppHome } from '../registeredAppHome.js';
import { withFault } from './withFault.js';

const PAGE_HEADERS = {
  'Cache-Control': 'no-store',
  // The form posts to this page, which redirects to the client: form-action is left open for that hop.
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
};
const FORM_FIELDS = new Set(['username', 'password', 'decision', FORM_TOKEN_FIELD]);

/**
 * `GET /oauth2/authorize` shows the login and consent form; `POST` takes the user's decision, only
 * with the CSRF token of a form this emulator rendered for this browser and this request.
 */
export function authorizeRoutes(ctx: EmulatorContext): Hono<EmulatorEnv> {
  const app = new Hono<EmulatorEnv>();
  const forms = createFormTokens();

  /** The login page for `request`, with a new form token bound to this browser's cookie (set when it has none). */
  const loginPage = (c: Context<EmulatorEnv>, request: AuthorizationRequest, status: 200 | 400 | 401, options?: { message?: string; username?: string }) => {
    const binding = forms.binding(getCookie(c, FORM_COOKIE));
    setCookie(c, FORM_COOKIE, binding, { httpOnly: true, sameSite: 'Strict', path: '/oauth2/authorize' });
    return c.html(renderLoginPage(request, forms.issue(binding, request.params), options), status, PAGE_HEADERS);
  };

  app.get('/oauth2/authorize', (c) =>
    withFault(ctx, c, 'authorize', async () => {
      const query = new URL(c.req.url).searchParams;
      const check = checkAuthorizationRequest(ctx, query);
      note(c, check.kind === 'ok' ? check.request.client.clientId : undefined, check.kind === 'redirect' ? check.error : undefined);
      if (check.kind === 'error-page') return errorPage(c, ctx, check.problem, check.description, query);
      if (check.kind === 'redirect') return c.redirect(check.location, 302);
      return loginPage(c, check.request, 200);
    }),
  );

  app.post('/oauth2/authorize', (c) =>
    withFault(ctx, c, 'authorize', async () => {
      const form = await readForm(c);
      // First of all: a form this emulator did not render for this browser and request decides nothing, not even a redirect.
      if (!forms.verify(form.token, getCookie(c, FORM_COOKIE), carriedParams(form.request))) {
        note(c, undefined, 'invalid_request');
        return errorPage(c, ctx, 'forged-form', 'The form has no valid csrf_token for this browser and this request.', form.request, 403);
      }
      const check = checkAuthorizationRequest(ctx, form.request);
      note(c, check.kind === 'ok' ? check.request.client.clientId : undefined, check.kind === 'redirect' ? check.error : undefined);
      if (check.kind === 'error-page') return errorPage(c, ctx, check.problem, check.description, form.request);
      if (check.kind === 'redirect') return c.redirect(check.location, 302);
      if (form.decision === 'deny') return c.redirect(decideAuthorization(ctx, check.request, { approve: false }), 302);
      if (form.decision !== 'approve') return loginPage(c, check.request, 400, { message: 'Choose Approve or Deny.' });
      const user = ctx.config.users.find((u) => u.username === form.username && u.password === form.password);
      if (!user) return loginPage(c, check.request, 401, { message: 'Wrong email or password.', username: form.username });
      return c.redirect(decideAuthorization(ctx, check.request, { approve: true, user }), 302);
    }),
  );
  return app;
}

function errorPage(
  c: Context<EmulatorEnv>,
  ctx: EmulatorContext,
  problem: Parameters<typeof renderErrorPage>[0],
  detail: string,
  request: URLSearchParams,
  status: 400 | 403 = 400,
): Response | Promise<Response> {
  return c.html(renderErrorPage(problem, detail, registeredAppHome(ctx.config, request.get('redirect_uri'))), status, PAGE_HEADERS);
}

function note(c: Context<EmulatorEnv>, clientId: string | undefined, error: string | undefined): void {
  c.set('logDetails', { ...c.get('logDetails'), ...(clientId ? { clientId } : {}), ...(error ? { error } : {}) });
}

async function readForm(c: Context<EmulatorEnv>) {
  const request = new URLSearchParams();
  let fields: Record<string, string | File | (string | File)[]> = {};
  try {
    fields = await c.req.parseBody({ all: true });
  } catch {
    // An unreadable body is treated as empty: it carries no form token, so the error page follows.
  }
  const one = (name: string) => (typeof fields[name] === 'string' ? fields[name] : undefined);
  for (const [name, value] of Object.entries(fields)) {
    if (FORM_FIELDS.has(name)) continue;
    for (const item of Array.isArray(value) ? value : [value]) if (typeof item === 'string') request.append(name, item);
  }
  return { request, username: one('username') ?? '', password: one('password') ?? '', decision: one('decision'), token: one(FORM_TOKEN_FIELD) };
}
