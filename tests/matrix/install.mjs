#!/usr/bin/env node
// Installs the packages of the version matrix (`npm run test:matrix` runs this first): each
// folder under tests/matrix/types-node/ holds one @types/node major with its own package.json
// and lock file. A folder whose node_modules already has the locked versions is left as it is,
// so a second run costs nothing; node_modules/ is gitignored.
//
// One folder per major, not npm aliases side by side in one node_modules: undici-types (a
// dependency of @types/node) says `/// <reference types="node" />`, which TypeScript resolves by
// walking up node_modules folders, so an aliased `@types/node-26` still pulls in whichever
// `@types/node` is found above it (the repository's own, 20) and the program has two majors.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const matrixDir = path.dirname(fileURLToPath(import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** The folders with a lock file under tests/matrix/types-node/ (node20, node22, …). */
function matrixFolders() {
  const typesNode = path.join(matrixDir, 'types-node');
  return fs
    .readdirSync(typesNode, { withFileTypes: true })
    .map(entry => path.join(typesNode, entry.name))
    .filter(folder => fs.existsSync(path.join(folder, 'package-lock.json')))
    .sort();
}

/** Whether node_modules holds exactly the versions of the folder's lock file. */
function isInstalled(folder) {
  const lock = JSON.parse(fs.readFileSync(path.join(folder, 'package-lock.json'), 'utf8'));
  return Object.entries(lock.packages).every(([location, entry]) => {
    if (location === '') return true;
    const manifest = path.join(folder, location, 'package.json');
    return fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, 'utf8')).version === entry.version;
  });
}

for (const folder of matrixFolders()) {
  const name = path.relative(matrixDir, folder);
  if (isInstalled(folder)) {
    console.log(`matrix: ${name} is installed`);
    continue;
  }
  console.log(`matrix: installing ${name} (npm ci)`);
  execFileSync(npm, ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: folder, stdio: 'inherit' });
}
