import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PACKAGE_OWNERS } from '../../src/model/packages.js';
import { rules } from '../../src/rules/index.js';
import { lintWithRules } from './lint.js';

// docs/packages.md: a section per known package, whose hazard example reports the
// rule it names and whose correct twin reports nothing, with every rule on.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const markdown = fs.readFileSync(path.join(root, 'docs', 'packages.md'), 'utf8');
const ruleNames = Object.keys(rules);

interface PackageExample {
  readonly section: string;
  /** The rule a hazard names in its heading (`#### ❌ Hazard (\`rule\`)`); undefined for a correct twin. */
  readonly rule: string | undefined;
  readonly code: string;
  readonly line: number;
}

function examplesOf(text: string): PackageExample[] {
  const examples: PackageExample[] = [];
  const lines = text.split('\n');
  let section = '';
  let kind: { rule: string | undefined } | undefined;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.startsWith('## ')) section = line.slice(3);
    if (line.startsWith('#')) {
      const hazard = /^#### ❌ Hazard \(`([\w-]+)`\)$/.exec(line);
      kind = hazard ? { rule: hazard[1] } : line === '#### ✅ Correct' ? { rule: undefined } : undefined;
      continue;
    }
    if (kind && line === '```ts') {
      const start = index + 1;
      let end = start;
      while (end < lines.length && !lines[end]!.startsWith('```')) end++;
      examples.push({ section, rule: kind.rule, code: lines.slice(start, end).join('\n'), line: start + 1 });
      index = end;
      kind = undefined;
    }
  }
  return examples;
}

const examples = examplesOf(markdown);
const sections = [...new Set(examples.map(example => example.section))];

describe('docs/packages.md', () => {
  it('has a section with a hazard and its correct twin for every package of the table', () => {
    const packages = [...new Set(PACKAGE_OWNERS.map(spec => spec.type.package.replace(/^@serialport\/.*/, 'serialport')))];
    expect(sections.sort()).toEqual(packages.sort());
    for (const section of sections) {
      const own = examples.filter(example => example.section === section);
      expect(own.filter(example => example.rule !== undefined)).toHaveLength(1);
      expect(own.filter(example => example.rule === undefined)).toHaveLength(1);
    }
  });

  it('names each owner type of the table and the version it was checked at', () => {
    for (const spec of PACKAGE_OWNERS) {
      expect(markdown).toContain(`\`${spec.name}\``);
      const version = /@(\d+\.\d+\.\d+)/.exec(spec.checkedAt)?.[1];
      expect(markdown).toContain(version);
    }
  });

  it.each(
    examples.map(
      example =>
        [`${example.section}: ${example.rule ? `hazard (${example.rule})` : 'correct twin'} at line ${example.line}`, example] as const,
    ),
  )('%s', async (_title, example) => {
    const messages = await lintWithRules(example.code, ruleNames);
    expect(messages.filter(message => message.fatal)).toEqual([]);
    if (example.rule === undefined) expect(messages.map(message => message.ruleId)).toEqual([]);
    else expect(messages.map(message => message.ruleId)).toContain(`native-handle/${example.rule}`);
  });
});
