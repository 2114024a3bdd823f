// How a user wires the plugin: typescript-eslint's typed setup plus our recommended config.
// `npm run demo` (scripts/demo.mjs) lints this folder with exactly this configuration.
import tseslint from 'typescript-eslint';
import nativeHandle from '../dist/index.js';

export default [
  {
    files: ['src/**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
  nativeHandle.configs.recommended,
];
