export { createTestCelonisAuth } from './createTestCelonisAuth.js';
export type { TestAuthOptions, TestCelonisAuth } from './createTestCelonisAuth.js';
export { TestCelonisAuthProvider } from './TestCelonisAuthProvider.js';
export type { TestCelonisAuthProviderProps } from './TestCelonisAuthProvider.js';
