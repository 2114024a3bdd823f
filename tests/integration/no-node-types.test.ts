// The README's setup minus `"types": ["node"]`: TypeScript 6 then loads no @types package, the
// program has no Node types and no built-in owner can be known. The eslint CLI must say so, once,
// naming the fix, instead of reporting nothing and exiting 0.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from 'vscode-languageserver-protocol/node';
import { EslintLanguageClient } from './lsp.js';
import { eslint, examplesCopy, linkedE2eProject, rmTemp, type RunResult } from './project.js';

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
    // Fewer findings than with the types: without them nothing built-in can be found.
    const problems = (run: RunResult): number => Number(/✖ (\d+) problems?/.exec(run.stdout)?.[1]);
    expect(problems(without)).toBeLessThan(problems(withTypes));
  });

  it('says nothing of it when the tsconfig lists the types', () => {
    expect(withTypes.status, withTypes.stderr).toBe(1);
    expect(withTypes.stdout + withTypes.stderr).not.toContain(FIX);
    expect(withTypes.stdout).not.toContain('No Node.js types');
  });
});

describe('the ESLint language server on a project without Node types', () => {
  let dir: string | undefined;
  let client: EslintLanguageClient | undefined;

  beforeAll(async () => {
    dir = linkedE2eProject();
    const tsconfig = path.join(dir, 'tsconfig.json');
    const config = JSON.parse(fs.readFileSync(tsconfig, 'utf8')) as { compilerOptions: Record<string, unknown> };
    expect(config.compilerOptions.types).toEqual(['node']);
    delete config.compilerOptions.types;
    fs.writeFileSync(tsconfig, JSON.stringify(config, null, 2));
    client = await EslintLanguageClient.start(dir);
  }, 120_000);

  afterAll(async () => {
    await client?.stop();
    rmTemp(dir);
  });

  const notices = (diagnostics: readonly Diagnostic[]): Diagnostic[] =>
    diagnostics.filter(diagnostic =>
      (typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value).includes(FIX),
    );

  it('shows the report as a diagnostic at the top of the first file opened, keeps it there on edits, and shows it on no other file', async () => {
    const server = client!;
    const hazardsPath = path.join(dir!, 'src', 'hazards.ts');
    const hazardsText = fs.readFileSync(hazardsPath, 'utf8');
    const hazards = await server.open(hazardsPath, hazardsText);
    const first = notices(await server.diagnostics(hazards));
    expect(first, `server log:\n${server.log.join('\n')}`).toHaveLength(1);
    expect(first[0]!.range.start).toEqual({ line: 0, character: 0 });
    expect(first[0]!.severity).toBe(1);
    expect(String(first[0]!.code)).toMatch(/^native-handle\//);

    const cleanPath = path.join(dir!, 'src', 'clean.ts');
    const clean = await server.open(cleanPath, fs.readFileSync(cleanPath, 'utf8'));
    expect(notices(await server.diagnostics(clean))).toEqual([]);

    await server.change(hazards, `${hazardsText}\n// edited\n`);
    expect(notices(await server.diagnostics(hazards))).toHaveLength(1);
  });
});
