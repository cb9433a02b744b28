import { Hono, type Context } from 'hono';
import { checkAuthorizationRequest, decideAuthorization } from '../authorizationRequest.js';
import type { EmulatorContext, EmulatorEnv } from '../emulatorContext.js';
import { renderErrorPage, renderLoginPage } from '../authorizePage.js';
import { withFault } from './withFault.js';

const PAGE_HEADERS = {
  'Cache-Control': 'no-store',
  // The form posts to this page, which redirects to the client: form-action is left open for that hop.
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
};

/** `GET /oauth2/authorize` shows the login and consent form; `POST` takes the user's decision. */
export function authorizeRoutes(ctx: EmulatorContext): Hono<EmulatorEnv> {
  const app = new Hono<EmulatorEnv>();

  app.get('/oauth2/authorize', (c) =>
    withFault(ctx, c, 'authorize', async () => {
      const check = checkAuthorizationRequest(ctx, new URL(c.req.url).searchParams);
      note(c, check.kind === 'ok' ? check.request.client.clientId : undefined, check.kind === 'redirect' ? check.error : undefined);
      if (check.kind === 'error-page') return c.html(renderErrorPage(check.description), 400, PAGE_HEADERS);
      if (check.kind === 'redirect') return c.redirect(check.location, 302);
      return c.html(renderLoginPage(check.request), 200, PAGE_HEADERS);
    }),
  );

  app.post('/oauth2/authorize', (c) =>
    withFault(ctx, c, 'authorize', async () => {
      const form = await readForm(c);
      const check = checkAuthorizationRequest(ctx, form.request);
      note(c, check.kind === 'ok' ? check.request.client.clientId : undefined, check.kind === 'redirect' ? check.error : undefined);
      if (check.kind === 'error-page') return c.html(renderErrorPage(check.description), 400, PAGE_HEADERS);
      if (check.kind === 'redirect') return c.redirect(check.location, 302);
      if (form.decision === 'deny') return c.redirect(decideAuthorization(ctx, check.request, { approve: false }), 302);
      if (form.decision !== 'approve') return c.html(renderLoginPage(check.request, { message: 'Choose Approve or Deny.' }), 400, PAGE_HEADERS);
      const user = ctx.config.users.find((u) => u.username === form.username && u.password === form.password);
      if (!user) {
        return c.html(renderLoginPage(check.request, { message: 'Wrong email or password.', username: form.username }), 401, PAGE_HEADERS);
      }
      return c.redirect(decideAuthorization(ctx, check.request, { approve: true, user }), 302);
    }),
  );
  return app;
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
    // An unreadable body is treated as empty: the check below then shows the error page.
  }
  const one = (name: string) => (typeof fields[name] === 'string' ? fields[name] : undefined);
  for (const [name, value] of Object.entries(fields)) {
    if (name === 'username' || name === 'password' || name === 'decision') continue;
    for (const item of Array.isArray(value) ? value : [value]) if (typeof item === 'string') request.append(name, item);
  }
  return { request, username: one('username') ?? '', password: one('password') ?? '', decision: one('decision') };
}
