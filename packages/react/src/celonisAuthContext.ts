import { createContext } from 'react';
import type { CelonisAuth } from '@celonis-auth/core';

/** Carries the client given to `<CelonisAuthProvider>`; `null` outside one. */
export const CelonisAuthContext = createContext<CelonisAuth | null>(null);
