// The @types/node majors of the version matrix: one folder each under tests/matrix/types-node/
// (package.json, lock file, and a tsconfig.json that is the rule-test fixture project with that
// folder's @types/node). tests/matrix/install.mjs installs them; `npm run test:matrix` runs it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const typesNodeDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'types-node');

/** The environment variable that makes tests/ruleTester.ts lint with one major of the matrix. */
export const TYPES_NODE_ENV = 'NATIVE_HANDLE_TYPES_NODE';

/** The majors of the matrix, lowest first (`20`, `22`, …), from the folders `node<major>`. */
export function typesNodeMajors(): string[] {
  return fs
    .readdirSync(typesNodeDir)
    .map(name => /^node(\d+)$/.exec(name)?.[1])
    .filter((major): major is string => major !== undefined)
    .sort((a, b) => Number(a) - Number(b));
}

export function typesNodeFolder(major: string): string {
  return path.join(typesNodeDir, `node${major}`);
}

/** The exact @types/node version the folder of a major pins. */
export function pinnedTypesNode(major: string): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(typesNodeFolder(major), 'package.json'), 'utf8')) as {
    devDependencies: Record<string, string>;
  };
  return manifest.devDependencies['@types/node']!;
}

/** The folder to name in `typeRoots` so that `"types": ["node"]` is that major; throws when it is not installed. */
export function typeRootsOf(major: string): string {
  const typeRoots = path.join(typesNodeFolder(major), 'node_modules', '@types');
  const manifest = path.join(typeRoots, 'node', 'package.json');
  const installed = fs.existsSync(manifest) ? (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version: string }).version : undefined;
  if (installed !== pinnedTypesNode(major)) {
    throw new Error(
      `@types/node ${pinnedTypesNode(major)} of the version matrix is not installed in ${path.relative(process.cwd(), typesNodeFolder(major))} ` +
        `(found ${installed ?? 'nothing'}): run \`node tests/matrix/install.mjs\` (npm run test:matrix runs it first)`,
    );
  }
  return typeRoots;
}
