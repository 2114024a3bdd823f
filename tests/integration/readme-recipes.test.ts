// The README's recipes, run as a user would copy them: the checkJs recipe for `.js` files
// (its config block is read from README.md, so the README cannot drift from what works).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eslint, findingsOf, makeTemp, repoRoot, rmTemp } from './project.js';

/** The first ```js block after a README heading. */
function readmeBlock(heading: string): string {
  const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const start = readme.indexOf(heading);
  expect(start, `README has no heading "${heading}"`).toBeGreaterThanOrEqual(0);
  const match = /```js\n([\s\S]*?)```/.exec(readme.slice(start));
  expect(match, `no js block after "${heading}"`).not.toBeNull();
  return match![1]!;
}

const HAZARD_JS = `import * as fs from 'node:fs';
import { open } from 'node:fs/promises';

export async function readHeader(path) {
  const fh = await open(path, 'r');
  fs.closeSync(fh.fd);
  await fh.close();
}

process.on('exit', async () => {
  await fs.promises.unlink('/tmp/app.lock');
});
`;

/** A project whose node_modules links the repository's install and the plugin package itself. */
function checkJsProject(config: string): string {
  const dir = makeTemp('checkjs');
  fs.mkdirSync(path.join(dir, 'src'));
  fs.writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'es2022',
        module: 'nodenext',
        moduleResolution: 'nodenext',
        strict: true,
        noEmit: true,
        allowJs: true,
        checkJs: true,
        types: ['node'],
      },
      include: ['src'],
    }),
  );
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }));
  fs.writeFileSync(path.join(dir, 'src', 'hazard.js'), HAZARD_JS);
  fs.writeFileSync(path.join(dir, 'eslint.config.js'), config);
  const modules = path.join(dir, 'node_modules');
  fs.mkdirSync(modules);
  for (const name of ['eslint', 'typescript-eslint', 'typescript', '@types']) {
    fs.symlinkSync(path.join(repoRoot, 'node_modules', name), path.join(modules, name), 'dir');
  }
  fs.symlinkSync(repoRoot, path.join(modules, 'eslint-plugin-native-handle'), 'dir');
  return dir;
}

const IMPORTS = "import tseslint from 'typescript-eslint';\nimport nativeHandle from 'eslint-plugin-native-handle';\n";

describe('README: the checkJs recipe for .js files', () => {
  let recipe: string | undefined;
  let bare: string | undefined;

  beforeAll(() => {
    recipe = checkJsProject(IMPORTS + readmeBlock('### JavaScript files'));
    // What the README warns against: the rules without the config object that registers the plugin.
    bare = checkJsProject(
      IMPORTS +
        `export default [
  { files: ['**/*.js'], languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } } },
  { files: ['**/*.js'], rules: nativeHandle.configs.recommended.rules },
];
`,
    );
  });

  afterAll(() => {
    rmTemp(recipe);
    rmTemp(bare);
  });

  it('reports the hazards of a .js file with the README config', async () => {
    const result = await eslint(['--format', 'json', 'src'], recipe!);
    expect(result.status, result.stderr).toBe(1);
    const findings = findingsOf(result.stdout, recipe!).map(finding => `${finding.line}:${finding.column} ${finding.ruleId ?? ''}`);
    expect(findings).toEqual([
      '6:3 native-handle/no-raw-handle-close',
      '10:20 native-handle/no-cleanup-in-exit-handler',
      '11:3 native-handle/no-cleanup-in-exit-handler',
    ]);
  }, 120_000);

  it('fails, as the README says, when only the rules are copied', async () => {
    const result = await eslint(['src'], bare!);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/could not find plugin "native-handle"/);
  }, 120_000);
});

// --- issue 11: the recipe for a class that shares an fd with a stream -------------------------

const RECIPE_HEADING = '#### Recipe: a class that shares an fd with a stream';

/** The ```ts blocks after a README heading (up to the next heading), by the file their first line names (`// src/x.ts`). */
function readmeTsFiles(heading: string): Map<string, string> {
  const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const start = readme.indexOf(heading);
  expect(start, `README has no heading "${heading}"`).toBeGreaterThanOrEqual(0);
  const rest = readme.slice(start + heading.length);
  const section = rest.slice(0, rest.search(/\n#{1,4} /) === -1 ? undefined : rest.search(/\n#{1,4} /));
  const files = new Map<string, string>();
  for (const match of section.matchAll(/```ts\n\/\/ (\S+)\n([\s\S]*?)```/g)) files.set(match[1]!, match[2]!);
  return files;
}

/** A TypeScript project with the recipe's files and this config, linking the repository's install and the plugin. */
function recipeProject(settings: string): string {
  const dir = makeTemp('recipe');
  fs.writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', strict: true, noEmit: true, types: ['node'] },
      include: ['src'],
    }),
  );
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }));
  for (const [file, text] of readmeTsFiles(RECIPE_HEADING)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  fs.writeFileSync(
    path.join(dir, 'eslint.config.js'),
    `${IMPORTS}export default [
  { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } } },
  nativeHandle.configs.recommended,
  { ${settings} },
];
`,
  );
  const modules = path.join(dir, 'node_modules');
  fs.mkdirSync(modules);
  for (const name of ['eslint', 'typescript-eslint', 'typescript', '@types']) {
    fs.symlinkSync(path.join(repoRoot, 'node_modules', name), path.join(modules, name), 'dir');
  }
  fs.symlinkSync(repoRoot, path.join(modules, 'eslint-plugin-native-handle'), 'dir');
  return dir;
}

describe('README: the recipe for a class that shares an fd with a stream', () => {
  let configured: string | undefined;
  let bare: string | undefined;

  beforeAll(() => {
    expect([...readmeTsFiles(RECIPE_HEADING).keys()]).toEqual(['src/serial-link.ts', 'src/use.ts']);
    configured = recipeProject(readmeBlock(RECIPE_HEADING).trim().replace(/,$/, ''));
    bare = recipeProject('settings: {}');
  });

  afterAll(() => {
    rmTemp(configured);
    rmTemp(bare);
  });

  const findings = async (dir: string): Promise<string[]> => {
    const result = await eslint(['--format', 'json', 'src'], dir);
    expect(result.status, result.stderr).toBe(1);
    return findingsOf(result.stdout, dir).map(finding => `${finding.file}:${finding.line}:${finding.column} ${finding.ruleId ?? ''}`);
  };

  it('finds the hazards that need no settings without them', async () => {
    expect(await findings(bare!)).toEqual([
      'src/serial-link.ts:18:18 native-handle/require-lifetime-guard',
      'src/use.ts:15:9 native-handle/no-use-after-close',
    ]);
  }, 120_000);

  it('finds the double close and the second owners with the README settings', async () => {
    expect(await findings(configured!)).toEqual([
      'src/serial-link.ts:12:18 native-handle/no-handle-adoption',
      'src/serial-link.ts:18:18 native-handle/require-lifetime-guard',
      'src/use.ts:5:3 native-handle/no-handle-adoption',
      'src/use.ts:9:3 native-handle/no-raw-handle-close',
      'src/use.ts:15:9 native-handle/no-use-after-close',
    ]);
  }, 120_000);
});
// --- end issue 11 ------------------------------------------------------------------------------
