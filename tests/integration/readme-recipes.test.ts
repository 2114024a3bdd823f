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
      compilerOptions: { target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', strict: true, noEmit: true, allowJs: true, checkJs: true, types: ['node'] },
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
