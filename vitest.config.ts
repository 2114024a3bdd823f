import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';
import { TYPES_NODE_ENV, pinnedTypesNode, typesNodeMajors } from './tests/matrix/typesNode.js';

// The rule suites run once more with each @types/node major of the version matrix
// (tests/matrix/types-node/node<major>), except the one the repository itself pins, which is
// what the unit project already runs them with.
const rootTypesNode = (JSON.parse(fs.readFileSync('package.json', 'utf8')) as { devDependencies: Record<string, string> }).devDependencies[
  '@types/node'
];
const typesNodeProjects = typesNodeMajors()
  .filter(major => pinnedTypesNode(major) !== rootTypesNode)
  .map(major => ({
    extends: true as const,
    // Shared modules per worker, as in the unit project (the fixture program is built once per worker).
    test: { name: `matrix-types-node-${major}`, include: ['tests/rules/**/*.test.ts'], env: { [TYPES_NODE_ENV]: major }, isolate: false },
  }));

// Three projects, so the inner loop stays fast:
//   unit        — rules (RuleTester with real types), model, util, meta: `npm run test:unit`
//   integration — CLI, editor (LSP), SARIF, packaging, end to end: `npm run test:integration`
//   matrix      — the version matrix (@types/node majors, TypeScript/ESLint/typescript-eslint
//                 peers, the tsgo backend), which installs packages: `npm run test:matrix`;
//                 with it the projects matrix-types-node-<major>, the rule suites with that
//                 @types/node (`vitest --project 'matrix*'` runs them all)
// Integration and matrix tests start processes and install packages; their timeouts are set in
// the tests themselves, generously, because a loaded 2-core machine runs them several times slower.
export default defineConfig({
  resolve: {
    alias: [
      // src/util/typescript.cts (and ts-api-utils.cts, type-utils.cts) are CommonJS wrappers that dist/ loads with require(); Vite does
      // not transform .cts files, so under Vitest the sources get the packages themselves. The built
      // wrapper is exercised by every test that runs dist/ (CLI, editor, packaging, matrix).
      { find: /^(?:\.\.?\/)+(?:util\/)?typescript\.cjs$/, replacement: 'typescript' },
      { find: /^(?:\.\.?\/)+(?:util\/)?ts-api-utils\.cjs$/, replacement: createRequire(import.meta.url).resolve('ts-api-utils') },
      // src/util/type-utils.cts requires type-utils on first use; under Vitest, the package itself.
      { find: /^(?:\.\.?\/)+(?:util\/)?type-utils\.cjs$/, replacement: '@typescript-eslint/type-utils' },
    ],
  },
  test: {
    setupFiles: ['tests/setup.ts'],
    // Only there to end a hung test, never to judge a slow one: the first case of a rule suite
    // builds the fixture program (seconds on a quiet machine, ten times that on a loaded one).
    // Tests that start processes or install packages set longer timeouts of their own.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    projects: [
      // isolate: false — the unit files share their worker's modules, so typescript-eslint builds the
      // fixture program (and TypeScript parses @types/node) once per worker instead of once per file:
      // 96 s → 33 s on a quiet 2-core machine. The model's caches are keyed by program and settings
      // object; the suites also pass with their files shuffled (--sequence.shuffle.files, seeds 7
      // and 12345), so no file depends on another's leftovers.
      { extends: true, test: { name: 'unit', include: ['tests/{rules,model,util,meta}/**/*.test.ts'], isolate: false } },
      { extends: true, test: { name: 'integration', include: ['tests/integration/**/*.test.ts'] } },
      { extends: true, test: { name: 'matrix', include: ['tests/matrix/**/*.test.ts'] } },
      ...typesNodeProjects,
    ],
  },
});
