// Retry-After binds every caller, not only the scheduler (issue "hostile servers").
import { describe, expect, it } from 'vitest';
import { json, rejection, tokenResponse } from '@celonis-auth/test-utils';
import { signedIn } from './signIn.js';

describe('after a 429 or 503 with Retry-After: 5', () => {
  it.each([429, 503])('%s: five quick getAccessToken() calls send one request; the first call after the wait sends one more', async (status) => {
    let answers = 0;
    const { auth, requests, clock } = await signedIn({
      respond: () => (answers++ === 0 ? json({ error: 'temporarily_unavailable' }, status, { 'Retry-After': '5' }) : tokenResponse(2)),
    });
    const first = await rejection(auth.getAccessToken({ forceRefresh: true }));
    expect(first).toMatchObject({ code: 'server_unavailable', retryAfterSeconds: 5 });
    for (let i = 0; i < 4; i++) {
      clock.advance(1_000);
      const held = await rejection(auth.getAccessToken({ forceRefresh: true }));
      expect(held).toMatchObject({ code: 'server_unavailable', status, retryAfterSeconds: 4 - i });
    }
    expect(requests).toHaveLength(1);
    clock.advance(1_000);
    await expect(auth.getAccessToken({ forceRefresh: true })).resolves.toBe('access-2');
    expect(requests).toHaveLength(2);
  });

  it('keeps handing out a still-valid token inside the window, without a request', async () => {
    const { auth, requests } = await signedIn({ respond: () => json({}, 503, { 'Retry-After': '5' }) });
    await rejection(auth.refresh());
    await expect(auth.getAccessToken()).resolves.toBe('access-1');
    expect(requests).toHaveLength(1);
  });

  it('does not hold callers back after a 503 without Retry-After', async () => {
    const { auth, requests } = await signedIn({ respond: () => json({}, 503) });
    await rejection(auth.refresh());
    await rejection(auth.refresh());
    expect(requests).toHaveLength(2);
  });
});
