// typescript-eslint's experimental tsgo backend (`projectService: { EXPERIMENTAL_backend: 'tsgo' }`,
// TypeScript 7's native compiler through `@typescript/native`): the plugin lints examples/ and the
// eval corpus (and the no-crash fixtures) there with the same findings (rule, file, line, column) as on the classic backend.
//
// The backend needs `@typescript/native`, whose `tsc` binary would shadow TypeScript 6's in the
// repository root, so tests/matrix/tsgo/ has its own package.json and lock (ESLint,
// typescript-eslint, TypeScript 6 and @types/node at the root's versions, plus the TypeScript 7.1
// build): this test installs it (once per lock file) and runs tests/matrix/tsgo/lint.mjs
// once per backend, each in its own process, with the built plugin (dist/).
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { rules } from '../../src/rules/index.js';
import { repoRoot, run } from '../integration/project.js';

const folder = path.join(repoRoot, 'tests', 'matrix', 'tsgo');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const INSTALL_TIMEOUT = 15 * 60_000;
const LINT_TIMEOUT = 15 * 60_000;

interface Finding {
  readonly ruleId: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

interface LintRun {
  readonly files: number;
  readonly findings: readonly Finding[];
  readonly fatals: readonly unknown[];
  readonly stderr: string;
  readonly seconds: number;
}

/**
 * Installs tests/matrix/tsgo unless its node_modules was installed from the present package.json
 * and lock file. `npm install` (which follows the lock) rather than `npm ci`: TypeScript 7's
 * compiler comes in one optional package per platform, and a registry that lacks some platforms'
 * packages leaves them out of the lock, which `npm ci` then refuses.
 */
async function install(): Promise<void> {
  const digest = (): string =>
    createHash('sha256')
      .update(fs.readFileSync(path.join(folder, 'package.json')))
      .update(fs.readFileSync(path.join(folder, 'package-lock.json')))
      .digest('hex');
  const stamp = path.join(folder, 'node_modules', '.native-handle-installed');
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === digest()) return;
  const result = await run(npm, ['install', '--prefer-offline', '--no-audit', '--no-fund'], folder);
  expect(result.status, result.stderr).toBe(0);
  fs.writeFileSync(stamp, digest());
}

async function lint(backend: 'classic' | 'tsgo', target: 'examples' | 'corpus' | 'fixtures'): Promise<LintRun> {
  const started = Date.now();
  const result = await run(process.execPath, ['lint.mjs', backend, target], folder);
  const seconds = (Date.now() - started) / 1000;
  expect(result.status, `${backend} ${target}: ${result.stderr}`).toBe(0);
  const parsed = JSON.parse(result.stdout) as Omit<LintRun, 'stderr' | 'seconds'>;
  console.log(
    `tsgo matrix: ${target} on the ${backend} backend: ${parsed.files} files, ${parsed.findings.length} findings, ${seconds.toFixed(1)} s`,
  );
  return { ...parsed, stderr: result.stderr, seconds };
}

/** What identifies a finding when the backends are compared. */
const where = (findings: readonly Finding[]): string[] => findings.map(f => `${f.file}:${f.line}:${f.column} ${f.ruleId}`);

describe('the tsgo backend of typescript-eslint', () => {
  beforeAll(async () => {
    expect(fs.existsSync(path.join(repoRoot, 'dist', 'index.js')), 'dist/ is missing: run `npm run build`').toBe(true);
    await install();
  }, INSTALL_TIMEOUT);

  // The examples and the eval corpus have findings of every rule (an empty pair of lists would
  // prove nothing); the no-crash fixtures (every syntax form, code that does not type-check) some.
  it.each([
    ['examples/', 'examples', Object.keys(rules).length],
    ['the eval corpus', 'corpus', Object.keys(rules).length],
    ['the no-crash fixtures', 'fixtures', 1],
  ] as const)(
    'lints %s with the same findings as the classic backend, without a crash or a warning',
    async (_name, target, rulesWithFindings) => {
      const classic = await lint('classic', target);
      const tsgo = await lint('tsgo', target);
      expect(classic.fatals).toEqual([]);
      expect(tsgo.fatals).toEqual([]);
      expect(tsgo.files).toBe(classic.files);
      expect(new Set(classic.findings.map(f => f.ruleId)).size).toBeGreaterThanOrEqual(rulesWithFindings);
      expect(where(tsgo.findings)).toEqual(where(classic.findings));
      expect(tsgo.findings.map(f => f.message)).toEqual(classic.findings.map(f => f.message));
      expect(tsgo.stderr).toBe('');
    },
    LINT_TIMEOUT,
  );
});
