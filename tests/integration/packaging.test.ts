// The published package, end to end: `npm pack`, install the tarball into a fresh project with
// ESLint, typescript-eslint and TypeScript from the registry (the npm cache after `npm ci`), and
// lint a hazard file through an ESM, a CommonJS and a TypeScript config.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rules } from '../../src/rules/index.js';
import { STABLE_RULES, e2eFixtureDir, findingsOf, makeTemp, repoRoot, rmTemp, run, type Finding } from './project.js';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  devDependencies: Record<string, string>;
};

/** What a user installs beside the plugin: the versions this repository is tested with. */
const PEERS = ['eslint', 'typescript-eslint', 'typescript', 'jiti', '@types/node'].map(name => `${name}@${pkg.devDependencies[name]!}`);

const CONFIGS: Record<string, string> = {
  // (a) The README's ESM config.
  'eslint.config.mjs': fs.readFileSync(path.join(e2eFixtureDir, 'eslint.config.mjs'), 'utf8'),
  // (b) CommonJS: require() must give the plugin object itself, not a namespace with `default`.
  'eslint.config.cjs': `const tseslint = require('typescript-eslint');
const nativeHandle = require('eslint-plugin-native-handle');

if ('default' in nativeHandle || nativeHandle.configs.recommended.plugins['native-handle'] !== nativeHandle) {
  throw new Error('require("eslint-plugin-native-handle") is not the plugin object');
}

module.exports = [
  {
    files: ['**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: __dirname },
    },
  },
  nativeHandle.configs.recommended,
];
`,
  // (c) TypeScript, checked by tsc against the shipped declarations and loaded by ESLint via jiti.
  'eslint.config.ts': `import type { ESLint, Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import nativeHandle from 'eslint-plugin-native-handle';

const plugin: ESLint.Plugin = nativeHandle;
const recommended: Linter.Config = nativeHandle.configs.recommended;
const version: string = nativeHandle.meta.version;
const ruleNames: string[] = Object.keys(nativeHandle.rules);
if (!plugin.rules || ruleNames.length === 0 || version === '') throw new Error('no rules');

const config: Linter.Config[] = [
  {
    files: ['**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },
  recommended,
];

export default config;
`,
};

describe('the packed package', () => {
  let temp: string | undefined;
  let project = '';
  let packedFiles: string[] = [];

  beforeAll(async () => {
    temp = makeTemp('pack');
    // dist/ is built by `npm test` (and `npm ci`); --ignore-scripts keeps `prepare` from rebuilding
    // it under the feet of the tests running beside this one.
    expect(fs.existsSync(path.join(repoRoot, 'dist', 'index.js'))).toBe(true);
    const pack = await run(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', temp], repoRoot);
    expect(pack.status, pack.stderr).toBe(0);
    const [packed] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
    packedFiles = packed!.files.map(file => file.path).sort();

    project = path.join(temp, 'project');
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2));
    const install = await run(
      npm,
      ['install', '--prefer-offline', '--no-audit', '--no-fund', '--save-dev', path.join(temp, packed!.filename), ...PEERS],
      project,
    );
    expect(install.status, install.stderr).toBe(0);

    // One folder per config format, all sharing the project's node_modules.
    for (const [name, text] of Object.entries(CONFIGS)) {
      const dir = path.join(project, name.replace('eslint.config.', ''));
      fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text);
      fs.copyFileSync(path.join(e2eFixtureDir, 'src', 'hazards.ts'), path.join(dir, 'src', 'hazards.ts'));
      const tsconfig = JSON.parse(fs.readFileSync(path.join(e2eFixtureDir, 'tsconfig.json'), 'utf8')) as { include: string[] };
      tsconfig.include = name.endsWith('.ts') ? ['src', name] : ['src'];
      fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
    }
  }, 240_000);

  afterAll(() => {
    rmTemp(temp);
  });

  it('ships dist/, the docs, README, LICENSE and package.json, and nothing else', () => {
    expect(packedFiles).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE', 'dist/index.js', 'dist/index.d.ts']));
    for (const name of Object.keys(rules)) {
      expect(packedFiles).toContain(`docs/rules/${name}.md`);
      expect(packedFiles).toContain(`dist/rules/${name}.d.ts`);
    }
    // One module to load (scripts/bundle.mjs): the rules and the model are bundled into it.
    expect(packedFiles.filter(file => /^dist\/.*\.[cm]?js$/.test(file))).toEqual(['dist/index.js']);
    const unexpected = packedFiles.filter(file => !/^(dist|docs)\//.test(file) && !['package.json', 'README.md', 'LICENSE'].includes(file));
    expect(unexpected).toEqual([]);
    expect(packedFiles.filter(file => /^(tests|examples|bench|src|scripts)\//.test(file))).toEqual([]);
  });

  it('is the same plugin object through import and require()', async () => {
    const script = `
      const { createRequire } = await import('node:module');
      const required = createRequire(import.meta.url)('eslint-plugin-native-handle');
      const { default: imported } = await import('eslint-plugin-native-handle');
      console.log(JSON.stringify({ same: required === imported, name: required.meta.name, rules: Object.keys(required.rules).sort() }));
    `;
    const result = await run(process.execPath, ['--input-type=module', '-e', script], project);
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ same: true, name: pkg.name, rules: Object.keys(rules).sort() });
  });

  it('type-checks an eslint.config.ts against the shipped declarations', async () => {
    const tsc = path.join(project, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await run(process.execPath, [tsc, '--noEmit', '-p', 'tsconfig.json'], path.join(project, 'ts'));
    expect(result.status, result.stdout + result.stderr).toBe(0);
  });

  it('lints the hazard file with an eslint.config.mjs, .cjs and .ts (through jiti) alike', async () => {
    const eslintBin = path.join(project, 'node_modules', 'eslint', 'bin', 'eslint.js');
    const findings: Record<string, Finding[]> = {};
    for (const format of ['mjs', 'cjs', 'ts']) {
      const dir = path.join(project, format);
      const result = await run(process.execPath, [eslintBin, '--format', 'json', 'src/hazards.ts'], dir);
      expect(result.status, `${format}: ${result.stderr}`).toBe(1);
      findings[format] = findingsOf(result.stdout, dir);
    }
    const stable = findings.mjs!.filter(finding => (STABLE_RULES as readonly (string | null)[]).includes(finding.ruleId));
    expect(stable.map(finding => [finding.ruleId, finding.line])).toEqual([
      ['native-handle/no-cleanup-in-exit-handler', 6],
      ['native-handle/no-close-with-pending-ops', 13],
      ['native-handle/require-lifetime-guard', 29],
    ]);
    expect(findings.cjs).toEqual(findings.mjs);
    expect(findings.ts).toEqual(findings.mjs);
  });
});
