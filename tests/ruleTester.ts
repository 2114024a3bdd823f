import { RuleTester } from '@typescript-eslint/rule-tester';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const fixturesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

/**
 * A RuleTester with real type information: every case is linted as `fixtures/file.ts` inside
 * the fixture project (`fixtures/tsconfig.json`, strict, with `@types/node` 20).
 */
export function createRuleTester(settings?: Record<string, unknown>): RuleTester {
  return new RuleTester({
    languageOptions: {
      parserOptions: {
        ...(process.env['NATIVE_HANDLE_BACKEND'] === 'tsgo'
          ? // typescript-eslint's experimental tsgo backend (TypeScript 7's native compiler), to run the
            // rule tests on it by hand (tests/matrix/tsgo/README.md says how).
            { projectService: { EXPERIMENTAL_backend: 'tsgo' } }
          : { project: './tsconfig.json' }),
        tsconfigRootDir: fixturesDir,
      },
    },
    ...(settings ? { settings } : {}),
  });
}
