// The triage file of the real-code corpus (bench/real/triage.tsv) and the matching of findings
// with it (bench/real/triage.mjs, used by `npm run eval:real`).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type Finding, type TriageEntry, formatRow, lineKey, matchFindings, parseTriage } from '../../bench/real/triage.mjs';
import { rules } from '../../src/rules/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const entry = (line: number, text: string, verdict = 'false-positive', rule = 'require-lifetime-guard'): TriageEntry => ({
  package: 'p',
  file: 'src/a.ts',
  line,
  rule,
  configs: 'recommended,strict',
  verdict,
  reason: `reason ${String(line)}`,
  text,
  where: `triage.tsv:${String(line)}`,
});
const finding = (line: number, text: string, rule = 'require-lifetime-guard'): Finding => ({
  package: 'p',
  file: 'src/a.ts',
  line,
  rule,
  text,
});

describe('lineKey', () => {
  it('trims and collapses whitespace, and cuts long lines', () => {
    expect(lineKey('\t  this.pool.checkIn(  conn );  ')).toBe('this.pool.checkIn( conn );');
    expect(lineKey('x'.repeat(500))).toHaveLength(160);
  });
});

describe('parseTriage', () => {
  it('reads the header, skips comments and the column line, and checks each entry', () => {
    const source = [
      '# a comment',
      '# @package\tmongodb\tmongodb\t7.9.0\t132\t40969',
      'package\tfile\tline\trule\tconfigs\tverdict\treason\ttext',
      'mongodb\tsrc/a.ts\t12\tno-use-after-close\tstrict\treal\ta reason\tx.read();',
      'mongodb\tsrc/a.ts\t13\tno-use-after-close\tstrict\tmaybe\ta reason\tx.read();',
      'mongodb\tsrc/a.ts\t14\tno-use-after-close\tstrict\treal\t \tx.read();',
      'mongodb\tsrc/a.ts\t15\tno-use-after-close\tstrict\tTODO\t\tx.read();',
      'mongodb\tsrc/a.ts\tfive',
      '',
    ].join('\n');
    const { header, entries, errors } = parseTriage(source, 't.tsv');
    expect(header.get('mongodb')).toEqual({ pkg: 'mongodb', version: '7.9.0', files: 132, lines: 40969 });
    expect(entries.map(e => [e.line, e.verdict, e.where])).toEqual([
      [12, 'real', 't.tsv:4'],
      [15, 'TODO', 't.tsv:7'],
    ]);
    expect(errors).toEqual([
      expect.stringMatching(/^t\.tsv:5: verdict must be one of/),
      expect.stringMatching(/^t\.tsv:6: a triaged entry needs a reason/),
      expect.stringMatching(/^t\.tsv:8: expected 8 tab-separated columns/),
    ]);
  });

  it('reads back what formatRow writes', () => {
    const e = entry(7, 'if (a)\tb();');
    const { entries } = parseTriage(formatRow(e));
    expect(entries[0]).toMatchObject({ ...e, text: 'if (a) b();', where: 'triage.tsv:1' });
  });
});

describe('matchFindings', () => {
  it('matches by file, rule and line text, and reports entries without a finding as stale', () => {
    const a = entry(10, 'this.pool.checkIn(conn);');
    const b = entry(20, 'await this.cursor.next();', 'debatable');
    const findings = [finding(10, 'this.pool.checkIn(conn);'), finding(30, 'socket.setTimeout(0);')];
    expect(matchFindings(findings, [a, b])).toEqual([b]);
    expect(findings[0]!.entry).toBe(a);
    expect(findings[1]!.entry).toBeUndefined();
  });

  it('follows a line that moved, but not a line whose text changed', () => {
    const a = entry(10, 'this.pool.checkIn(conn);');
    const moved = [finding(14, 'this.pool.checkIn(conn);')];
    expect(matchFindings(moved, [a])).toEqual([]);
    expect(moved[0]!.entry).toBe(a);
    const changed = [finding(10, 'this.pool.checkIn(connection);')];
    expect(matchFindings(changed, [a])).toEqual([a]);
    expect(changed[0]!.entry).toBeUndefined();
  });

  it('does not match another rule on the same line', () => {
    const a = entry(10, 'x.read();', 'real', 'no-use-after-close');
    const f = [finding(10, 'x.read();', 'require-lifetime-guard')];
    expect(matchFindings(f, [a])).toEqual([a]);
  });

  it('pairs findings on lines with the same text with their own entries, also when all of them moved', () => {
    const first = entry(10, 'this.pool.checkIn(conn);', 'false-positive');
    const second = entry(20, 'this.pool.checkIn(conn);', 'real');
    const exact = [finding(20, 'this.pool.checkIn(conn);'), finding(10, 'this.pool.checkIn(conn);')];
    matchFindings(exact, [second, first]);
    expect(exact.map(f => f.entry)).toEqual([second, first]);
    // Both moved down by 6: by nearest line alone, the finding at 16 would take the entry at 20.
    const shifted = [finding(16, 'this.pool.checkIn(conn);'), finding(26, 'this.pool.checkIn(conn);')];
    expect(matchFindings(shifted, [first, second])).toEqual([]);
    expect(shifted.map(f => f.entry)).toEqual([first, second]);
  });

  it('gives each entry to one finding only, nearest first, when the counts differ', () => {
    const a = entry(10, 'this.socket.setTimeout(0);');
    const findings = [finding(40, 'this.socket.setTimeout(0);'), finding(12, 'this.socket.setTimeout(0);')];
    expect(matchFindings(findings, [a])).toEqual([]);
    expect(findings[1]!.entry).toBe(a);
    expect(findings[0]!.entry).toBeUndefined();
  });
});

describe('the checked-in triage file', () => {
  const source = fs.readFileSync(path.join(root, 'bench/real/triage.tsv'), 'utf8');
  const { header, entries, errors } = parseTriage(source);

  it('is well formed, fully triaged, and names only known rules and configs', () => {
    expect(errors).toEqual([]);
    expect(entries.length).toBeGreaterThan(0);
    for (const e of entries) {
      expect(e.verdict, e.where).not.toBe('TODO');
      expect(Object.keys(rules), e.where).toContain(e.rule);
      expect(['recommended,strict', 'recommended', 'strict'], e.where).toContain(e.configs);
      expect(header.has(e.package), e.where).toBe(true);
      expect(e.reason, e.where).not.toMatch(/\t|\n/);
    }
  });

  it('records the version of every package in bench/real/package.json', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'bench/real/package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const recorded = Object.fromEntries([...header.values()].map(h => [h.pkg, h.version]));
    expect(recorded).toEqual(pkg.dependencies);
  });
});
