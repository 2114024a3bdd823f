import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import plugin from '../../src/index.js';
import { rules } from '../../src/rules/index.js';
import { repositoryUrl } from '../../src/util/packageInfo.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const stems = (dir: string, suffix: string): string[] =>
  fs
    .readdirSync(path.join(root, dir))
    .filter(file => file.endsWith(suffix) && file !== `index${suffix}` && !file.startsWith('_'))
    .map(file => file.slice(0, -suffix.length))
    .sort();
const ruleNames = Object.keys(rules).sort();
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { name: string; version: string };

describe('the rule set', () => {
  it('has one source file, doc page and test file per exported rule', () => {
    expect(stems('src/rules', '.ts')).toEqual(ruleNames);
    expect(stems('docs/rules', '.md')).toEqual(ruleNames);
    expect(stems('tests/rules', '.test.ts')).toEqual(ruleNames);
  });

  it.each(ruleNames)('%s has consistent metadata', name => {
    const rule = rules[name as keyof typeof rules];
    const docs = rule.meta.docs!;
    expect(docs.url).toBe(`${repositoryUrl}/blob/main/docs/rules/${name}.md`);
    expect(docs.description).toMatch(/^(Disallow|Require|Enforce) /);
    expect(docs.description).not.toMatch(/\.$/);
    expect(docs.requiresTypeChecking).toBe(true);
    // Options only where the rule documents them; each option has a description and a default.
    const schema = rule.meta.schema as readonly { properties?: Record<string, { description?: string }> }[];
    for (const options of schema) {
      for (const [option, property] of Object.entries(options.properties ?? {})) {
        expect(property.description, option).toMatch(/\w/);
        expect((rule.meta.defaultOptions as Record<string, unknown>[] | undefined)?.[0]?.[option], option).toBeDefined();
      }
    }
    expect(schema.length === 0 ? undefined : schema.length).toBe(rule.meta.docs?.strictOptions === undefined ? undefined : 1);
    expect(Object.keys(rule.meta.messages).length).toBeGreaterThan(0);
  });
});

describe('the plugin object', () => {
  it('names itself from package.json', () => {
    expect(plugin.meta).toEqual({ name: pkg.name, version: pkg.version });
  });

  it('derives configs.recommended, configs.strict and configs.all from rule metadata', () => {
    const recommended = Object.entries(rules).filter(([, rule]) => rule.meta.docs?.recommended === true);
    const strictest = (name: string): unknown => {
      const options = rules[name as keyof typeof rules].meta.docs?.strictOptions;
      return options ? ['error', ...options] : 'error';
    };
    expect(plugin.configs.recommended.rules).toEqual(Object.fromEntries(recommended.map(([name]) => [`native-handle/${name}`, 'error'])));
    expect(plugin.configs.strict.rules).toEqual(
      Object.fromEntries(recommended.map(([name]) => [`native-handle/${name}`, strictest(name)])),
    );
    expect(plugin.configs.all.rules).toEqual(Object.fromEntries(ruleNames.map(name => [`native-handle/${name}`, strictest(name)])));
    expect(plugin.configs.strict.rules?.['native-handle/require-lifetime-guard']).toEqual(['error', { allOwnedFields: true }]);
    expect(plugin.configs.recommended.rules?.['native-handle/require-lifetime-guard']).toBe('error');
    for (const config of [plugin.configs.recommended, plugin.configs.strict, plugin.configs.all]) {
      expect(config.plugins?.['native-handle']).toBe(plugin);
      expect(config.languageOptions).toBeUndefined();
    }
  });

  it('ships every rule in recommended', () => {
    expect(Object.keys(plugin.configs.recommended.rules ?? {})).toHaveLength(ruleNames.length);
  });

  it('is what both import and require() of the built package give', () => {
    // Checked in a plain Node process: vitest's own module loader would give a second copy.
    const script = `
      const { createRequire } = require('node:module');
      const required = createRequire(process.cwd() + '/package.json')(${JSON.stringify(pkg.name)});
      import(${JSON.stringify(pkg.name)}).then(({ default: imported }) => {
        console.log(JSON.stringify({
          same: required === imported,
          rules: Object.keys(required.rules).sort(),
          configs: Object.keys(required.configs).sort(),
        }));
      });
    `;
    const output = execFileSync(process.execPath, ['--input-type=commonjs', '-e', script], { cwd: root, encoding: 'utf8' });
    expect(JSON.parse(output)).toEqual({ same: true, rules: ruleNames, configs: ['all', 'recommended', 'strict'] });
  });

  it('loads TypeScript and ts-api-utils with require(), never with an ESM import', () => {
    // An ESM import of either makes Node lex TypeScript's 9 MB CommonJS file for its exports on
    // every run (0.4 s of CPU), and TypeScript < 5.5 exposes no named exports to that lexer.
    const esmImport = /^\s*(?:import|export)\b[^;]*?\bfrom\s*['"](typescript|ts-api-utils)['"]/m;
    const offenders = fs
      .readdirSync(path.join(root, 'dist'), { recursive: true, encoding: 'utf8' })
      .filter(file => file.endsWith('.js'))
      .filter(file => esmImport.test(fs.readFileSync(path.join(root, 'dist', file), 'utf8')));
    expect(offenders).toEqual([]);
    // dist/ is one bundle (scripts/bundle.mjs): the CommonJS wrappers became require() calls in it.
    const bundle = fs.readFileSync(path.join(root, 'dist/index.js'), 'utf8');
    expect(bundle).toMatch(/require\("typescript"\)/);
    expect(bundle).toMatch(/require\("ts-api-utils"\)/);
  });
});
