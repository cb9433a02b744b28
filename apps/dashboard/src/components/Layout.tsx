import { useState } from 'react';
import { Navigate, NavLink, Outlet } from 'react-router';
import { useCelonisToken } from '@celonis-auth/react';
import { forgetAccessRequests } from '../accessRequests.js';
import { PANELS } from '../panels.js';

/** The frame of every signed-in page: brand, navigation, session status and sign-out. */
export function Layout() {
  const { status, error, logout } = useCelonisToken();
  const signedIn = status === 'authenticated' || status === 'refreshing' || status === 'expired';
  const [hadSession, setHadSession] = useState(signedIn);
  if (signedIn && !hadSession) setHadSession(true);
  // Signed out here or in another tab: back to the start page rather than a guard's fallback.
  if (hadSession && status === 'signedOut' && error === null) return <Navigate to="/" replace />;
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Celonis Portal</span>
        <nav aria-label="Main">
          <NavLink to="/overview">Overview</NavLink>
          {PANELS.map((panel) => (
            <NavLink key={panel.path} to={panel.path}>
              {panel.title}
            </NavLink>
          ))}
        </nav>
        {signedIn ? (
          <button
            type="button"
            className="button secondary sign-out"
            onClick={() => {
              forgetAccessRequests();
              logout();
            }}
          >
            Sign out
          </button>
        ) : null}
      </header>
      <main id="main" className="content">
        <Outlet />
      </main>
    </div>
  );
}
