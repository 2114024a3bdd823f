import * as fs from 'node:fs';
import { createRequire } from 'node:module';
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
    .filter(file => file.endsWith(suffix) && file !== `index${suffix}`)
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
    expect(rule.meta.schema).toEqual([]);
    expect(Object.keys(rule.meta.messages).length).toBeGreaterThan(0);
  });
});

describe('the plugin object', () => {
  it('names itself from package.json', () => {
    expect(plugin.meta).toEqual({ name: pkg.name, version: pkg.version });
  });

  it('derives configs.recommended and configs.all from rule metadata', () => {
    const recommended = Object.entries(rules)
      .filter(([, rule]) => rule.meta.docs?.recommended === true)
      .map(([name]) => [`native-handle/${name}`, 'error']);
    expect(plugin.configs.recommended.rules).toEqual(Object.fromEntries(recommended));
    expect(plugin.configs.all.rules).toEqual(Object.fromEntries(ruleNames.map(name => [`native-handle/${name}`, 'error'])));
    for (const config of [plugin.configs.recommended, plugin.configs.all]) {
      expect(config.plugins?.['native-handle']).toBe(plugin);
      expect(config.languageOptions).toBeUndefined();
    }
  });

  it('ships every rule in recommended', () => {
    expect(Object.keys(plugin.configs.recommended.rules ?? {})).toHaveLength(ruleNames.length);
  });

  it('is what both import and require() of the built package give', async () => {
    const distEntry = path.join(root, 'dist', 'index.js');
    expect(fs.existsSync(distEntry)).toBe(true);
    const imported = ((await import(distEntry)) as { default: typeof plugin }).default;
    const required = createRequire(import.meta.url)(distEntry) as typeof plugin;
    expect(required).toBe(imported);
    expect(Object.keys(required.rules).sort()).toEqual(ruleNames);
    const selfReference = createRequire(path.join(root, 'package.json'))(pkg.name) as typeof plugin;
    expect(selfReference).toBe(imported);
  });
});
