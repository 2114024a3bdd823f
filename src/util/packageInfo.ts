import { createRequire } from 'node:module';

interface PackageJson {
  name: string;
  version: string;
  repository: { url: string };
}

const require = createRequire(import.meta.url);
const pkg = require('../../package.json') as PackageJson;

export const packageName = pkg.name;
export const packageVersion = pkg.version;
/** `https://github.com/<owner>/<name>` without a `.git` suffix or a `git+` prefix. */
export const repositoryUrl = pkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
