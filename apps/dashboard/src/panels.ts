import type { CelonisScope } from '@celonis-auth/core';

/** A page showing one of the emulator's sample APIs, guarded by the one scope it needs. */
export interface Panel {
  path: string;
  title: string;
  description: string;
  api: string;
  scope: CelonisScope;
  columns: { key: string; label: string; kind?: 'date' }[];
}

/** The three data panels of the portal. */
export const PANELS: readonly Panel[] = [
  {
    path: '/knowledge-models',
    title: 'Knowledge Models',
    description: 'Process models and their KPIs.',
    api: '/intelligence/api/knowledge-models',
    scope: 'intelligence.knowledge-models:read',
    columns: [
      { key: 'name', label: 'Name' },
      { key: 'kpis', label: 'KPIs' },
      { key: 'updatedAt', label: 'Updated', kind: 'date' },
    ],
  },
  {
    path: '/audit',
    title: 'Audit log',
    description: 'Who did what in the team, most recent first.',
    api: '/audit-log/api/events',
    scope: 'audit.log:read',
    columns: [
      { key: 'action', label: 'Action' },
      { key: 'actor', label: 'Actor' },
      { key: 'at', label: 'When', kind: 'date' },
    ],
  },
  {
    path: '/data-pools',
    title: 'Data pools',
    description: 'Source systems feeding the process models.',
    api: '/integration/api/pools',
    scope: 'integration.data-pools',
    columns: [
      { key: 'name', label: 'Name' },
      { key: 'dataJobs', label: 'Data jobs' },
      { key: 'lastLoad', label: 'Last load', kind: 'date' },
    ],
  },
];
