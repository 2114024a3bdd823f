// A program without Node's types (no `@types/node` loaded: TypeScript 6 loads none unless the
// tsconfig lists them in `types`) knows no built-in owner, so every built-in check is silent.
// The plugin says so once per program, on the first file it lints there; a program with Node's
// types never hears of it.
import { ESLint, type Linter } from 'eslint';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';
import tseslint from 'typescript-eslint';
import { afterAll, describe, expect, it, vi } from 'vitest';
import plugin from '../../src/index.js';
import { ambientModulesOf, nodeCoreOf } from '../../src/model/index.js';
import { NO_NODE_TYPES } from '../../src/model/noNodeTypes.js';
import { repoRoot } from '../integration/project.js';
import { compile } from './program.js';

const temps: string[] = [];
afterAll(() => {
  for (const temp of temps) fs.rmSync(temp, { recursive: true, force: true });
});

const HAZARDS = `
import * as fs from 'node:fs';
export function leak(path: string): number {
  const fd = fs.openSync(path, 'r');
  process.on('exit', async () => {
    await fs.promises.rm(path);
  });
  return fd;
}
`;

/**
 * A project in a temporary folder whose node_modules is the repository's (so `@types/node` is
 * installed), with two hazard files and the given compiler options.
 */
function project(compilerOptions: Record<string, unknown>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'native-handle-node-types-'));
  temps.push(dir);
  fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  fs.mkdirSync(path.join(dir, 'src'));
  fs.writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { target: 'es2022', module: 'nodenext', strict: true, noEmit: true, skipLibCheck: true, ...compilerOptions },
      include: ['src'],
    }),
  );
  fs.writeFileSync(path.join(dir, 'src', 'a.ts'), HAZARDS);
  fs.writeFileSync(path.join(dir, 'src', 'b.ts'), HAZARDS.replace('leak', 'leakToo'));
  return dir;
}

/** Lints the project's files with every rule of the plugin, as the CLI or an editor does (one process). */
async function lint(dir: string): Promise<ESLint.LintResult[]> {
  const eslint = new ESLint({
    cwd: dir,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: dir } },
      },
      plugin.configs.all,
    ],
  });
  return eslint.lintFiles(['src/*.ts']);
}

const notices = (results: readonly ESLint.LintResult[]): Array<Linter.LintMessage & { file: string }> =>
  results.flatMap(result =>
    result.messages
      .filter(message => message.messageId === NO_NODE_TYPES)
      .map(message => ({ ...message, file: path.basename(result.filePath) })),
  );

describe('a program without Node types', () => {
  it('gets one report, on the first file linted, naming the fix (TypeScript 6, @types/node installed but not listed in `types`)', async () => {
    const dir = project({});
    const results = await lint(dir);
    expect(results).toHaveLength(2);
    const found = notices(results);
    expect(found).toHaveLength(1);
    const [notice] = found;
    expect(notice).toMatchObject({ line: 1, column: 1, severity: 2 });
    expect(notice!.ruleId).toMatch(/^native-handle\//);
    expect(notice!.message).toContain('npm i -D @types/node');
    expect(notice!.message).toContain('"types": ["node"]');
    expect(notice!.message).toContain('tsconfig.json');
    // Nothing else: without Node's types no built-in hazard is found.
    expect(results.flatMap(result => result.messages).filter(message => message.messageId !== NO_NODE_TYPES)).toEqual([]);
  });

  it('keeps the report on that same file when it is linted again in the process (an editor), and gives it no other file', async () => {
    const dir = project({ types: [] });
    const first = notices(await lint(dir));
    expect(first).toHaveLength(1);
    const again = notices(await lint(dir));
    expect(again).toHaveLength(1);
    expect(again[0]!.file).toBe(first[0]!.file);
  });
});

describe('a program with Node types', () => {
  it('never gets the report, and its built-in hazards are found', async () => {
    const dir = project({ types: ['node'] });
    const results = await lint(dir);
    expect(notices(results)).toEqual([]);
    for (const result of results) {
      expect(
        result.messages.some(message => message.ruleId === 'native-handle/no-cleanup-in-exit-handler'),
        result.filePath,
      ).toBe(true);
    }
  });
});

describe('the question whether a program has Node types', () => {
  it('is answered once per program, from the checker’s ambient modules', () => {
    const { program, model } = compile('export {};');
    const checker = program.getTypeChecker();
    const spy = vi.spyOn(checker, 'getAmbientModules');
    const core = nodeCoreOf(program);
    expect(core).toBe(model.node);
    expect(nodeCoreOf(program)).toBe(core);
    for (let i = 0; i < 5; i++) expect(core.hasNodeTypes()).toBe(true);
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
  });

  it('is answered from the declarations when the checker cannot list ambient modules (the tsgo backend)', () => {
    const classic = compile("import * as fs from 'node:fs';\nexport const f = fs.openSync;").program;
    const expected = ambientModulesOf(classic)
      .map(symbol => symbol.name)
      .sort();
    const { program } = compile("import * as fs from 'node:fs';\nexport const g = fs.closeSync;");
    const checker = program.getTypeChecker();
    // typescript-eslint's tsgo adapter throws on checker members the native API lacks.
    const spy = vi.spyOn(checker, 'getAmbientModules').mockImplementation(() => {
      throw new Error('TypeChecker#getAmbientModules is not available on the tsgo API.');
    });
    expect(
      ambientModulesOf(program)
        .map(symbol => symbol.name)
        .sort(),
    ).toEqual(expected);
    expect(expected).toContain('"fs"');
    expect(nodeCoreOf(program).hasNodeTypes()).toBe(true);
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
  });

  it('is no for a program without @types/node', () => {
    const program = ts.createProgram({ rootNames: [], options: { types: [], noEmit: true } });
    expect(nodeCoreOf(program).hasNodeTypes()).toBe(false);
  });
});
