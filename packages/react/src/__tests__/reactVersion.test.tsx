// The React tests run twice, on React 19 (project `react`) and React 18 (project `react18`, the low
// end of the peer range). This guards that each run really uses the React it is meant to.
import { expect, inject, it } from 'vitest';
import { version as reactVersion } from 'react';
import { version as reactDomVersion } from 'react-dom';
import { render, screen } from '@testing-library/react';
import { useCelonisToken } from '../useCelonisToken.js';
import { TestCelonisAuthProvider } from '../testing/index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The React major version the project runs the React package's tests on. */
    reactMajor: number;
  }
}

function Status() {
  return <p>{useCelonisToken().status}</p>;
}

it("renders with the project's React and React DOM", () => {
  const major = String(inject('reactMajor'));
  expect(reactVersion.split('.')[0]).toBe(major);
  expect(reactDomVersion.split('.')[0]).toBe(major);
  render(
    <TestCelonisAuthProvider>
      <Status />
    </TestCelonisAuthProvider>,
  );
  expect(screen.getByText('authenticated')).toBeTruthy();
});
