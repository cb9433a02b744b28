import { readdirSync, readFileSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, with a trailing slash. */
// From the file path, not `new URL(...)`: in a happy-dom test file the global URL is happy-dom's, which Node's url helpers refuse.
export const ROOT = `${resolve(fileURLToPath(import.meta.url), '../../../..')}${sep}`;

/** The fields of a package.json the checks read. */
export interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  description?: string;
  license?: string;
  keywords?: string[];
  homepage?: string;
  bugs?: { url: string };
  repository?: { type: string; url: string; directory: string };
  type?: string;
  engines?: Record<string, string>;
  publishConfig?: Record<string, string>;
  exports?: Record<string, string | Record<string, string>>;
  bin?: Record<string, string>;
  files?: string[];
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

/** A workspace package: its folder under `packages/` and its manifest. */
export interface WorkspacePackage {
  /** Folder name, e.g. `core`. */
  dir: string;
  /** Absolute path, with a trailing slash. */
  path: string;
  manifest: Manifest;
}

/** Reads a JSON file. */
export function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/** Every package under `packages/`, read now (so a manifest edited during a run is seen). */
export function workspacePackages(): WorkspacePackage[] {
  return readdirSync(`${ROOT}packages`, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const path = `${ROOT}packages/${entry.name}/`;
      try {
        return [{ dir: entry.name, path, manifest: readJson<Manifest>(`${path}package.json`) }];
      } catch {
        return []; // A folder without a manifest is no package.
      }
    });
}

/** The packages that are published: every one under `packages/` that is not private. */
export function publishedPackages(): WorkspacePackage[] {
  return workspacePackages().filter((pkg) => pkg.manifest.private !== true);
}

/** The published packages' names, the list the checks are written for; a new one must be added here on purpose. */
export const PUBLISHED = ['@celonis-auth/core', '@celonis-auth/emulator', '@celonis-auth/react', '@celonis-auth/server'] as const;
