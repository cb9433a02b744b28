import type { EmulatorConfig } from './emulatorConfig.js';

/**
 * Where an error page may send the user back to: `${origin}/` of `redirectUri` when some client
 * registers an http(s) redirect URI on that very origin, else `undefined`. Only registered origins
 * get a link, so the page never links to wherever a crafted request points.
 *
 * @example
 * ```ts
 * registeredAppHome(DEFAULT_EMULATOR_CONFIG, 'http://localhost:5173/wrong') // 'http://localhost:5173/'
 * registeredAppHome(DEFAULT_EMULATOR_CONFIG, 'https://evil.example/callback') // undefined
 * ```
 */
export function registeredAppHome(config: EmulatorConfig, redirectUri: string | null): string | undefined {
  const origin = webOrigin(redirectUri);
  if (origin === undefined) return undefined;
  const registered = config.clients.some((client) => (client.redirectUris ?? []).some((uri) => webOrigin(uri) === origin));
  return registered ? `${origin}/` : undefined;
}

function webOrigin(value: string | null): string | undefined {
  if (value === null || !URL.canParse(value)) return undefined;
  const url = new URL(value);
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : undefined;
}
