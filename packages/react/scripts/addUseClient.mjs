// @ts-check
// Post-build step: every built module of @celonis-auth/react starts with 'use client', which the
// Next.js App Router needs to treat the provider, the hooks and the components as client code.
// A build step and not a line in src/, so no entry can forget it; its source map is shifted to match.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';

const DIRECTIVE = "'use client';";

/**
 * Prepends the directive to every `.js` file under `dir` that does not start with it yet, and
 * shifts the file's source map (`.js.map`) down by the one added line.
 * @param {string} dir
 * @returns {number} how many files were changed
 */
export function addUseClient(dir) {
  let changed = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.js')) continue;
    const file = join(entry.parentPath, entry.name);
    const code = readFileSync(file, 'utf8');
    if (/^\s*['"]use client['"]/.test(code)) continue;
    writeFileSync(file, `${DIRECTIVE}\n${code}`);
    shiftSourceMap(`${file}.map`);
    changed += 1;
  }
  return changed;
}

/** @param {string} mapFile */
function shiftSourceMap(mapFile) {
  let map;
  try {
    map = JSON.parse(readFileSync(mapFile, 'utf8'));
  } catch {
    return; // No source map for this file: nothing to shift.
  }
  // In the mappings string ';' starts the next generated line: one more in front moves every mapping down a line.
  map.mappings = `;${map.mappings}`;
  writeFileSync(mapFile, JSON.stringify(map));
}

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: node scripts/addUseClient.mjs <dist-dir>\n');
  process.exit(2);
}
process.stdout.write(`'use client' added to ${addUseClient(dir)} built files in ${dir}\n`);
