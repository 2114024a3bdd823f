// The declared peer and dependency ranges, tested as a user meets them: `npm pack` the plugin,
// install the tarball into a project beside one combination of TypeScript, ESLint and
// typescript-eslint from the registry, and lint a copy of examples/ there. Every combination must
// give exactly the findings the repository's own dev setup gives on examples/ (computed in the same
// run), and one copy of each typescript-eslint package at the combination's version. A last test
// installs the tarball next to the registry's newest typescript-eslint and checks that npm, without
// being asked to dedupe, keeps one copy of each typescript-eslint package.
//
// Installs are cached under tests/matrix/.cache/peers/ (gitignored), one project per combination;
// only the plugin is reinstalled when the packed tarball changes. `rm -rf tests/matrix/.cache` for a
// cold run. NATIVE_HANDLE_MATRIX_TARBALL=/path/to/plugin.tgz runs the matrix against another build
// (e.g. an older commit's) instead of packing this repository.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { findingsOf, makeTemp, repoRoot, rmTemp, run, eslint as repoEslint, type Finding } from '../integration/project.js';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const INSTALL_TIMEOUT = 900_000;
const LINT_TIMEOUT = 300_000;

interface Manifest {
  readonly name: string;
  readonly peerDependencies: Record<string, string>;
  readonly dependencies: Record<string, string>;
  readonly devDependencies: Record<string, string>;
}
const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as Manifest;

/** The versions the repository develops with: the newest of each, and @types/node 20. */
const DEV = {
  typescript: manifest.devDependencies.typescript!,
  eslint: manifest.devDependencies.eslint!,
  typescriptEslint: manifest.devDependencies['typescript-eslint']!,
  typesNode: manifest.devDependencies['@types/node']!,
};

/** The lowest version of the `@typescript-eslint/*` dependencies' caret range. */
const LOWEST_TYPESCRIPT_ESLINT = /^\^(\d+\.\d+\.\d+)$/.exec(manifest.dependencies['@typescript-eslint/utils']!)?.[1] ?? 'unparsed';

interface Combination {
  readonly name: string;
  readonly typescript: string;
  readonly eslint: string;
  readonly typescriptEslint: string;
  readonly typesNode: string;
}

// Exact versions, so a cached install stays what its name says. Not every combination exists:
// typescript-eslint 8.56 supports TypeScript < 6.0, so it is tested with the newest 5.x and 5.0.
const COMBINATIONS: readonly Combination[] = [
  {
    name: 'TypeScript 5.0 (lowest)',
    typescript: '5.0.4',
    eslint: DEV.eslint,
    typescriptEslint: DEV.typescriptEslint,
    typesNode: DEV.typesNode,
  },
  { name: 'TypeScript 5.4', typescript: '5.4.5', eslint: DEV.eslint, typescriptEslint: DEV.typescriptEslint, typesNode: DEV.typesNode },
  {
    name: 'TypeScript 5.9 (newest 5.x)',
    typescript: '5.9.3',
    eslint: DEV.eslint,
    typescriptEslint: DEV.typescriptEslint,
    typesNode: DEV.typesNode,
  },
  {
    name: 'TypeScript 6.0 (newest)',
    typescript: DEV.typescript,
    eslint: DEV.eslint,
    typescriptEslint: DEV.typescriptEslint,
    typesNode: DEV.typesNode,
  },
  {
    name: 'ESLint 9 (newest 9.x)',
    typescript: DEV.typescript,
    eslint: '9.39.5',
    typescriptEslint: DEV.typescriptEslint,
    typesNode: DEV.typesNode,
  },
  {
    name: 'ESLint 9.0 (lowest)',
    typescript: DEV.typescript,
    eslint: '9.0.0',
    typescriptEslint: DEV.typescriptEslint,
    typesNode: DEV.typesNode,
  },
  {
    name: 'typescript-eslint lowest, ESLint 10.0',
    typescript: '5.9.3',
    eslint: '10.0.0',
    typescriptEslint: LOWEST_TYPESCRIPT_ESLINT,
    typesNode: DEV.typesNode,
  },
  {
    name: 'typescript-eslint lowest, ESLint 9.0, TypeScript 5.0',
    typescript: '5.0.4',
    eslint: '9.0.0',
    typescriptEslint: LOWEST_TYPESCRIPT_ESLINT,
    typesNode: DEV.typesNode,
  },
];

/** The typescript-eslint packages the plugin depends on, directly or through them. */
const SHARED_PACKAGES = ['@typescript-eslint/utils', '@typescript-eslint/type-utils', '@typescript-eslint/typescript-estree'];

const cacheDir = path.join(repoRoot, 'tests', 'matrix', '.cache', 'peers');

/** The tarball under test, copied into the cache under a name that carries its content hash. */
let tarball = '';
/** The findings of the repository's own setup (its ESLint, TypeScript, dist/) on examples/. */
let reference: Finding[] = [];

beforeAll(async () => {
  fs.mkdirSync(cacheDir, { recursive: true });
  const given = process.env.NATIVE_HANDLE_MATRIX_TARBALL;
  let packed = given ? path.resolve(given) : '';
  let temp: string | undefined;
  try {
    if (!packed) {
      // dist/ is built by `npm test` (and `npm ci`); --ignore-scripts keeps `prepare` from
      // rebuilding it under the feet of tests running beside this one.
      expect(fs.existsSync(path.join(repoRoot, 'dist', 'index.js'))).toBe(true);
      temp = makeTemp('matrix-pack');
      const pack = await run(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', temp], repoRoot);
      expect(pack.status, pack.stderr).toBe(0);
      packed = path.join(temp, (JSON.parse(pack.stdout) as { filename: string }[])[0]!.filename);
    }
    const hash = createHash('sha256').update(fs.readFileSync(packed)).digest('hex').slice(0, 16);
    tarball = path.join(cacheDir, `eslint-plugin-native-handle-${hash}.tgz`);
    for (const old of fs.readdirSync(cacheDir).filter(name => name.endsWith('.tgz'))) fs.rmSync(path.join(cacheDir, old));
    fs.copyFileSync(packed, tarball);
  } finally {
    rmTemp(temp);
  }

  const examples = path.join(repoRoot, 'examples');
  const result = await repoEslint(['--format', 'json', 'src'], examples);
  expect(result.status, result.stderr).toBe(1);
  reference = findingsOf(result.stdout, examples);
}, INSTALL_TIMEOUT);

/**
 * The project of one combination, installed (or found installed) with the tarball under test.
 * `dedupe`: run `npm dedupe` after the install, as a user on an older typescript-eslint must (see
 * the combinations).
 */
async function installProject(key: string, dependencies: Record<string, string>, dedupe = false): Promise<string> {
  const project = path.join(cacheDir, key);
  fs.mkdirSync(project, { recursive: true });
  const packageJson = JSON.stringify(
    {
      name: `native-handle-matrix-${key}`,
      private: true,
      type: 'module',
      devDependencies: { 'eslint-plugin-native-handle': `file:../${path.basename(tarball)}`, ...dependencies },
    },
    null,
    2,
  );
  const marker = path.join(project, 'installed.json');
  const state = JSON.stringify({ packageJson, dedupe });
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === state) return project;
  fs.rmSync(marker, { force: true });
  fs.writeFileSync(path.join(project, 'package.json'), packageJson);
  const flags = ['--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund'];
  const install = await run(npm, ['install', ...flags], project);
  expect(install.status, install.stderr).toBe(0);
  if (dedupe) {
    const deduped = await run(npm, ['dedupe', ...flags], project);
    expect(deduped.status, deduped.stderr).toBe(0);
  }
  fs.writeFileSync(marker, state);
  return project;
}

/** Every copy of a package under a project's node_modules (nested ones included), by version. */
function copiesOf(project: string, name: string): string[] {
  const versions: string[] = [];
  const visit = (modules: string): void => {
    if (!fs.existsSync(modules)) return;
    const candidate = path.join(modules, ...name.split('/'), 'package.json');
    if (fs.existsSync(candidate)) versions.push((JSON.parse(fs.readFileSync(candidate, 'utf8')) as { version: string }).version);
    for (const entry of fs.readdirSync(modules, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name === '.bin') continue;
      const dirs = entry.name.startsWith('@')
        ? fs.readdirSync(path.join(modules, entry.name)).map(child => path.join(modules, entry.name, child))
        : [path.join(modules, entry.name)];
      for (const dir of dirs) visit(path.join(dir, 'node_modules'));
    }
  };
  visit(path.join(project, 'node_modules'));
  return versions;
}

function versionIn(project: string, name: string): string {
  return (
    JSON.parse(fs.readFileSync(path.join(project, 'node_modules', ...name.split('/'), 'package.json'), 'utf8')) as { version: string }
  ).version;
}

/**
 * A fresh copy of examples/ inside the project, its config importing the installed plugin. Before
 * TypeScript 5.2 there is no `esnext.disposable` lib (the tsconfig would not load at all), so for
 * those versions it is left out, as a user of them must; `@types/node` declares
 * `Symbol.asyncDispose` itself.
 */
function copyExamples(project: string, typescript: string): string {
  const examples = path.join(project, 'examples');
  fs.rmSync(examples, { recursive: true, force: true });
  fs.cpSync(path.join(repoRoot, 'examples'), examples, { recursive: true });
  const configPath = path.join(examples, 'eslint.config.mjs');
  const config = fs.readFileSync(configPath, 'utf8');
  const imported = config.replace("from '../dist/index.js'", "from 'eslint-plugin-native-handle'");
  expect(imported, 'examples/eslint.config.mjs no longer imports ../dist/index.js').not.toBe(config);
  fs.writeFileSync(configPath, imported);
  const [major = 0, minor = 0] = typescript.split('.').map(Number);
  if (major === 5 && minor < 2) {
    const tsconfigPath = path.join(examples, 'tsconfig.json');
    const tsconfig = JSON.parse(fs.readFileSync(tsconfigPath, 'utf8')) as { compilerOptions: { lib: string[] } };
    expect(tsconfig.compilerOptions.lib).toContain('esnext.disposable');
    tsconfig.compilerOptions.lib = tsconfig.compilerOptions.lib.filter(lib => lib !== 'esnext.disposable');
    fs.writeFileSync(tsconfigPath, JSON.stringify(tsconfig, null, 2));
  }
  return examples;
}

describe('the matrix covers the declared ranges', () => {
  it('tests the lowest and highest TypeScript minor, each ESLint major, and the lowest typescript-eslint of the ranges', () => {
    expect(manifest.peerDependencies.typescript).toBe('>=5.0.0 <6.1.0');
    expect(manifest.peerDependencies.eslint).toBe('^9.0.0 || ^10.0.0');
    expect(manifest.dependencies['@typescript-eslint/type-utils']).toBe(manifest.dependencies['@typescript-eslint/utils']);
    const typescripts = COMBINATIONS.map(combination => combination.typescript);
    expect(typescripts.some(version => version.startsWith('5.0.'))).toBe(true);
    expect(typescripts.some(version => version.startsWith('6.0.'))).toBe(true);
    const eslints = COMBINATIONS.map(combination => combination.eslint);
    expect(eslints).toEqual(expect.arrayContaining(['9.0.0', '10.0.0']));
    expect(eslints.some(version => version.startsWith('10.') && version !== '10.0.0')).toBe(true);
    expect(COMBINATIONS.map(combination => combination.typescriptEslint)).toEqual(expect.arrayContaining(['8.56.0', DEV.typescriptEslint]));
    expect(LOWEST_TYPESCRIPT_ESLINT).toBe('8.56.0');
  });
});

describe.each(COMBINATIONS)('$name: TypeScript $typescript, ESLint $eslint, typescript-eslint $typescriptEslint', combination => {
  let project = '';

  beforeAll(async () => {
    const key = `ts${combination.typescript}-eslint${combination.eslint}-tse${combination.typescriptEslint}-node${combination.typesNode}`;
    // Installed in one go beside a typescript-eslint that is not the registry's newest, the
    // plugin's `^8.56.0` ranges take the newest `@typescript-eslint/*` (a second copy); `npm dedupe`
    // brings them down to the user's version, which the ranges allow. The next test checks it did.
    project = await installProject(
      key,
      {
        typescript: combination.typescript,
        eslint: combination.eslint,
        'typescript-eslint': combination.typescriptEslint,
        '@types/node': combination.typesNode,
      },
      true,
    );
  }, INSTALL_TIMEOUT);

  it('installs exactly those versions, with one copy of each typescript-eslint package', () => {
    expect(versionIn(project, 'typescript')).toBe(combination.typescript);
    expect(versionIn(project, 'eslint')).toBe(combination.eslint);
    expect(versionIn(project, '@types/node')).toBe(combination.typesNode);
    for (const name of ['typescript', 'eslint', ...SHARED_PACKAGES]) {
      const expected = name.startsWith('@typescript-eslint/') ? combination.typescriptEslint : versionIn(project, name);
      expect(copiesOf(project, name), name).toEqual([expected]);
    }
  });

  it(
    'lints examples/ with exactly the findings of the repository setup',
    async () => {
      const examples = copyExamples(project, combination.typescript);
      const result = await run(
        process.execPath,
        [path.join(project, 'node_modules', 'eslint', 'bin', 'eslint.js'), '--format', 'json', 'src'],
        examples,
      );
      expect(result.stderr).toBe('');
      expect(result.status).toBe(1);
      const findings = findingsOf(result.stdout, examples);
      expect(findings.length).toBeGreaterThan(0);
      expect(findings).toEqual(reference);
    },
    LINT_TIMEOUT,
  );
});

describe("installed next to the registry's newest typescript-eslint 8", () => {
  it(
    'shares one copy of @typescript-eslint/utils, type-utils and typescript-estree with it',
    async () => {
      // No `npm dedupe` and no overrides: a plain install must already share typescript-eslint's own
      // copies. "Newest" is asked of the registry, so the test stays true when 8.x moves on.
      const view = await run(npm, ['view', 'typescript-eslint@^8', 'version', '--json'], cacheDir);
      expect(view.status, view.stderr).toBe(0);
      const published = JSON.parse(view.stdout) as string | string[];
      const newest = Array.isArray(published) ? published[published.length - 1]! : published;
      const project = await installProject(`dedupe-tse${newest}`, {
        'typescript-eslint': newest,
        eslint: DEV.eslint,
        typescript: DEV.typescript,
      });
      const ls = await run(npm, ['ls', '--all', '--json', ...SHARED_PACKAGES], project);
      expect(ls.status, ls.stderr).toBe(0);
      const versions = new Map<string, Set<string>>();
      const walk = (tree: { dependencies?: Record<string, { version?: string; dependencies?: unknown }> }): void => {
        for (const [name, node] of Object.entries(tree.dependencies ?? {})) {
          if (SHARED_PACKAGES.includes(name)) versions.set(name, (versions.get(name) ?? new Set()).add(node.version ?? '?'));
          walk(node as never);
        }
      };
      walk(JSON.parse(ls.stdout) as never);
      for (const name of SHARED_PACKAGES) {
        expect([...(versions.get(name) ?? [])], name).toEqual([newest]);
        expect(copiesOf(project, name), name).toEqual([newest]);
      }
    },
    INSTALL_TIMEOUT,
  );
});
