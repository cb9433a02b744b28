import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_EMULATOR_CONFIG, startEmulator, type RunningEmulator } from '@celonis-auth/emulator';
import { cookieJar } from '@celonis-auth/test-utils';
import { createCelonisBff, toNodeHandler, type CelonisBffOptions } from '../../index.js';

/** A portal server instance: a BFF on its own 127.0.0.1 port. */
export interface Instance {
  origin: string;
  close(): Promise<void>;
}

/** Listens on a free 127.0.0.1 port, with the handler set later (the origins must be known first). */
export async function listenInstance(): Promise<Instance & { serve(options: CelonisBffOptions): void }> {
  let handler: ReturnType<typeof toNodeHandler> = (_req, res) => void res.writeHead(503).end();
  const server: Server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    serve: (options) => void (handler = toNodeHandler(createCelonisBff(options))),
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** The emulator in the celonis profile, its `portal` client allowed to return to `redirectUri`. */
export function startCelonisEmulator(redirectUri: string): Promise<RunningEmulator> {
  const clients = DEFAULT_EMULATOR_CONFIG.clients.map((client) => (client.clientId === 'portal' ? { ...client, redirectUris: [redirectUri] } : client));
  return startEmulator({ port: 0, profile: 'celonis', config: { clients } });
}

/** A fetch that keeps every token the emulator's token endpoint issues, to scan Redis for. */
export function tokenRecordingFetch(tokens: Set<string>): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    const url = input instanceof Request ? input.url : String(input);
    if (url.endsWith('/oauth2/token') && response.ok) {
      const body = (await response.clone().json()) as { access_token?: string; refresh_token?: string };
      for (const token of [body.access_token, body.refresh_token]) if (token) tokens.add(token);
    }
    return response;
  };
}

/** A browser for 127.0.0.1 (cookies ignore the port, so both instances get them). */
export class CookieJar {
  readonly #jar = cookieJar();

  header(): string {
    return this.#jar.header();
  }

  values(): string[] {
    return [...this.#jar.cookies.values()];
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<Response> {
    const response = await fetch(url, { headers: { Cookie: this.header(), ...headers }, redirect: 'manual' });
    this.#jar.take(response);
    return response;
  }

  /** A proxied API call as `auth.fetch` sends it in bff mode. */
  api(origin: string, path: string): Promise<Response> {
    return this.get(`${origin}${path}`, { 'X-Celonis-Auth': '1', Origin: origin, 'Sec-Fetch-Site': 'same-origin' });
  }
}
