import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ESLint, Rule } from 'eslint';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { rules } from '../../src/rules/index.js';
import { checkFixes, toCrlf, Workspace, type CheckResult, type CheckTarget, type FixProblem } from './fixSafety.js';

/**
 * The fix-safety harness (CONTRIBUTING.md#quality-bars, issue 12). Autofixes run on save, unread; this checks every
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

const collected = vi.hoisted(() => [] as { suite: string; rule: unknown; settings: Record<string, unknown>; invalid: unknown[] }[]);

vi.mock('../ruleTester.js', async importOriginal => {
  const original = await importOriginal<typeof import('../ruleTester.js')>();
  return {
    ...original,
    createRuleTester: (settings?: Record<string, unknown>) => ({
      run: (suite: string, rule: unknown, tests: { invalid: unknown[] }) => {
        collected.push({ suite, rule, settings: settings ?? {}, invalid: tests.invalid });
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
  for (const { suite, rule: ruleObject, settings, invalid } of collected) {
    // The rule by identity: a file may run several suites under names of their own.
    const rule = Object.entries(rules).find(([, candidate]) => candidate === ruleObject)?.[0] ?? suite;
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

type Counts = Map<string, { fixes: number; suggestions: number }>;
/** Per input set and rule, what was checked on inputs as written (each of them also ran in CRLF). */
const totals = { suites: new Map() as Counts, corpus: new Map() as Counts };
const inputs = { cases: 0, files: 0 };

function addCounts(totalsOf: Counts, result: CheckResult): void {
  for (const [rule, counts] of result.counts) {
    const total = totalsOf.get(rule) ?? { fixes: 0, suggestions: 0 };
    total.fixes += counts.fixes;
    total.suggestions += counts.suggestions;
    totalsOf.set(rule, total);
  }
}

function describeProblems(problems: readonly FixProblem[]): string[] {
  return problems.map(
    problem =>
      `${problem.rule} ${problem.kind} in ${problem.source}, ${problem.finding}: ${problem.problem}\n--- output ---\n${problem.output}`,
  );
}

/** Runs the input as written (counted, type-checked) and in CRLF. */
function checkBothEndings(target: Omit<CheckTarget, 'typeCheck'>, problems: FixProblem[], totalsOf: Counts): void {
  const asWritten: CheckResult = { counts: new Map(), problems };
  checkFixes(target, asWritten);
  addCounts(totalsOf, asWritten);
  checkFixes(
    { ...target, text: toCrlf(target.text), source: `${target.source} (CRLF)`, typeCheck: false },
    { counts: new Map(), problems },
  );
}

describe('fix safety: every autofix and suggestion, applied on its own', { timeout: TIMEOUT }, () => {
  afterAll(() => {
    const cell = (counts: Counts, rule: string): string => {
      const { fixes, suggestions } = counts.get(rule) ?? { fixes: 0, suggestions: 0 };
      return `${String(fixes).padStart(4)} / ${String(suggestions).padEnd(4)}`;
    };
    const lines = ruleNames.map(rule => {
      const both: Counts = new Map([[rule, { fixes: 0, suggestions: 0 }]]);
      for (const counts of [totals.suites, totals.corpus]) {
        both.get(rule)!.fixes += counts.get(rule)?.fixes ?? 0;
        both.get(rule)!.suggestions += counts.get(rule)?.suggestions ?? 0;
      }
      return `  ${rule.padEnd(28)} ${cell(totals.suites, rule)}     ${cell(totals.corpus, rule)}     ${cell(both, rule)}`;
    });
    console.log(
      [
        `fix-safety harness: autofixes / suggestions checked per rule, on ${String(inputs.cases)} invalid rule-suite cases and ${String(inputs.files)} corpus and example files`,
        '(counted on the inputs as written; every one was checked again on the input in CRLF)',
        `  ${'rule'.padEnd(28)} rule suites     corpus+examples total`,
        ...lines,
      ].join('\n'),
    );
  });

  it('reports a fix that breaks each check (a self-test with a deliberately bad rule)', () => {
    // Each rule of this plugin reports the first statement and offers one bad edit.
    const badRule = (edit: (fixer: Rule.RuleFixer, node: Rule.Node) => Rule.Fix, asSuggestion = false): Rule.RuleModule => ({
      meta: { type: 'problem', fixable: 'code', hasSuggestions: true, messages: { bad: 'bad' }, schema: [] },
      create: context => ({
        'Program > ExportNamedDeclaration:first-child'(node: Rule.Node) {
          const fix = (fixer: Rule.RuleFixer): Rule.Fix => edit(fixer, node);
          context.report(asSuggestion ? { node, messageId: 'bad', suggest: [{ messageId: 'bad', fix }] } : { node, messageId: 'bad', fix });
        },
      }),
    });
    const plugin: ESLint.Plugin = {
      rules: {
        'lf-in-crlf': badRule((fixer, node) => fixer.insertTextAfter(node, '\nvoid 0;')),
        'type-error': badRule((fixer, node) => fixer.insertTextAfter(node, ' const broken: number = "text";'), true),
        'no-parse': badRule((fixer, node) => fixer.insertTextAfter(node, ' const ('), true),
        'still-there': badRule((fixer, node) => fixer.insertTextBefore(node, '/* fixed */ ')),
        twice: badRule((fixer, node) => fixer.insertTextBefore(node, 'console.log(1);\r\nconsole.log(1);\r\n'), true),
      },
    };
    const workspace = new Workspace(path.join(fixturesDir, 'tsconfig.json'), plugin);
    const fileName = path.join(fixturesDir, 'file.ts');
    const rules = Object.fromEntries(Object.keys(plugin.rules!).map(name => [name, [] as unknown[]]));
    const result: CheckResult = { counts: new Map(), problems: [] };
    checkFixes({ workspace, fileName, text: 'export const a = 1;\r\nexport const b = 2;\r\n', rules, source: 'self-test' }, result);
    expect([...result.counts.keys()].sort()).toEqual(Object.keys(rules).sort());
    expect(result.problems.map(problem => `${problem.rule}: ${problem.problem}`)).toEqual([
      "lf-in-crlf: the file's line endings (crlf) became mixed",
      'lf-in-crlf: a second pass offers another autofix for the same finding',
      'lf-in-crlf: the rule still reports the finding after its autofix',
      'type-error: TypeScript reports 1 errors, 0 before',
      'no-parse: the output does not parse',
      'still-there: a second pass offers another autofix for the same finding',
      'still-there: the rule still reports the finding after its autofix',
      'twice: the output repeats a statement line right after itself',
    ]);
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
      checkBothEndings(
        { workspace, fileName, text: item.code, rules: { [item.rule]: item.options }, settings: item.settings, source },
        problems,
        totals.suites,
      );
    }
    expect(describeProblems(problems)).toEqual([]);
    // Every rule offers fixes or suggestions somewhere in its suite: the harness saw them.
    for (const rule of ruleNames)
      expect((totals.suites.get(rule)?.fixes ?? 0) + (totals.suites.get(rule)?.suggestions ?? 0), rule).toBeGreaterThan(0);
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
        const source = path.relative(root, fileName);
        checkBothEndings({ workspace, fileName, text, rules: allRules, settings: corpusSettings(text), source }, problems, totals.corpus);
        workspace.program(fileName, text); // back to its text on disk for the next file's program
      }
    }
    expect(describeProblems(problems)).toEqual([]);
  });
});
