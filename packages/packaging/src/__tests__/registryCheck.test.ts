// The consumer smoke test needs the npm registry; without it, it must fail at once with npm's reason
// instead of passing on a warm cache or waiting out npm's default backoff.
import { tmpdir } from 'node:os';
import { expect, it } from 'vitest';
import { freePort } from '@celonis-auth/test-utils';
import { assertRegistryReachable } from '../npm.js';

it("fails with npm's reason when the registry cannot be reached", async () => {
  const registry = `http://127.0.0.1:${await freePort()}/`;
  const failure = await assertRegistryReachable(tmpdir(), registry).then(
    () => undefined,
    (error: unknown) => error as Error,
  );
  expect(failure?.message).toMatch(/^The npm registry cannot be reached, so the consumer smoke test cannot install anything \(npm ping exited \d+\)/);
  expect(failure?.message).toMatch(/ECONNREFUSED/);
  // npm's default backoff would outlast this timeout; three tries with 1-5 s between them do not.
}, 60_000);
