// Code scanning: the ESLint CLI with `@microsoft/eslint-formatter-sarif`, the formatter GitHub's
// ESLint code-scanning workflow uses, on a temporary copy of the e2e fixture project.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rules } from '../../src/rules/index.js';
import { STABLE_RULES, eslint, findingsOf, linkedE2eProject, rmTemp, type Finding } from './project.js';

interface SarifRule {
  readonly id: string;
  readonly helpUri?: string;
  readonly shortDescription?: { readonly text: string };
}
interface SarifResult {
  readonly ruleId?: string;
  readonly ruleIndex?: number;
  readonly level: string;
  readonly message: { readonly text: string };
  readonly locations: readonly { physicalLocation: { region?: { startLine?: number; startColumn?: number } } }[];
}
interface SarifLog {
  readonly version: string;
  readonly runs: readonly {
    tool: { driver: { name: string; version?: string; rules: readonly SarifRule[] } };
    results: readonly SarifResult[];
  }[];
}

const ruleMeta = (id: string) => rules[id.replace('native-handle/', '') as keyof typeof rules].meta;

describe('SARIF output (@microsoft/eslint-formatter-sarif)', () => {
  let dir: string | undefined;
  let sarif: SarifLog | undefined;
  let findings: Finding[] = [];

  beforeAll(async () => {
    dir = linkedE2eProject();
    const [sarifRun, jsonRun] = await Promise.all([
      eslint(['--format', '@microsoft/eslint-formatter-sarif', 'src'], dir),
      eslint(['--format', 'json', 'src'], dir),
    ]);
    expect(sarifRun.status, sarifRun.stderr).toBe(1);
    expect(jsonRun.status, jsonRun.stderr).toBe(1);
    sarif = JSON.parse(sarifRun.stdout) as SarifLog;
    findings = findingsOf(jsonRun.stdout, dir);
  }, 120_000);

  afterAll(() => {
    rmTemp(dir);
  });

  it('is one SARIF 2.1.0 run of ESLint 10', () => {
    expect(sarif!.version).toBe('2.1.0');
    expect(sarif!.runs).toHaveLength(1);
    expect(sarif!.runs[0]!.tool.driver.name).toBe('ESLint');
    expect(sarif!.runs[0]!.tool.driver.version).toMatch(/^10\./);
  });

  it('names each of our rules it reports with its description and helpUri = meta.docs.url', () => {
    const driverRules = sarif!.runs[0]!.tool.driver.rules;
    expect(driverRules.map(rule => rule.id)).toEqual(expect.arrayContaining([...STABLE_RULES]));
    for (const rule of driverRules) {
      expect(rule.id).toMatch(/^native-handle\//);
      const meta = ruleMeta(rule.id);
      expect(rule.shortDescription?.text).toBe(meta.docs?.description);
      expect(rule.helpUri).toBe(meta.docs?.url);
      expect(rule.helpUri).toMatch(new RegExp(`/docs/rules/${rule.id.replace('native-handle/', '')}\\.md$`));
    }
  });

  it('has one result per finding, pointing at its rule and its location', () => {
    const { results, tool } = sarif!.runs[0]!;
    expect(results.length).toBeGreaterThan(0);
    const located = results.map(result => ({
      ruleId: result.ruleId,
      line: result.locations[0]?.physicalLocation.region?.startLine,
      column: result.locations[0]?.physicalLocation.region?.startColumn,
      message: result.message.text,
    }));
    expect(located).toEqual(findings.map(({ ruleId, line, column, message }) => ({ ruleId, line, column, message })));
    for (const result of results) {
      expect(result.level).toBe('error');
      expect(tool.driver.rules[result.ruleIndex!]?.id).toBe(result.ruleId);
    }
    const stable = located.filter(result => (STABLE_RULES as readonly (string | undefined)[]).includes(result.ruleId));
    expect(stable.map(result => [result.ruleId, result.line])).toEqual([
      ['native-handle/no-cleanup-in-exit-handler', 6],
      ['native-handle/no-close-with-pending-ops', 13],
      ['native-handle/require-lifetime-guard', 29],
    ]);
  });
});
