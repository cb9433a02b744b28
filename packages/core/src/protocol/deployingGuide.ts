/** The guide to the deployment modes (direct, relay, backend-for-frontend); messages about CORS and confidential clients link it. */
export const DEPLOYING_GUIDE_URL = 'https://github.com/celonis-auth/celonis-auth/blob/main/docs/deploying.md';
