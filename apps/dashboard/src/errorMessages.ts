// What each CelonisAuthError means to the person in front of the screen, and the one thing that
// helps. Chosen by `code` (and the OAuth `error` where it matters), never by parsing messages; the
// technical detail stays available in <ErrorDetails>.
import type { CelonisAuthError } from '@celonis-auth/core';

/** A failure in plain words. */
export interface ErrorExplanation {
  /** What happened, as a heading. */
  title: string;
  /** Why, in a sentence or two. */
  message: string;
  /** The one thing that helps, as a sentence. */
  action: string;
  /** The label of the button that does it: it starts a new sign-in (or retries the step). */
  actionLabel: string;
}

const ADMIN_APPLICATIONS = 'your Celonis admin (Admin & Settings → Applications)';

/** Explains `error` for the portal's users; `teamUrl` is the Celonis team the portal signs in with. */
export function explainError(error: CelonisAuthError, teamUrl: string): ErrorExplanation {
  const signInAgain = (title: string, message: string, action = 'Sign in again to continue.'): ErrorExplanation => ({
    title,
    message,
    action,
    actionLabel: 'Sign in again',
  });
  const tryAgain = (title: string, message: string, action: string): ErrorExplanation => ({ title, message, action, actionLabel: 'Try again' });

  const code = error.code;
  switch (code) {
    case 'login_required':
      return signInAgain('You are signed out', 'Your session has ended, so the portal cannot load your data.');
    case 'session_expired':
      return signInAgain(
        'Your session has ended',
        'Your sign-in expired or was ended elsewhere, for example by signing out in another tab.',
        'Sign in again to continue where you were.',
      );
    case 'missing_transaction':
      return signInAgain(
        'This sign-in is no longer valid',
        'It was already finished, or it was started in another browser or too long ago (this happens after Back or a reload during sign-in).',
        'Start a new sign-in.',
      );
    case 'state_mismatch':
    case 'issuer_mismatch':
      return signInAgain(
        'The sign-in was stopped for your safety',
        code === 'issuer_mismatch'
          ? `The answer did not come from the Celonis team at ${teamUrl}, so the portal did not use it.`
          : 'The answer from Celonis did not belong to the sign-in this browser started, so the portal did not use it.',
        'Start a new sign-in from this page.',
      );
    case 'invalid_callback':
      return signInAgain('The sign-in did not finish', 'The portal received an incomplete answer from the sign-in page.', 'Start a new sign-in.');
    case 'login_interrupted':
      return signInAgain('The sign-in was interrupted', 'The page was reloaded or closed while the sign-in was finishing.');
    case 'authorization_error':
      return explainAuthorizationError(error, tryAgain, signInAgain);
    case 'token_error':
      if (error.oauthError === 'invalid_grant')
        return signInAgain('The sign-in took too long', 'Celonis no longer accepts this sign-in: it was already used or it expired.', 'Start a new sign-in.');
      if (error.oauthError === 'invalid_client' || error.oauthError === 'unauthorized_client')
        return tryAgain(
          'Celonis did not recognise the portal',
          "The portal's registration in Celonis does not match its settings, so Celonis refused to finish the sign-in.",
          `Tell ${ADMIN_APPLICATIONS}; the details below help them.`,
        );
      return tryAgain(
        'Celonis did not finish the sign-in',
        'Celonis refused the last step of the sign-in.',
        `Try again; if it keeps happening, tell ${ADMIN_APPLICATIONS}.`,
      );
    case 'invalid_token_response':
      return tryAgain(
        'Celonis sent an answer the portal cannot use',
        'The sign-in reached Celonis, but what came back was not a valid sign-in answer.',
        "Try again in a moment; if it keeps happening, tell the portal's administrator.",
      );
    case 'network_error':
      return tryAgain(
        `The Celonis team at ${teamUrl} cannot be reached`,
        'Nothing answered: you may be offline or on a network that blocks it, or the team address may be wrong.',
        'Check your internet connection (and VPN), then try again.',
      );
    case 'token_endpoint_unreachable':
    case 'api_unreachable':
      return tryAgain(
        code === 'api_unreachable' ? 'The portal cannot load data from Celonis' : 'The portal cannot finish signing you in',
        `Your browser got no answer from the Celonis team at ${teamUrl}: you may be offline, or the team does not let this page call it directly (Celonis allows that only through a server).`,
        "Try again; if it keeps failing, tell the portal's administrator to run it with the token relay and API proxy, or the backend-for-frontend (docs/deploying.md).",
      );
    case 'tokens_on_server':
      return tryAgain(
        'This part of the portal is not available here',
        'It asked for something the portal keeps on its server in this setup.',
        "Reload the page; if it keeps happening, tell the portal's administrator.",
      );
    case 'server_unavailable':
      return tryAgain(
        'Celonis is busy right now',
        'Celonis could not answer the sign-in for the moment (it may be under maintenance or overloaded).',
        `Try again ${waitFor(error.retryAfterSeconds)}.`,
      );
    case 'storage_unavailable':
      return tryAgain(
        'Your browser blocked the sign-in',
        'The portal could not keep your sign-in in this browser: site data is turned off or full (some private windows do this).',
        'Allow site data for this site, then try again.',
      );
    case 'crypto_unavailable':
      return tryAgain(
        'This address cannot sign in securely',
        'Browsers offer the security features a sign-in needs only on https addresses (or on this computer).',
        "Open the portal on its https address; tell the portal's administrator if it has none.",
      );
    case 'aborted':
      return tryAgain('The request was cancelled', 'It stopped before it finished, for example because you signed out meanwhile.', 'Try again.');
    case 'insufficient_scope':
      return {
        title: 'You do not have access to this',
        message: `Your Celonis account lacks the permission this needs${error.requiredScopes?.length ? ` (${error.requiredScopes.join(', ')})` : ''}.`,
        action: 'A Celonis admin can grant it in Admin & Settings → Permissions.',
        actionLabel: 'Request access',
      };
    default: {
      // A code this page does not know yet (a newer core): the type check flags it here.
      const unknown: never = code;
      return tryAgain('Something went wrong', `The sign-in failed (${String(unknown)}).`, 'Try again.');
    }
  }
}

type Make = (title: string, message: string, action: string) => ErrorExplanation;

// The authorization server sent the browser back with an `error` (RFC 6749 §4.1.2.1).
function explainAuthorizationError(error: CelonisAuthError, tryAgain: Make, signInAgain: Make): ErrorExplanation {
  switch (error.oauthError) {
    case 'access_denied':
      return {
        title: 'Sign-in was cancelled',
        message: 'You chose not to let the portal use your Celonis account, so you are not signed in.',
        action: 'If that was a mistake, start again and approve the access.',
        actionLabel: 'Start again',
      };
    case 'login_required':
    case 'interaction_required':
    case 'consent_required':
      return signInAgain('Celonis needs you to sign in', 'Celonis could not sign you in without asking you first.', 'Sign in again.');
    case 'temporarily_unavailable':
    case 'server_error':
      return tryAgain('Celonis could not sign you in just now', 'Celonis had a temporary problem.', 'Try again in a few minutes.');
    case 'invalid_scope':
      return tryAgain(
        'The portal asked for a permission Celonis does not offer',
        'Celonis refused the sign-in because of the permissions (scopes) the portal asks for.',
        "Tell the portal's administrator; the details below help them.",
      );
    default:
      return tryAgain(
        'Celonis refused the sign-in',
        "Celonis did not accept the portal's sign-in request; the portal's registration in Celonis may be incomplete.",
        `Tell ${ADMIN_APPLICATIONS}; the details below help them.`,
      );
  }
}

/** "in 30 seconds", "in 2 minutes", or "in a few minutes" when the server did not say. */
function waitFor(seconds: number | undefined): string {
  if (seconds === undefined) return 'in a few minutes';
  const whole = Math.max(1, Math.ceil(seconds));
  if (whole < 90) return `in ${whole} second${whole === 1 ? '' : 's'}`;
  return `in ${Math.ceil(whole / 60)} minutes`;
}
