#!/usr/bin/env node
// `npm run demo`: lints examples/ with the built plugin (examples/eslint.config.mjs, typed
// linting through projectService), prints every finding with the suggestions it offers, then
// shows the diff that `eslint --fix` would make. Nothing is written to disk. Exits 0 when the
// lint ran (findings are the point of the demo), 1 when a file could not be linted.
import { ESLint } from 'eslint';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const examplesDir = path.join(root, 'examples');
const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code, text) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);

if (!fs.existsSync(path.join(root, 'dist', 'index.js'))) {
  console.error('dist/ is missing: run `npm ci` (it builds the plugin) or `npm run build` first.');
  process.exit(1);
}

const lint = async fix => new ESLint({ cwd: examplesDir, fix }).lintFiles(['src/**/*.ts']);

const results = await lint(false);
const fixedResults = await lint(true);

let fatal = 0;
const perRule = new Map();
console.log(paint('1', `Findings in examples/ (${results.length} files)\n`));
for (const result of results) {
  const relative = path.relative(root, result.filePath);
  if (result.messages.length === 0) {
    console.log(`${paint('32', '✓')} ${relative}: no findings`);
    continue;
  }
  console.log(paint('4', relative));
  for (const message of result.messages) {
    if (message.fatal || !message.ruleId) {
      fatal++;
      console.log(`  ${message.line}:${message.column}  ${paint('31', 'fatal')}  ${message.message}`);
      continue;
    }
    perRule.set(message.ruleId, (perRule.get(message.ruleId) ?? 0) + 1);
    const fixable = message.fix ? paint('36', ' [autofix]') : '';
    console.log(`  ${message.line}:${message.column}  ${paint('31', message.ruleId)}${fixable}`);
    console.log(`      ${message.message}`);
    for (const suggestion of message.suggestions ?? []) {
      console.log(`      ${paint('33', 'suggestion:')} ${suggestion.desc}`);
    }
  }
  console.log('');
}

console.log(paint('1', '\nWhat `eslint --fix` would change (autofixes only; suggestions need a human):\n'));
let fixedFiles = 0;
for (const result of fixedResults) {
  if (result.output === undefined) continue;
  fixedFiles++;
  const original = fs.readFileSync(result.filePath, 'utf8');
  console.log(paint('4', path.relative(root, result.filePath)));
  for (const line of lineDiff(original.split('\n'), result.output.split('\n'))) console.log(line);
  console.log('');
}
if (fixedFiles === 0) console.log('  (no autofixes)\n');

console.log(paint('1', 'Findings per rule:'));
for (const [rule, count] of [...perRule].sort()) console.log(`  ${rule}: ${count}`);
if (fatal > 0) {
  console.error(paint('31', `\n${fatal} file(s) could not be linted.`));
  process.exit(1);
}

/** A minimal unified-style diff (LCS over lines) with two lines of context. */
function lineDiff(a, b) {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const lcs = Array.from({ length: rows }, () => new Uint32Array(cols));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const ops = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) ops.push({ kind: ' ', text: a[i++], line: j++ + 1 });
    else if (i < a.length && (j === b.length || lcs[i + 1][j] >= lcs[i][j + 1])) ops.push({ kind: '-', text: a[i++], line: j + 1 });
    else ops.push({ kind: '+', text: b[j], line: ++j });
  }
  const keep = new Set();
  ops.forEach((op, index) => {
    if (op.kind === ' ') return;
    for (let k = Math.max(0, index - 2); k <= Math.min(ops.length - 1, index + 2); k++) keep.add(k);
  });
  const out = [];
  let last = -2;
  ops.forEach((op, index) => {
    if (!keep.has(index)) return;
    if (index !== last + 1) out.push(paint('36', `  @@ line ${op.line}`));
    last = index;
    const text = `  ${op.kind} ${op.text}`;
    out.push(op.kind === '+' ? paint('32', text) : op.kind === '-' ? paint('31', text) : text);
  });
  return out;
}
