import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { rules } from '../../src/rules/index.js';
import { checkFixes, toCrlf, Workspace, type CheckResult, type CheckTarget, type FixProblem } from './fixSafety.js';

/**
 * The fix-safety harness (spec §4, issue 12). Autofixes run on save, unread; this checks every
 * one the rules offer, and every suggestion, on real inputs:
 *
 * - every `invalid` case of every rule suite in tests/rules, collected by replacing the shared
 *   RuleTester factory while the suites are imported (so no case is listed here by hand), linted
 *   with the suite's rule, settings and options as the fixture project's file.ts;
 * - every eval corpus file (bench/eval/corpus, with its `// settings:` line) and every example
 *   (examples/src), each in its own project, linted with every rule.
 *
 * Each input runs as written and converted to CRLF line endings. Every autofix and every
 * suggestion is applied on its own and must: parse; leave TypeScript with no more errors than the
 * input (checked on the input as written); keep the line endings; get no further autofix from the
 * same rule where the finding was; not write a statement line twice in a row; and, for an autofix,
 * leave the rule silent where the finding was. The counts per rule are printed at the end.
 *
 * It lints about a thousand inputs and type-checks every fix output, which takes minutes on a
 * busy machine: it lives in the integration project, not in the unit inner loop.
 */

interface CollectedCase {
  readonly suite: string;
  readonly rule: string;
  readonly name: string;
  readonly code: string;
  readonly options: unknown[];
  readonly settings: Record<string, unknown>;
}

const collected = vi.hoisted(() => [] as { suite: string; settings: Record<string, unknown>; invalid: unknown[] }[]);

vi.mock('../ruleTester.js', async importOriginal => {
  const original = await importOriginal<typeof import('../ruleTester.js')>();
  return {
    ...original,
    createRuleTester: (settings?: Record<string, unknown>) => ({
      run: (suite: string, _rule: unknown, tests: { invalid: unknown[] }) => {
        collected.push({ suite, settings: settings ?? {}, invalid: tests.invalid });
      },
    }),
  };
});

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const fixturesDir = path.join(root, 'tests', 'fixtures');
const ruleNames = Object.keys(rules);
const TIMEOUT = 1_800_000;

async function collectCases(): Promise<CollectedCase[]> {
  const stems = fs
    .readdirSync(path.join(root, 'tests', 'rules'))
    .filter(file => file.endsWith('.test.ts'))
    .map(file => file.slice(0, -'.test.ts'.length));
  for (const stem of stems) await import(`../rules/${stem}.test.ts`);
  const cases: CollectedCase[] = [];
  for (const { suite, settings, invalid } of collected) {
    const rule = suite.replace(/ \(.*\)$/, '');
    for (const entry of invalid) {
      const item = entry as { name?: string; code: string; options?: unknown[]; settings?: Record<string, unknown> };
      cases.push({
        suite,
        rule,
        name: item.name ?? item.code.slice(0, 60),
        code: item.code,
        options: item.options ?? [],
        settings: { ...settings, ...item.settings },
      });
    }
  }
  return cases;
}

function tsFilesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter(file => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .sort()
    .map(file => path.join(dir, file));
}

/** `// settings: {json}` on a corpus file's first line (bench/eval/score.mjs reads it the same way). */
function corpusSettings(text: string): Record<string, unknown> {
  const match = /^\s*\/\/\s*settings:\s*(.*)$/.exec(text.split(/\r?\n/, 1)[0] ?? '');
  if (!match) return {};
  const parsed = JSON.parse(match[1]!) as Record<string, unknown>;
  return 'native-handle' in parsed ? parsed : { 'native-handle': parsed };
}

/** Per rule, what was checked on inputs as written (each of them also ran in CRLF). */
const totals = new Map<string, { fixes: number; suggestions: number }>();
const inputs = { cases: 0, files: 0 };

function addCounts(result: CheckResult): void {
  for (const [rule, counts] of result.counts) {
    const total = totals.get(rule) ?? { fixes: 0, suggestions: 0 };
    total.fixes += counts.fixes;
    total.suggestions += counts.suggestions;
    totals.set(rule, total);
  }
}

function describeProblems(problems: readonly FixProblem[]): string[] {
  return problems.map(problem => `${problem.rule} ${problem.kind} in ${problem.source}, ${problem.finding}: ${problem.problem}\n--- output ---\n${problem.output}`);
}

/** Runs the input as written (counted, type-checked) and in CRLF. */
function checkBothEndings(target: Omit<CheckTarget, 'typeCheck'>, problems: FixProblem[]): void {
  const asWritten: CheckResult = { counts: new Map(), problems };
  checkFixes(target, asWritten);
  addCounts(asWritten);
  checkFixes({ ...target, text: toCrlf(target.text), source: `${target.source} (CRLF)`, typeCheck: false }, { counts: new Map(), problems });
}

describe('fix safety: every autofix and suggestion, applied on its own', { timeout: TIMEOUT }, () => {
  afterAll(() => {
    const lines = ruleNames.map(rule => {
      const counts = totals.get(rule) ?? { fixes: 0, suggestions: 0 };
      return `  ${rule.padEnd(28)} ${String(counts.fixes).padStart(4)} autofixes  ${String(counts.suggestions).padStart(4)} suggestions`;
    });
    console.log(
      [
        `fix-safety harness: ${String(inputs.cases)} invalid rule-suite cases and ${String(inputs.files)} corpus/example files;`,
        'autofixes and suggestions checked per rule (inputs as written; each was checked again in CRLF):',
        ...lines,
      ].join('\n'),
    );
  });

  it('of every invalid case of every rule suite, as written and in CRLF', async () => {
    const cases = await collectCases();
    expect(new Set(cases.map(item => item.rule))).toEqual(new Set(ruleNames));
    inputs.cases = cases.length;
    const workspace = new Workspace(path.join(fixturesDir, 'tsconfig.json'));
    const fileName = path.join(fixturesDir, 'file.ts');
    const problems: FixProblem[] = [];
    for (const item of cases) {
      const source = `${item.suite}: "${item.name}"`;
      checkBothEndings({ workspace, fileName, text: item.code, rules: { [item.rule]: item.options }, settings: item.settings, source }, problems);
    }
    expect(describeProblems(problems)).toEqual([]);
    // Every rule offers fixes or suggestions somewhere in its suite: the harness saw them.
    for (const rule of ruleNames) expect((totals.get(rule)?.fixes ?? 0) + (totals.get(rule)?.suggestions ?? 0), rule).toBeGreaterThan(0);
  });

  it('of every eval corpus file and every example, as written and in CRLF', () => {
    const problems: FixProblem[] = [];
    const projects = [
      { config: path.join(root, 'bench', 'eval', 'tsconfig.json'), files: tsFilesUnder(path.join(root, 'bench', 'eval', 'corpus')) },
      { config: path.join(root, 'examples', 'tsconfig.json'), files: tsFilesUnder(path.join(root, 'examples', 'src')) },
    ];
    const allRules = Object.fromEntries(ruleNames.map(name => [name, [] as unknown[]]));
    for (const project of projects) {
      expect(project.files.length, project.config).toBeGreaterThan(0);
      const workspace = new Workspace(project.config);
      for (const fileName of project.files) {
        inputs.files++;
        const text = fs.readFileSync(fileName, 'utf8');
        checkBothEndings({ workspace, fileName, text, rules: allRules, settings: corpusSettings(text), source: path.relative(root, fileName) }, problems);
        workspace.program(fileName, text); // back to its text on disk for the next file's program
      }
    }
    expect(describeProblems(problems)).toEqual([]);
  });
});
