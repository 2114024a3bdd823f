// The plugin's own lint: typescript-eslint strict-type-checked on the sources, the tests' own
// code and the scripts. examples/ and tests/fixtures/ are full of hazards on purpose.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['dist/**', 'dist-check/**', 'examples/**', 'tests/fixtures/**', 'bench/corpus/**', 'bench/eval/corpus/**', 'bench/results/**', 'bench/real/**', 'coverage/**', 'tests/matrix/.cache/**'],
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
    files: ['tests/**/*.ts'],
    rules: {
      // RuleTester's describe/it are assigned, not called, in tests/setup.ts.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
