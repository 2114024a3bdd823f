import type { ESLint, Linter, Rule } from 'eslint';
import { rules } from './rules/index.js';
import { packageName, packageVersion } from './util/packageInfo.js';

type RuleName = keyof typeof rules;

/** The files the configs apply to (typescript-eslint's own list for TypeScript sources). */
const TYPESCRIPT_FILES = ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'];

const pluginRules = rules as unknown as Record<RuleName, Rule.RuleModule>;

/**
 * The rules `include` selects, at `'error'`; with `strictest`, each with the options its metadata
 * names as its strictest (`docs.strictOptions`), else its defaults.
 */
function configWith(include: (name: RuleName) => boolean, strictest = false): Linter.Config {
  const enabled: Linter.RulesRecord = {};
  for (const name of Object.keys(rules) as RuleName[]) {
    if (!include(name)) continue;
    const options = strictest ? (rules[name].meta.docs as { strictOptions?: readonly unknown[] } | undefined)?.strictOptions : undefined;
    enabled[`native-handle/${name}`] = options ? ['error', ...options] : 'error';
  }
  // TypeScript files only: every rule needs type information, which a plain `.js`/`.mjs` file
  // (the project's own eslint.config.mjs, for one) does not have, so `npx eslint .` would crash.
  return { files: [...TYPESCRIPT_FILES], plugins: { 'native-handle': plugin }, rules: enabled };
}

const plugin: ESLint.Plugin & {
  meta: { name: string; version: string };
  rules: Record<RuleName, Rule.RuleModule>;
  configs: { recommended: Linter.Config; strict: Linter.Config; all: Linter.Config };
} = {
  meta: { name: packageName, version: packageVersion },
  rules: pluginRules,
  configs: {} as { recommended: Linter.Config; strict: Linter.Config; all: Linter.Config },
};

plugin.configs.recommended = {
  name: 'native-handle/recommended',
  ...configWith(name => rules[name].meta.docs?.recommended === true),
};
// docs/resource-model.md#configs: strict adds what fails with a clean error (the rules' strictest options); all is every rule with those options.
plugin.configs.strict = {
  name: 'native-handle/strict',
  ...configWith(name => rules[name].meta.docs?.recommended === true, true),
};
plugin.configs.all = { name: 'native-handle/all', ...configWith(() => true, true) };

export default plugin;
export { plugin as 'module.exports' };
