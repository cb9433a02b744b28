// `pnpm run docs`: the API reference as Markdown (docs/api, committed), then as HTML (docs/dist, git-ignored):
// one after the other, because the HTML checks the root README's link into docs/api, which the Markdown build
// empties and writes again. typedoc sorts names with the locale's collation (in Czech "ch" sorts after "cr"), so
// the locale is pinned: docs/api must come out the same on every machine. Flags: --html <dir>, --markdown <dir>.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const { values } = parseArgs({ options: { html: { type: 'string', default: 'docs/dist' }, markdown: { type: 'string', default: 'docs/api' } } });
// Its bin's JS file, not node_modules/.bin (a shell script, or a .cmd on Windows): the same on every platform.
const manifest = createRequire(`${root}package.json`).resolve('typedoc/package.json');
const typedoc = join(dirname(manifest), 'bin', 'typedoc');
const env = { ...process.env, LC_ALL: 'en_US.UTF-8', LANG: 'en_US.UTF-8' };

/** Runs typedoc with `args` from the root; resolves with its exit code. */
function run(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [typedoc, ...args], { cwd: root, env, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const markdown = await run(['--options', 'typedoc.markdown.json', '--out', values.markdown]);
process.exitCode = markdown !== 0 ? markdown : await run(['--out', values.html]);
