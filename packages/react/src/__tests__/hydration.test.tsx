import { act } from 'react';
import { hydrateRoot } from 'react-dom/client';
import { renderToString } from 'react-dom/server';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { CelonisAuthProvider } from '../CelonisAuthProvider.js';
import { useCelonisToken } from '../useCelonisToken.js';
import { createTestCelonisAuth } from '../testing/index.js';

function Status() {
  return <p>status:{useCelonisToken().status}</p>;
}

// React warns unless the environment declares itself an act() environment (Testing Library does this for its own render).
const actEnvironment = globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean };
let previousActEnvironment: boolean | undefined;
beforeEach(() => {
  previousActEnvironment = actEnvironment.IS_REACT_ACT_ENVIRONMENT;
  actEnvironment.IS_REACT_ACT_ENVIRONMENT = true;
});

let container: HTMLElement | undefined;
afterEach(() => {
  container?.remove();
  actEnvironment.IS_REACT_ACT_ENVIRONMENT = previousActEnvironment;
});

it('hydrates server markup (signed out: a server has no browser storage) without a mismatch, then shows the stored session', async () => {
  // What a server rendered: no session there.
  const html = renderToString(
    <CelonisAuthProvider auth={createTestCelonisAuth({ status: 'signedOut' })}>
      <Status />
    </CelonisAuthProvider>,
  );
  container = document.createElement('div');
  container.innerHTML = html;
  document.body.append(container);
  // The browser's client found a session in storage.
  const auth = createTestCelonisAuth({ status: 'authenticated' });
  const recoverable: unknown[] = [];
  await act(async () => {
    hydrateRoot(
      container!,
      <CelonisAuthProvider auth={auth}>
        <Status />
      </CelonisAuthProvider>,
      { onRecoverableError: (error) => void recoverable.push(error) },
    );
  });
  expect(recoverable).toEqual([]);
  expect(container.textContent).toBe('status:authenticated');
});
