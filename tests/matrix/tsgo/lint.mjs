#!/usr/bin/env node
// Lints examples/, the eval corpus or the no-crash fixtures with the built plugin under one typescript-eslint backend,
// with ESLint, typescript-eslint and TypeScript from this folder's own install (which has
// @typescript/native; the repository root does not). tests/matrix/tsgo.test.ts runs it once per
// backend, each in its own process, and compares the findings.
//
//   node lint.mjs <classic|tsgo> <examples|corpus|fixtures> [file…]
//
// Prints one JSON object on stdout: { findings: [{ ruleId, file, line, column, message }], fatals }.
// File paths are relative to the repository root. Every rule of the plugin runs at 'error'
// (configs.all); a corpus file's `// settings: {…}` first line applies to that file, as in
// bench/eval/score.mjs. Whatever the plugin writes to stderr (its one-time messages) passes through.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..', '..', '..');
const TARGETS = {
  examples: { root: path.join(REPO, 'examples'), patterns: ['src/**/*.ts'] },
  corpus: { root: path.join(REPO, 'bench', 'eval'), patterns: ['corpus/*/*.ts'] },
  // The no-crash fixtures: every syntax form (syntax-zoo.ts) and code that does not type-check.
  fixtures: { root: path.join(REPO, 'tests', 'fixtures'), patterns: ['src/*.ts'] },
};

const [backend, targetName, ...only] = process.argv.slice(2);
const target = TARGETS[targetName];
if (!['classic', 'tsgo'].includes(backend) || !target) {
  console.error('usage: node lint.mjs <classic|tsgo> <examples|corpus|fixtures> [file…]');
  process.exit(2);
}

// NATIVE_HANDLE_PLUGIN: another build of the plugin (to compare two builds on one backend).
const pluginEntry = process.env.NATIVE_HANDLE_PLUGIN ? path.resolve(process.env.NATIVE_HANDLE_PLUGIN) : path.join(REPO, 'dist', 'index.js');
const { default: plugin } = await import(pathToFileURL(pluginEntry).href);

/** A corpus file's own settings: the `// settings: {json}` first line (whole object or the plugin's part). */
function settingsOf(file) {
  const first = fs.readFileSync(file, 'utf8').split(/\r?\n/, 1)[0] ?? '';
  const match = /^\s*\/\/\s*settings:\s*(.*)$/.exec(first);
  if (!match) return undefined;
  const parsed = JSON.parse(match[1]);
  return 'native-handle' in parsed ? parsed : { 'native-handle': parsed };
}

const config = [
  {
    files: ['**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: {
        projectService: backend === 'tsgo' ? { EXPERIMENTAL_backend: 'tsgo' } : true,
        tsconfigRootDir: target.root,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'off' },
  },
  plugin.configs.all,
];
if (targetName === 'corpus') {
  for (const dir of fs.readdirSync(path.join(target.root, 'corpus'))) {
    const folder = path.join(target.root, 'corpus', dir);
    if (!fs.statSync(folder).isDirectory()) continue;
    for (const name of fs.readdirSync(folder)) {
      if (!name.endsWith('.ts') || name.endsWith('.d.ts')) continue;
      const settings = settingsOf(path.join(folder, name));
      if (settings) config.push({ files: [`corpus/${dir}/${name}`], settings });
    }
  }
}

const eslint = new ESLint({ cwd: target.root, overrideConfigFile: true, overrideConfig: config, cache: false });
const results = await eslint.lintFiles(only.length > 0 ? only : target.patterns);

const findings = [];
const fatals = [];
for (const result of results) {
  const file = path.relative(REPO, result.filePath).split(path.sep).join('/');
  for (const m of result.messages) {
    if (m.fatal || !m.ruleId) fatals.push({ file, line: m.line, message: m.message });
    else findings.push({ ruleId: m.ruleId, file, line: m.line, column: m.column, message: m.message });
  }
}
findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId));
process.stdout.write(`${JSON.stringify({ files: results.length, findings, fatals })}\n`);
