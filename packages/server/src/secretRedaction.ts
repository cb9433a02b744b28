import { inspect } from 'node:util';
import { basicCredentials } from '@celonis-auth/core/protocol';

const REDACTED = '[redacted]';
const MAX_CAUSE_DEPTH = 5;

/**
 * The forms a client secret can take on the wire: as is, percent- and form-encoded, and inside
 * the Basic credentials. Anything that would leave the process is checked against all of them.
 */
export function secretForms(clientId: string, clientSecret: string): string[] {
  const forms = [
    clientSecret,
    encodeURIComponent(clientSecret),
    new URLSearchParams({ s: clientSecret }).toString().slice(2),
    basicCredentials(clientId, clientSecret),
  ];
  return [...new Set(forms)].filter((form) => form !== '');
}

/** Whether `text` contains any of `forms`. */
export function containsSecret(text: string, forms: readonly string[]): boolean {
  return forms.some((form) => text.includes(form));
}

/**
 * Whether `body`, read as JSON, holds any of `forms` in a decoded string (a key or a value, at any
 * depth), so escapes such as `\/`, `\u002b` or `\"` cannot hide a secret from {@link containsSecret}.
 * A body that is not JSON holds none (check its raw text with {@link containsSecret}).
 */
export function jsonContainsSecret(body: string, forms: readonly string[]): boolean {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return false;
  }
  // A stack, not recursion: a deeply nested body must not overflow the call stack.
  const pending: unknown[] = [json];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === 'string') {
      if (containsSecret(value, forms)) return true;
    } else if (Array.isArray(value)) {
      for (const item of value) pending.push(item);
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) pending.push(key, item);
    }
  }
  return false;
}

/** `text` with every occurrence of `forms` replaced by `[redacted]`. */
export function redactSecret(text: string, forms: readonly string[]): string {
  // Longest first, so a form containing another is replaced whole.
  return [...forms].sort((a, b) => b.length - a.length).reduce((out, form) => out.split(form).join(REDACTED), text);
}

/**
 * `cause` itself when nothing in it (message, stack, properties, nested causes) shows the secret;
 * otherwise a plain `Error` copy with the secret redacted, so it can travel as an error's `cause`.
 */
export function redactCause(cause: unknown, forms: readonly string[], depth = 0): unknown {
  if (!containsSecret(inspect(cause, { depth: MAX_CAUSE_DEPTH }), forms)) return cause;
  if (!(cause instanceof Error) || depth >= MAX_CAUSE_DEPTH) return new Error(REDACTED);
  const copy = new Error(redactSecret(cause.message, forms), cause.cause === undefined ? undefined : { cause: redactCause(cause.cause, forms, depth + 1) });
  copy.name = redactSecret(cause.name, forms);
  copy.stack = redactSecret(cause.stack ?? '', forms);
  return copy;
}
