// The README's setup minus `"types": ["node"]`: TypeScript 6 then loads no @types package, the
// program has no Node types and no built-in owner can be known. The eslint CLI must say so, once,
// naming the fix, instead of reporting nothing and exiting 0.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eslint, examplesCopy, rmTemp, type RunResult } from './project.js';

const FIX = 'npm i -D @types/node';
const occurrences = (text: string, part: string): number => text.split(part).length - 1;

describe('the eslint CLI on examples/ without Node types', () => {
  let root: string | undefined;
  let without: RunResult;
  let withTypes: RunResult;

  beforeAll(async () => {
    let examples: string;
    ({ root, examples } = examplesCopy());
    withTypes = await eslint(['src'], examples);
    const tsconfig = path.join(examples, 'tsconfig.json');
    const config = JSON.parse(fs.readFileSync(tsconfig, 'utf8')) as { compilerOptions: Record<string, unknown> };
    expect(config.compilerOptions.types).toEqual(['node']);
    delete config.compilerOptions.types;
    fs.writeFileSync(tsconfig, JSON.stringify(config, null, 2));
    without = await eslint(['src'], examples);
  }, 240_000);

  afterAll(() => {
    rmTemp(root);
  });

  it('prints one problem naming the install line and the tsconfig setting, and exits 1', () => {
    expect(without.status, without.stdout + without.stderr).toBe(1);
    expect(occurrences(without.stdout + without.stderr, FIX)).toBe(1);
    expect(without.stdout).toContain('"types": ["node"]');
    expect(without.stdout).toMatch(/^\s+1:1\s+error\s+No Node\.js types/m);
    // One problem in all: nothing built-in can be found without the types.
    expect(without.stdout).toMatch(/✖ 1 problem \(1 error, 0 warnings\)/);
  });

  it('says nothing of it when the tsconfig lists the types', () => {
    expect(withTypes.status, withTypes.stderr).toBe(1);
    expect(withTypes.stdout + withTypes.stderr).not.toContain(FIX);
    expect(withTypes.stdout).not.toContain('No Node.js types');
  });
});
