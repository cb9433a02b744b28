import { Route, Routes, useLocation, useNavigate } from 'react-router';
import { CelonisCallback, RequireScopes } from '@celonis-auth/react';
import { Layout } from './components/Layout.js';
import { Loading } from './components/Loading.js';
import { RequestAccess } from './components/RequestAccess.js';
import { ApiPanelPage } from './pages/ApiPanelPage.js';
import { ErrorPage } from './pages/ErrorPage.js';
import { OverviewPage } from './pages/OverviewPage.js';
import { SignInPage } from './pages/SignInPage.js';
import { PANELS } from './panels.js';
import { useTeamReachability } from './teamReachability.js';

/** The portal's routes: sign-in, the callback, the overview and one page per data panel. */
export function App() {
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const reachability = useTeamReachability();
  // A sign-in found the team unreachable: say so on that page, instead of the browser's "This site can't be reached".
  // Leaving the page (e.g. "Back to the start page") leaves the message behind.
  if (reachability.status === 'unreachable' && reachability.path === pathname) {
    return (
      <main id="main" className="landing">
        <ErrorPage error={reachability.error} onRetry={reachability.retry} />
      </main>
    );
  }
  return (
    <Routes>
      <Route path="/" element={<SignInPage />} />
      {/* Step 3 — land back: finish the sign-in, then go where the user first wanted to go. */}
      <Route
        path="/callback"
        element={
          // Outside the signed-in frame, so the page brings its own main landmark.
          <main id="main" className="content">
            <CelonisCallback
              loading={<Loading label="Signing you in…" />}
              onSuccess={(returnTo) => void navigate(returnTo === '/' ? '/overview' : returnTo, { replace: true })}
              errorFallback={(error, retry) => <ErrorPage error={error} onRetry={retry} />}
            />
          </main>
        }
      />
      <Route element={<Layout />}>
        <Route
          path="/overview"
          element={
            <RequireScopes
              scopes={[]}
              loading={<Loading />}
              fallback={({ error, requestAccess }) => <ErrorPage error={error} onRetry={() => void requestAccess()} />}
            >
              <OverviewPage />
            </RequireScopes>
          }
        />
        {PANELS.map((panel) => (
          <Route
            key={panel.path}
            path={panel.path}
            element={
              <RequireScopes scopes={[panel.scope]} loading={<Loading />} fallback={(props) => <RequestAccess panel={panel} {...props} />}>
                <ApiPanelPage panel={panel} />
              </RequireScopes>
            }
          />
        ))}
        <Route path="*" element={<ErrorPage title="Page not found" message="There is nothing at this address." />} />
      </Route>
    </Routes>
  );
}
