import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { CELONIS_SCOPES, isKnownCelonisScope } from '@celonis-auth/core/protocol';
import type { AuthorizationPageProblem, AuthorizationRequest } from './authorizationRequest.js';
import { FORM_TOKEN_FIELD } from './formToken.js';

type Page = HtmlEscapedString | Promise<HtmlEscapedString>;

const STYLE = `
  :root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
  body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: #f3f5f9; color: #1b2333; }
  main { width: min(440px, 92vw); background: #fff; border-radius: 12px; box-shadow: 0 8px 30px rgb(20 30 60 / 12%); padding: 32px; }
  h1 { font-size: 1.35rem; margin: 0 0 4px; } p { line-height: 1.5; } .muted { color: #5a6478; font-size: .9rem; }
  label { display: block; font-weight: 600; margin: 16px 0 6px; }
  input[type=email], input[type=password], input[type=text] { width: 100%; box-sizing: border-box; padding: 10px 12px; border: 1px solid #c5ccd8; border-radius: 8px; font: inherit; }
  ul { padding-left: 20px; } li { margin: 6px 0; } code { background: #eef1f6; padding: 1px 5px; border-radius: 4px; }
  .actions { display: flex; gap: 12px; margin-top: 24px; }
  button { flex: 1; padding: 11px; border-radius: 8px; border: 1px solid #1f4fd8; font: inherit; font-weight: 600; cursor: pointer; }
  button[value=approve] { background: #1f4fd8; color: #fff; } button[value=deny] { background: #fff; color: #1f4fd8; }
  .error { background: #fdecec; color: #8a1c1c; border-radius: 8px; padding: 10px 12px; }
  .brand { font-weight: 700; letter-spacing: .02em; color: #1f4fd8; margin-bottom: 16px; }`;

// Our own constant, so it needs no escaping: escaped, its quotes would break the font list.
const STYLE_HTML = raw(STYLE);

function layout(title: string, body: HtmlEscapedString | Promise<HtmlEscapedString>): Page {
  return html`<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title><style>${STYLE_HTML}</style></head>
  <body><main>${body}</main></body>
</html>`;
}

/** The login and consent page: a plain form posting back to `/oauth2/authorize`, with its CSRF token (`formToken`). */
export function renderLoginPage(request: AuthorizationRequest, formToken: string, options: { message?: string; username?: string } = {}): Page {
  const scopes = request.scopes.map(
    (scope) => html`<li><code>${scope}</code>${isKnownCelonisScope(scope) ? html` <span class="muted">${CELONIS_SCOPES[scope]}</span>` : ''}</li>`,
  );
  return layout(
    'Sign in to Celonis (emulator)',
    html`<div class="brand">Celonis emulator</div>
      <h1>Sign in to continue to ${request.client.name ?? request.client.clientId}</h1>
      <p class="muted">It asks for access to:</p>
      <ul>${scopes}</ul>
      ${options.message ? html`<p class="error" role="alert">${options.message}</p>` : ''}
      <form method="post" action="/oauth2/authorize">
        ${request.params.map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
        <input type="hidden" name="${FORM_TOKEN_FIELD}" value="${formToken}">
        <label for="username">Email</label>
        <input id="username" name="username" type="email" autocomplete="username" required value="${options.username ?? ''}">
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password">
        <div class="actions">
          <button type="submit" name="decision" value="deny" formnovalidate>Deny</button>
          <button type="submit" name="decision" value="approve">Approve</button>
        </div>
      </form>`,
  );
}

/** Why the error page is shown: a problem of the authorization request, or a login form that is not the emulator's own. */
export type ErrorPageProblem = AuthorizationPageProblem | 'forged-form';

const START_AGAIN = 'Go back to the application and start the sign-in again.';
const WORDING: Record<ErrorPageProblem, { title: string; what: string; help: string }> = {
  'no-client': {
    title: 'This sign-in link is incomplete',
    what: 'The link that brought you here does not say which application is asking you to sign in.',
    help: START_AGAIN,
  },
  'unknown-client': {
    title: 'This application is not registered',
    what: 'The application that sent you here is not one this emulator knows, so it cannot sign you in to it.',
    help: 'Its developer has to use a client id the emulator knows: the emulator lists its clients when it starts, and --config adds more.',
  },
  'no-redirect-uri': {
    title: 'This sign-in link is incomplete',
    what: 'The link that brought you here does not say where to send you back after signing in.',
    help: START_AGAIN,
  },
  'unregistered-redirect-uri': {
    title: 'This return address is not allowed',
    what: 'The application asked to send you back to an address this emulator does not allow for it, so it will not send you there.',
    help: 'Its developer has to register that address for the client (redirectUris in --config) or use one that is registered.',
  },
  'forged-form': {
    title: 'This sign-in form cannot be used',
    what: 'The form you sent did not come from this emulator’s own sign-in page, or the page is older than the emulator’s last restart. Nothing was signed in.',
    help: START_AGAIN,
  },
};

/**
 * The page shown when the request cannot be sent back to the client: what happened in plain words,
 * the one thing that helps, the technical detail, and a link to `home` (the application's origin,
 * only when it is registered; see `registeredAppHome`) or else what to do without one.
 */
export function renderErrorPage(problem: ErrorPageProblem, detail: string, home?: string): Page {
  const { title, what, help } = WORDING[problem];
  return layout(
    title,
    html`<div class="brand">Celonis emulator</div>
      <h1>${title}</h1>
      <p class="error" role="alert">${what}</p>
      <p>${help}</p>
      ${home === undefined ? html`<p>Close this page and return to the application you came from.</p>` : html`<p><a href="${home}">Back to ${home}</a></p>`}
      <p class="muted">Details: ${detail}</p>`,
  );
}
