import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import * as path from 'node:path';
import plugin from '../../src/index.js';
import { fixturesDir } from '../ruleTester.js';

/**
 * Lints code as `fixtures/file.ts` (or another file of the fixture project) with real type
 * information and the given plugin rules at 'error', with the options configs.all gives them.
 */
export async function lintWithRules(
  code: string,
  ruleNames: readonly string[],
  filePath = path.join(fixturesDir, 'file.ts'),
  settings?: Record<string, unknown>,
): Promise<Linter.LintMessage[]> {
  const eslint = new ESLint({
    cwd: fixturesDir,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ['**/*.ts'],
        languageOptions: {
          parser: tseslint.parser,
          // Under CI=true typescript-estree would otherwise infer a single run and build its
          // program from the files on disk, ignoring the in-memory code linted here.
          parserOptions: { project: './tsconfig.json', tsconfigRootDir: fixturesDir, disallowAutomaticSingleRunInference: true },
        },
        plugins: { 'native-handle': plugin },
        // Each rule with its strictest options, as configs.all runs it.
        rules: Object.fromEntries(
          ruleNames.map(name => [`native-handle/${name}`, plugin.configs.all.rules?.[`native-handle/${name}`] ?? 'error']),
        ),
        ...(settings ? { settings } : {}),
      },
    ],
  });
  const [result] = await eslint.lintText(code, { filePath });
  return result?.messages ?? [];
}
