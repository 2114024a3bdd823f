import { RuleTester } from '@typescript-eslint/rule-tester';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TYPES_NODE_ENV, typeRootsOf, typesNodeFolder } from './matrix/typesNode.js';

export const fixturesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

/**
 * The fixture project's tsconfig: `fixtures/tsconfig.json` (strict, with the repository's
 * `@types/node`, 20), or, when NATIVE_HANDLE_TYPES_NODE names a major of the version matrix (the
 * vitest projects `matrix-types-node-<major>` set it), the same project with that major's
 * `@types/node` (tests/matrix/types-node/node<major>/tsconfig.json).
 */
function fixtureProject(): string {
  const major = process.env[TYPES_NODE_ENV];
  if (major === undefined || major === '') return path.join(fixturesDir, 'tsconfig.json');
  typeRootsOf(major); // throws, naming the install command, when that major is not installed
  return path.join(typesNodeFolder(major), 'tsconfig.json');
}

/**
 * A RuleTester with real type information: every case is linted as `fixtures/file.ts` inside
 * the fixture project (see {@link fixtureProject}).
 */
export function createRuleTester(settings?: Record<string, unknown>): RuleTester {
  return new RuleTester({
    languageOptions: {
      parserOptions: {
        ...(process.env['NATIVE_HANDLE_BACKEND'] === 'tsgo'
          ? // typescript-eslint's experimental tsgo backend (TypeScript 7's native compiler), to run the
            // rule tests on it by hand (tests/matrix/tsgo/README.md says how).
            { projectService: { EXPERIMENTAL_backend: 'tsgo' } }
          : { project: fixtureProject() }),
        tsconfigRootDir: fixturesDir,
      },
    },
    ...(settings ? { settings } : {}),
  });
}
