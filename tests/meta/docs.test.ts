import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { rules } from '../../src/rules/index.js';
import { lintWithRules } from './lint.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const REQUIRED_HEADINGS = [
  '## Rule details',
  '## Why',
  '## Examples',
  '### ❌ Incorrect',
  '### ✅ Correct',
  '## Fixes',
  '## When not to use it',
];

interface DocExample {
  readonly kind: 'incorrect' | 'correct';
  readonly code: string;
  readonly line: number;
}

/** The ```ts blocks under the Incorrect and Correct headings of a rule doc. */
function examplesOf(markdown: string): DocExample[] {
  const examples: DocExample[] = [];
  let kind: DocExample['kind'] | undefined;
  const lines = markdown.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.startsWith('#')) {
      kind = line === '### ❌ Incorrect' ? 'incorrect' : line === '### ✅ Correct' ? 'correct' : undefined;
      continue;
    }
    if (kind && /^```(ts|typescript)\s*$/.test(line)) {
      const start = index + 1;
      let end = start;
      while (end < lines.length && !lines[end]!.startsWith('```')) end++;
      examples.push({ kind, code: lines.slice(start, end).join('\n'), line: start + 1 });
      index = end;
    }
  }
  return examples;
}

describe.each(Object.entries(rules))('docs/rules/%s.md', (name, rule) => {
  const markdown = fs.readFileSync(path.join(root, 'docs', 'rules', `${name}.md`), 'utf8');
  const headings = markdown.split('\n').filter(line => /^#{2,3} /.test(line));

  it('has the title, the generated header marker and every section in order', () => {
    expect(markdown.split('\n')[0]).toBe(`# ${rule.meta.docs!.description} (\`native-handle/${name}\`)`);
    expect(markdown).toContain('<!-- end auto-generated rule header -->');
    const positions = REQUIRED_HEADINGS.map(heading => headings.indexOf(heading));
    expect(positions.every(position => position >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('has an Options section exactly when the rule has options, naming each option', () => {
    const schema = rule.meta.schema as readonly { properties?: Record<string, unknown> }[];
    const names = schema.flatMap(options => Object.keys(options.properties ?? {}));
    expect(headings.includes('## Options')).toBe(names.length > 0);
    const section = markdown.split('## Options')[1]?.split('\n## ')[0] ?? '';
    for (const option of names) expect(section).toContain(`\`${option}\``);
  });

  it('describes the fixes the rule really offers', () => {
    const fixes = markdown.split('## Fixes')[1]?.split('\n## ')[0] ?? '';
    if (rule.meta.fixable) expect(fixes).toMatch(/autofix/i);
    if (rule.meta.hasSuggestions) expect(fixes).toMatch(/suggestion/i);
  });

  const examples = examplesOf(markdown);
  it('has incorrect and correct examples', () => {
    expect(examples.some(example => example.kind === 'incorrect')).toBe(true);
    expect(examples.some(example => example.kind === 'correct')).toBe(true);
  });

  it.each(examples.map(example => [`${example.kind} example at line ${example.line}`, example] as const))('%s', async (_title, example) => {
    const messages = await lintWithRules(example.code, [name]);
    expect(messages.filter(message => message.fatal)).toEqual([]);
    const own = messages.filter(message => message.ruleId === `native-handle/${name}`);
    if (example.kind === 'incorrect') expect(own.length).toBeGreaterThan(0);
    else expect(own).toEqual([]);
  });
});
