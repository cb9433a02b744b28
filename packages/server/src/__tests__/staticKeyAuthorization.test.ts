import { beforeEach, describe, expect, it, vi } from 'vitest';
import { captureLogger, expectCodedTypeError } from './testSupport.js';

const API_KEY = 'MDg5MGVkNDktNjMwZC00ODdiLTkyNGItMjNmMzMxNjRmM2IwOkhNUVRMUis4SGh6NHhBY21Vck9GaWdkem5rYzBrb3p0N056WUM0bGlqczMM';
const APP_KEY = 'MzgyZDEzYjItNjI1MS00NTIwLTk1YTItY2ZjYzMzZTllOTNmOkE3a1dvYnpYQ0c3aUtUdTNRNC9UNzFLUXZmY0E2ZjVXUUROajFoN1R5UzIr';

// The warning is once per process, i.e. per module instance: each test loads a fresh one.
let staticKeyAuthorization: typeof import('../staticKeyAuthorization.js').staticKeyAuthorization;
beforeEach(async () => {
  vi.resetModules();
  ({ staticKeyAuthorization } = await import('../staticKeyAuthorization.js'));
});

describe('staticKeyAuthorization', () => {
  it.each([
    ['api-key', API_KEY, `Bearer ${API_KEY}`],
    ['app-key', APP_KEY, `AppKey ${APP_KEY}`],
  ] as const)('formats a %s as on the Celonis page', (kind, key, header) => {
    expect(staticKeyAuthorization({ kind, key, logger: captureLogger().logger })).toBe(header);
  });

  it('warns once, pointing to OAuth, without the key', () => {
    const { logger, lines } = captureLogger();
    staticKeyAuthorization({ kind: 'api-key', key: API_KEY, logger });
    staticKeyAuthorization({ kind: 'app-key', key: APP_KEY, logger });
    staticKeyAuthorization({ kind: 'api-key', key: API_KEY, logger });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/to be discontinued.*OAuth 2\.0 client/);
    expect(lines[0]).not.toContain(API_KEY);
  });

  it.each([
    ['an empty key', { kind: 'api-key', key: '' }, /key is required/],
    ['a missing key', { kind: 'api-key' }, /key is required/],
    ['a trailing newline', { kind: 'api-key', key: `${API_KEY}\n` }, /trailing newline/],
    ['a space inside', { kind: 'app-key', key: 'abc def' }, /without spaces/],
    ['a control character', { kind: 'app-key', key: 'abc\u0000def' }, /control characters/],
    ['a non-ASCII character', { kind: 'app-key', key: 'abcé' }, /printable ASCII/],
    ['an unknown kind', { kind: 'oauth', key: API_KEY }, /kind must be 'api-key' \(Bearer\) or 'app-key' \(AppKey\)/],
  ])('refuses %s with a TypeError that does not repeat the key', (_name, options, message) => {
    const { logger, lines } = captureLogger();
    const call = () => staticKeyAuthorization({ ...(options as { kind: 'api-key'; key: string }), logger });
    expect(call).toThrow(TypeError);
    expect(call).toThrow(message);
    expectCodedTypeError(call, 'invalid_static_key');
    try {
      call();
    } catch (error) {
      expect(String(error)).not.toContain(API_KEY);
    }
    expect(lines).toEqual([]);
  });
});
