// The plugin's own lint: typescript-eslint strict-type-checked on the sources, the tests' own
// code and the scripts. examples/ and tests/fixtures/ are full of hazards on purpose.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'dist-check/**',
      'examples/**',
      'tests/fixtures/**',
      'bench/corpus/**',
      'bench/eval/corpus/**',
      'bench/results/**',
      'bench/real/**',
      'coverage/**',
      'tests/matrix/.cache/**',
    ],
  },
  {
    files: ['**/*.ts'],
    extends: [...tseslint.configs.strictTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      // TypeScript and ts-api-utils are loaded with require() (src/util/typescript.cts,
      // ts-api-utils.cts): an ESM import of either costs 0.4 s of CJS lexing per run and breaks
      // TypeScript < 5.5. type-utils is required on first use (src/util/type-utils.cts).
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'typescript', allowTypeImports: true, message: "Use `import ts from '../util/typescript.cjs'`." },
            { name: 'ts-api-utils', allowTypeImports: true, message: "Use `import tsutils from '../util/ts-api-utils.cjs'`." },
            {
              name: '@typescript-eslint/type-utils',
              allowTypeImports: true,
              message: "Use '../util/type-utils.cjs' (loaded on first use).",
            },
          ],
        },
      ],
    },
  },
  {
    files: ['tests/**/*.ts'],
    rules: {
      // RuleTester's describe/it are assigned, not called, in tests/setup.ts.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
