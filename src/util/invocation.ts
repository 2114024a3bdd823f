import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMainThread } from 'node:worker_threads';

/**
 * Whether a script is the entry of the `eslint` command: ESLint's `bin/eslint.js` in the main
 * thread (also reached through `node_modules/.bin/eslint`, a symbolic link or a shim), or the
 * worker script ESLint starts its `--concurrency` threads with, in a worker thread. The script
 * must sit in a package whose `package.json` is named `eslint`, so a look-alike path is not taken.
 * Any other host — the editor's language server, the `ESLint` class in a script, a test runner —
 * is not the CLI.
 */
export function eslintCliEntry(script: string | undefined, mainThread: boolean): boolean {
  if (script === undefined || script === '') return false;
  let real = path.resolve(script);
  try {
    real = fs.realpathSync(real);
  } catch {
    // Not on disk as such (a Yarn PnP zip path, a deleted file): judge the path as given.
  }
  const relative = mainThread ? ['bin', 'eslint.js'] : ['lib', 'eslint', 'worker.js'];
  const parts = real.split(path.sep);
  const tail = parts.slice(-relative.length);
  if (tail.join('/') !== relative.join('/')) return false;
  const packageDir = parts.slice(0, -relative.length).join(path.sep);
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { name?: unknown };
    return manifest.name === 'eslint';
  } catch {
    return false;
  }
}

let cli: boolean | undefined;

/** Whether this process (or worker thread) runs the `eslint` command; decided once. */
export function runByEslintCli(): boolean {
  cli ??= eslintCliEntry(process.argv[1], isMainThread);
  return cli;
}
