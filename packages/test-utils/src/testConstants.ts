// The team, client and URLs the unit tests talk about; nothing is ever sent to them (fetch is faked).

/** The team every unit test signs in to. */
export const TEAM_URL = 'https://acme.eu-1.celonis.cloud';

/** The client id of the core's unit tests. */
export const CLIENT_ID = 'my-portal';

/** Where the fake authorization server sends the browser back. */
export const REDIRECT_URI = 'http://localhost:5173/callback';

/** The token endpoint of {@link TEAM_URL} (`/oauth2/token`, as `teamEndpoints` derives it). */
export const TOKEN_ENDPOINT = `${TEAM_URL}/oauth2/token`;
