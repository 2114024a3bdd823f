// The @types/node matrix on examples/: the eslint CLI (the built plugin, the README config) on a
// copy of examples/ whose tsconfig takes `"types": ["node"]` from one major's folder under
// tests/matrix/types-node/. Every major must find exactly what the lowest one finds — compared
// run against run (rule, file, line, column), never against a fixed list. The rule suites run
// with each major in the vitest projects matrix-types-node-<major> (see vitest.config.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plugin from '../../src/index.js';
import { eslint, examplesCopy, findingsOf, repoRoot, rmTemp } from '../integration/project.js';
import { fixturesDir } from '../ruleTester.js';
import { pinnedTypesNode, typeRootsOf, typesNodeFolder, typesNodeMajors } from './typesNode.js';

const majors = typesNodeMajors();
const lowest = majors[0]!;

/** What identifies a finding across runs (messages may name members a newer major declares). */
type Key = `${string} ${string}:${number}:${number}`;

interface Run {
  readonly status: number | null;
  readonly stderr: string;
  readonly keys: readonly Key[];
}

/** Points a tsconfig's `"types": ["node"]` at one major of the matrix. */
function useMajor(tsconfig: string, major: string): void {
  const config = JSON.parse(fs.readFileSync(tsconfig, 'utf8')) as { compilerOptions: Record<string, unknown> };
  expect(config.compilerOptions.types).toEqual(['node']);
  config.compilerOptions.typeRoots = [typeRootsOf(major)];
  fs.writeFileSync(tsconfig, JSON.stringify(config, null, 2));
}

/** The files of a tsconfig's program that belong to a `@types/node` package. */
function typesNodeFilesOf(tsconfig: string): string[] {
  const parsed = ts.getParsedCommandLineOfConfigFile(tsconfig, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  if (!parsed) throw new Error(`cannot read ${tsconfig}`);
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
  return program
    .getSourceFiles()
    .map(file => file.fileName)
    .filter(fileName => /[\\/]node_modules[\\/]@types[\\/]node[^\\/]*[\\/]/.test(fileName));
}

describe('examples/ with each @types/node major', () => {
  const temps: string[] = [];
  const tsconfigs = new Map<string, string>();
  const runs = new Map<string, Run>();

  beforeAll(async () => {
    for (const major of majors) {
      const { root, examples } = examplesCopy();
      temps.push(root);
      const tsconfig = path.join(examples, 'tsconfig.json');
      useMajor(tsconfig, major);
      tsconfigs.set(major, tsconfig);
      const result = await eslint(['--format', 'json', 'src'], examples);
      const keys = findingsOf(result.stdout || '[]', examples).map(
        (finding): Key => `${finding.ruleId ?? 'fatal'} ${finding.file}:${finding.line}:${finding.column}`,
      );
      runs.set(major, { status: result.status, stderr: result.stderr, keys });
    }
  }, 900_000);

  afterAll(() => {
    for (const temp of temps) rmTemp(temp);
  });

  it('covers 20 (the repository’s own @types/node, which the unit project runs the rule suites with) up to 26', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    expect(lowest).toBe('20');
    expect(pinnedTypesNode(lowest)).toBe(pkg.devDependencies['@types/node']);
    expect(majors).toEqual(expect.arrayContaining(['20', '22', '24', '26']));
  });

  it.each(majors)(
    'with @types/node %s, each program has that major and no other',
    major => {
      for (const tsconfig of [tsconfigs.get(major)!, path.join(typesNodeFolder(major), 'tsconfig.json')]) {
        const files = typesNodeFilesOf(tsconfig);
        expect(files.length, tsconfig).toBeGreaterThan(0);
        const outside = files.filter(file => !file.startsWith(typeRootsOf(major) + path.sep));
        expect(outside, tsconfig).toEqual([]);
      }
    },
    120_000,
  );

  it(`with @types/node ${lowest}, every recommended rule reports in examples/, nothing is fatal and nothing is said on stderr`, () => {
    const run = runs.get(lowest)!;
    expect(run.status, run.stderr).toBe(1);
    expect(run.stderr).toBe('');
    expect(run.keys.filter(key => key.startsWith('fatal '))).toEqual([]);
    const reported = new Set(run.keys.map(key => key.split(' ')[0]));
    const recommended = Object.keys(plugin.configs.recommended.rules ?? {});
    expect(recommended.length).toBeGreaterThan(0);
    expect(recommended.filter(rule => !reported.has(rule))).toEqual([]);
  });

  it.each(majors.filter(major => major !== lowest))(
    `with @types/node %s, the same findings as with ${lowest}, and nothing said on stderr`,
    major => {
      const run = runs.get(major)!;
      expect(run.stderr).toBe('');
      expect(run.status, run.stderr).toBe(1);
      expect(run.keys).toEqual(runs.get(lowest)!.keys);
    },
  );
});

describe('the rule-test fixture project of each major', () => {
  it.each(majors)('tests/matrix/types-node/node%s/tsconfig.json is tests/fixtures/tsconfig.json with that major', major => {
    const parsed = ts.getParsedCommandLineOfConfigFile(
      path.join(typesNodeFolder(major), 'tsconfig.json'),
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: () => undefined,
      },
    )!;
    expect(parsed.options.types).toEqual(['node']);
    expect(parsed.options.typeRoots).toEqual([typeRootsOf(major)]);
    expect(parsed.fileNames).toContain(path.join(fixturesDir, 'file.ts'));
  });
});
