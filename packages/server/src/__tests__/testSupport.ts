import { inspect } from 'node:util';
import { expect } from 'vitest';
import { basicCredentials, type ArgumentErrorCode, type CodedTypeError } from '@celonis-auth/core/protocol';
import type { ServerLogger } from '../serverDeps.js';

/** A logger that keeps every line, to assert on and to search for secrets. */
export function captureLogger(): { logger: ServerLogger; lines: string[] } {
  const lines: string[] = [];
  return { logger: { warn: (message: string) => void lines.push(message) }, lines };
}

/** A sleep that records the requested delays and resolves at once, to keep retry tests fast. */
export function recordingSleep(): { sleep: (ms: number) => Promise<void>; delays: number[] } {
  const delays: number[] = [];
  return { sleep: async (ms: number) => void delays.push(ms), delays };
}

/** Every form of `secret` that could leak: as is, URL-encoded, and inside Basic credentials. */
export function leakForms(clientId: string, secret: string): string[] {
  return [secret, encodeURIComponent(secret), basicCredentials(clientId, secret)];
}

/** Asserts that no text derived from `value` (error, response text, headers, log lines) holds a form of the secret. */
export function expectNoSecret(value: unknown, forms: readonly string[]): void {
  const texts = [typeof value === 'string' ? value : inspect(value, { depth: 10 })];
  if (value instanceof Error) texts.push(value.message, String(value.stack), JSON.stringify(value), inspect(value.cause, { depth: 10 }));
  for (const text of texts) for (const form of forms) expect(text).not.toContain(form);
}

/** A response's status line, headers and body as one text, for {@link expectNoSecret}. */
export async function responseText(response: Response): Promise<string> {
  const headers = [...response.headers.entries()].map(([name, value]) => `${name}: ${value}`).join('\n');
  return `${response.status}\n${headers}\n\n${await response.clone().text()}`;
}

/**
 * Asserts that `call` throws a {@link CodedTypeError} (a `TypeError`) with `code`, and returns the error.
 * By name rather than `instanceof`: a test that reloads modules gets a fresh copy of the class.
 */
export function expectCodedTypeError(call: () => unknown, code: ArgumentErrorCode): CodedTypeError {
  let thrown: unknown;
  try {
    call();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(TypeError);
  expect(thrown).toMatchObject({ name: 'CodedTypeError', code });
  return thrown as CodedTypeError;
}

// One helper for every package's tests; kept importable from here for the server's.
export { freePort } from '@celonis-auth/test-utils';
