import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (the plugin package). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The small project the editor and SARIF tests lint: the README config and one hazard file. */
export const e2eFixtureDir = path.join(repoRoot, 'tests', 'fixtures', 'e2e');

/** The ESLint CLI of the repository's own install (ESLint 10). */
export const eslintBin = path.join(repoRoot, 'node_modules', 'eslint', 'bin', 'eslint.js');

/** The three rules whose findings in `src/hazards.ts` the tests assert exactly. */
export const STABLE_RULES = [
  'native-handle/no-cleanup-in-exit-handler',
  'native-handle/no-close-with-pending-ops',
  'native-handle/require-lifetime-guard',
] as const;

/** A fresh directory in the OS temp dir; `rmTemp` removes it. */
export function makeTemp(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `native-handle-${prefix}-`));
}

export function rmTemp(dir: string | undefined): void {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * A temporary copy of the e2e fixture project whose `node_modules` links ESLint, typescript-eslint,
 * TypeScript, `@types` and the SARIF formatter from the repository's install, and the plugin package to the repository
 * itself: the project imports `eslint-plugin-native-handle` exactly as a user's would.
 */
export function linkedE2eProject(): string {
  const dir = makeTemp('e2e');
  fs.cpSync(e2eFixtureDir, dir, { recursive: true });
  const modules = path.join(dir, 'node_modules');
  fs.mkdirSync(modules);
  for (const name of ['eslint', 'typescript-eslint', 'typescript', '@types', '@microsoft']) {
    fs.symlinkSync(path.join(repoRoot, 'node_modules', name), path.join(modules, name), 'dir');
  }
  fs.symlinkSync(repoRoot, path.join(modules, 'eslint-plugin-native-handle'), 'dir');
  return dir;
}

/**
 * A temporary copy of `examples/`, at `<temp>/examples`, beside links to the repository's `dist/`
 * and `node_modules/` so its config (`import … from '../dist/index.js'`) loads unchanged.
 */
export function examplesCopy(): { root: string; examples: string } {
  const root = makeTemp('examples');
  const examples = path.join(root, 'examples');
  fs.cpSync(path.join(repoRoot, 'examples'), examples, { recursive: true });
  fs.symlinkSync(path.join(repoRoot, 'dist'), path.join(root, 'dist'), 'dir');
  fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  return { root, examples };
}

export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to completion (asynchronously, so vitest's timeouts apply). */
export function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', status => {
      resolve({ status, stdout, stderr });
    });
  });
}

/** Runs the ESLint CLI with Node in `cwd`. */
export function eslint(args: readonly string[], cwd: string, bin = eslintBin): Promise<RunResult> {
  return run(process.execPath, [bin, ...args], cwd);
}

/** One finding of ESLint's `json` formatter, reduced to what identifies it. */
export interface Finding {
  readonly file: string;
  readonly ruleId: string | null;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

interface JsonResult {
  readonly filePath: string;
  readonly messages: readonly { ruleId: string | null; line: number; column: number; message: string }[];
}

/** The findings of a `-f json` run, with paths relative to `cwd`, sorted. */
export function findingsOf(jsonOutput: string, cwd: string): Finding[] {
  const results = JSON.parse(jsonOutput) as JsonResult[];
  return results
    .flatMap(result =>
      result.messages.map(message => ({
        file: path.relative(cwd, result.filePath),
        ruleId: message.ruleId,
        line: message.line,
        column: message.column,
        message: message.message,
      })),
    )
    .sort(
      (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || (a.ruleId ?? '').localeCompare(b.ruleId ?? ''),
    );
}

/** A text edit of LSP or of ESLint, as offsets. */
export interface OffsetEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** Applies non-overlapping edits to a text. */
export function applyOffsetEdits(text: string, edits: readonly OffsetEdit[]): string {
  let result = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start || b.end - a.end)) {
    result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  }
  return result;
}
