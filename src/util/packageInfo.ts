import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface PackageJson {
  name: string;
  version: string;
  repository: { url: string };
}

/**
 * The plugin's own package.json: the nearest one above this module. That is two levels up from
 * `src/util/` (tests) and one from the bundled `dist/index.js` (scripts/bundle.mjs).
 */
function ownPackageJson(): PackageJson {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')) as PackageJson;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`eslint-plugin-native-handle: no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

const pkg = ownPackageJson();

export const packageName = pkg.name;
export const packageVersion = pkg.version;
/** `https://github.com/<owner>/<name>` without a `.git` suffix or a `git+` prefix. */
export const repositoryUrl = pkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
