// logout({ returnTo }): a configurable page after sign-out (issue "a newcomer's first hour").
import { describe, expect, it } from 'vitest';
import { REDIRECT_URI, TEAM_URL } from '@celonis-auth/test-utils';
import { signedIn } from './signIn.js';

const APP = new URL(REDIRECT_URI).origin;

describe('logout({ returnTo })', () => {
  it.each([
    ['a path of this app', '/signed-out', `${APP}/signed-out`],
    ['an absolute URL of this app', `${APP}/bye?x=1`, `${APP}/bye?x=1`],
    ["the team's logout page", `${TEAM_URL}/logout`, `${TEAM_URL}/logout`],
  ])('signs out, then leaves for %s', async (_, returnTo, target) => {
    const { auth, page } = await signedIn();
    page.navigations.splice(0);
    auth.logout({ returnTo });
    expect(auth.store.getState().status).toBe('signedOut');
    expect(page.navigations).toEqual([target]);
  });

  it('stays on the page without returnTo', async () => {
    const { auth, page } = await signedIn();
    page.navigations.splice(0);
    auth.logout();
    expect(page.navigations).toEqual([]);
  });

  it.each(['https://evil.example/logout', '//evil.example/x', 'javascript:alert(1)'])(
    'refuses %s synchronously with invalid_return_to, signed out all the same and going nowhere',
    async (returnTo) => {
      const { auth, page } = await signedIn();
      page.navigations.splice(0);
      expect(() => auth.logout({ returnTo })).toThrow(expect.objectContaining({ name: 'CodedTypeError', code: 'invalid_return_to' }));
      expect(auth.store.getState().status).toBe('signedOut');
      expect(page.navigations).toEqual([]);
    },
  );
});
