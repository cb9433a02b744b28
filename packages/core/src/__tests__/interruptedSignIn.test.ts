// A reload while the code is exchanged (issue "interrupted sign-ins"): a typed login_interrupted, never "not an authorization callback".
import { describe, expect, it } from 'vitest';
import { callbackFor, deferred, rejection, tokenResponse } from '@celonis-auth/test-utils';
import { browser, CALLBACK } from './callbackBrowser.js';

/** A browser whose token endpoint answers each request with the next promise the test queued. */
function slowBrowser() {
  const answers: Promise<Response>[] = [];
  const env = browser(() => answers.shift() ?? Promise.resolve(tokenResponse(99)));
  /** Logs in, arrives at the callback and starts the exchange; its answer waits for `settle`. */
  async function exchangeUnderWay(returnTo = '/audit?tab=2') {
    const answer = deferred<Response>();
    answers.push(answer.promise);
    const authorizeUrl = await env.startLogin({ returnTo });
    env.page.url = callbackFor(authorizeUrl);
    const sent = env.requests.length;
    const exchange = env.openPage().handleRedirectCallback();
    // Web Crypto works off the main thread: wait (bounded) until the code was sent.
    for (let turn = 0; turn < 400 && env.requests.length === sent; turn++) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(env.requests).toHaveLength(sent + 1);
    // The code went out and the URL is already clean: this is what a reload now sees.
    expect(env.page.url).toBe(CALLBACK);
    return { exchange, settle: (response: Response) => answer.resolve(response), cutOff: () => answer.reject(new TypeError('Failed to fetch')) };
  }
  return { env, exchangeUnderWay };
}

describe('a reload of the clean callback URL while the code was exchanged', () => {
  it('ends in login_interrupted with where the sign-in was going, and sends nothing', async () => {
    const { env, exchangeUnderWay } = slowBrowser();
    await exchangeUnderWay();
    const reloaded = env.openPage();
    const error = await rejection(reloaded.handleRedirectCallback());
    expect(error).toMatchObject({ code: 'login_interrupted', returnTo: '/audit?tab=2', retried: false });
    expect(env.requests).toHaveLength(1);
    expect(reloaded.store.getState()).toMatchObject({ status: 'signedOut', error });
  });

  it('says retried the second time within ten minutes, so nobody signs in again by itself in a loop', async () => {
    const { env, exchangeUnderWay } = slowBrowser();
    await exchangeUnderWay();
    await rejection(env.openPage().handleRedirectCallback());
    // The automatic new sign-in is interrupted too.
    await exchangeUnderWay();
    await expect(env.openPage().handleRedirectCallback()).rejects.toMatchObject({ code: 'login_interrupted', retried: true });
  });

  it('finishes when the interrupted exchange had already stored the session (shared storage)', async () => {
    const { env, exchangeUnderWay } = slowBrowser();
    const { exchange, settle } = await exchangeUnderWay();
    settle(tokenResponse(1));
    await exchange;
    await expect(env.openPage().handleRedirectCallback()).resolves.toEqual({ returnTo: '/audit?tab=2' });
  });

  it('gives a second call on the reloaded page (React StrictMode) the same answer', async () => {
    const { env, exchangeUnderWay } = slowBrowser();
    await exchangeUnderWay();
    const reloaded = env.openPage();
    const first = await rejection(reloaded.handleRedirectCallback());
    expect(await rejection(reloaded.handleRedirectCallback())).toBe(first);
  });

  it('forgets the interruption once a sign-in completes', async () => {
    const { env, exchangeUnderWay } = slowBrowser();
    await exchangeUnderWay();
    await rejection(env.openPage().handleRedirectCallback());
    const completed = await exchangeUnderWay('/x');
    completed.settle(tokenResponse(1));
    await completed.exchange;
    await exchangeUnderWay('/y');
    await expect(env.openPage().handleRedirectCallback()).rejects.toMatchObject({ code: 'login_interrupted', returnTo: '/y', retried: false });
  });

  it('keeps the mark when the request is cut off (a reload aborts it, and the old page may still run on)', async () => {
    const { env, exchangeUnderWay } = slowBrowser();
    const { exchange, cutOff } = await exchangeUnderWay();
    cutOff();
    // The team is another origin than the page: no answer there reads as unreachable.
    await expect(exchange).rejects.toMatchObject({ code: 'token_endpoint_unreachable' });
    await expect(env.openPage().handleRedirectCallback()).rejects.toMatchObject({ code: 'login_interrupted', returnTo: '/audit?tab=2' });
  });

  it.each(['interrupted', 'exchange', 'index'])('a crafted ?state=%s cannot wipe the marks: still retried the second time', async (crafted) => {
    const { env, exchangeUnderWay } = slowBrowser();
    await exchangeUnderWay();
    await rejection(env.openPage().handleRedirectCallback());
    await exchangeUnderWay();
    await expect(env.openPage().handleRedirectCallback(`${CALLBACK}?state=${crafted}&code=x`)).rejects.toMatchObject({ code: 'missing_transaction' });
    await expect(env.openPage().handleRedirectCallback()).rejects.toMatchObject({ code: 'login_interrupted', retried: true });
  });

  it('clears the exchange mark when the server answers, so a later reload is a plain reload', async () => {
    const { env, exchangeUnderWay } = slowBrowser();
    const { exchange, settle } = await exchangeUnderWay();
    settle(new Response('{"error":"invalid_grant"}', { status: 400, headers: { 'Content-Type': 'application/json' } }));
    await rejection(exchange);
    await expect(env.openPage().handleRedirectCallback()).rejects.toMatchObject({ code: 'invalid_callback' });
  });
});
