import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { rules } from '../../src/rules/index.js';
import { fixturesDir } from '../ruleTester.js';
import { lintWithRules } from './lint.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ruleNames = Object.keys(rules);

function tsFilesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter(file => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .map(file => path.join(dir, file));
}

/** Every fixture file, and every example (linted as the fixture project's file.ts). */
const files = [...tsFilesUnder(path.join(fixturesDir, 'src')), ...tsFilesUnder(path.join(root, 'examples', 'src'))];

describe('no rule throws', () => {
  it('has files to lint', () => {
    expect(files.length).toBeGreaterThan(2);
  });

  it.each(files.map(file => [path.relative(root, file), file]))('on %s', async (_name, file) => {
    const inFixtureProject = file.startsWith(path.join(fixturesDir, 'src'));
    const messages = await lintWithRules(
      fs.readFileSync(file, 'utf8'),
      ruleNames,
      inFixtureProject ? file : path.join(fixturesDir, 'file.ts'),
    );
    expect(messages.filter(message => message.fatal === true)).toEqual([]);
  });
});
