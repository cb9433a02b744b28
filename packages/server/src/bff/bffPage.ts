import type { BffFailure } from './bffResponses.js';

/** Where a failed sign-in page offers to start again. */
export interface RetryLink {
  basePath: string;
  /** The same-origin path the sign-in was going to, `/` when unknown. */
  returnTo: string;
}

const TITLES: Record<number, string> = { 403: 'Sign-in was not allowed', 503: 'Sign-in is unavailable right now' };

/**
 * A small HTML page saying what happened to a sign-in in plain words, with its `error` code and a
 * link to `{basePath}/login?returnTo=...`. Every text is escaped; `Cache-Control: no-store`,
 * `Content-Security-Policy: default-src 'none'` (no script, style or frame), no Referer.
 */
export function signInPage(failure: BffFailure, retry: RetryLink, setCookies: readonly string[] = []): Response {
  const href = `${retry.basePath}/login?${new URLSearchParams({ returnTo: retry.returnTo })}`;
  const title = TITLES[failure.status] ?? 'Sign-in did not complete';
  const html = [
    '<!doctype html>',
    '<html lang="en">',
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title></head>`,
    '<body>',
    `<h1>${escapeHtml(title)}</h1>`,
    `<p>${escapeHtml(failure.description)}</p>`,
    `<p><a href="${escapeHtml(href)}">Sign in again</a></p>`,
    `<p><small>Error code: <code>${escapeHtml(failure.error)}</code></small></p>`,
    '</body>',
    '</html>',
  ].join('\n');
  const headers = new Headers({
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    Pragma: 'no-cache',
    'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    ...failure.headers,
  });
  for (const line of setCookies) headers.append('Set-Cookie', line);
  return new Response(html, { status: failure.status, headers });
}

/** `text` safe inside HTML text and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
