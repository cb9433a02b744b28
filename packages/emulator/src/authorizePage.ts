import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { CELONIS_SCOPES, isKnownCelonisScope } from '@celonis-auth/core/protocol';
import type { AuthorizationRequest } from './authorizationRequest.js';

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

/** The login and consent page: a plain form posting back to `/oauth2/authorize`. */
export function renderLoginPage(request: AuthorizationRequest, options: { message?: string; username?: string } = {}): Page {
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

/** The page shown when the request cannot be sent back to the client. */
export function renderErrorPage(description: string): Page {
  return layout(
    'Authorization error',
    html`<div class="brand">Celonis emulator</div>
      <h1>This sign-in request cannot be completed</h1>
      <p class="error" role="alert">${description}</p>
      <p class="muted">Check the application's client_id and redirect_uri against the emulator's registered clients.</p>`,
  );
}
