import tsParser from '@typescript-eslint/parser';
import { ESLint, type Linter, type Rule } from 'eslint';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import {
  NativeHandleSettingsError,
  checkSettingsInProgram,
  getNativeHandleServices,
  parseSettings,
  readSettings,
  reportSettingsWarnings,
  settingsShapeWarnings,
  unmatchedEverywhere,
  type NativeHandleSettings,
} from '../../src/model/index.js';
import { createRule } from '../../src/rules/_createRule.js';
import { eslintCliEntry } from '../../src/util/invocation.js';
import { fixturesDir } from '../ruleTester.js';
import { compile } from './program.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const ROOT = "settings['native-handle']";

/** The first line of the message `parseSettings` throws for this value. */
function firstLineOfError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(NativeHandleSettingsError);
    return (error as Error).message.split('\n')[0]!;
  }
  throw new Error('expected an error');
}

describe('parseSettings: accepted shapes', () => {
  it("accepts the spec's example with every key", () => {
    const settings = parseSettings({
      resources: [
        {
          type: { from: 'package', package: 'zeromq', name: 'Socket' },
          rawHandle: ['getHandle'],
          addRef: 'ref',
          release: 'unref',
          close: ['close'],
          cancel: ['cancel'],
          guard: ['closed'],
          lease: 'lease',
        },
      ],
      rawClose: [{ from: 'package', package: 'my-addon', name: 'closeHandle' }],
      adopt: [{ from: 'package', package: 'my-addon', name: 'Wrapper' }],
      exitHooks: [{ from: 'package', package: 'signal-exit', name: 'onExit' }],
    });
    expect(settings).toEqual<NativeHandleSettings>({
      resources: [
        {
          type: { from: 'package', package: 'zeromq', name: 'Socket' },
          roles: {
            rawHandle: ['getHandle'],
            addRef: ['ref'],
            release: ['unref'],
            close: ['close'],
            cancel: ['cancel'],
            guard: ['closed'],
            lease: ['lease'],
          },
        },
      ],
      rawClose: [{ from: 'package', package: 'my-addon', name: 'closeHandle' }],
      adopt: [{ from: 'package', package: 'my-addon', name: 'Wrapper' }],
      exitHooks: [{ hook: { from: 'package', package: 'signal-exit', name: 'onExit' } }],
    });
  });

  it('accepts a single specifier for rawClose/adopt/exitHooks, name arrays, file and lib specifiers', () => {
    const settings = parseSettings({
      resources: [
        { type: { from: 'file', name: ['Pool', 'Pool2'], path: 'src/pool.ts' } },
        { type: { from: 'file', name: 'Local' }, close: 'end' },
        { type: { from: 'lib', name: 'WebSocket' }, close: ['close', 'terminate'] },
      ],
      rawClose: { from: 'file', name: 'dropFd' },
      adopt: { from: 'package', package: '@scope/addon', name: ['Wrapper', 'adopt'] },
      exitHooks: { from: 'package', package: 'signal-exit', name: 'onExit' },
    });
    expect(settings.resources.map(resource => resource.type)).toEqual([
      { from: 'file', name: ['Pool', 'Pool2'], path: 'src/pool.ts' },
      { from: 'file', name: 'Local' },
      { from: 'lib', name: 'WebSocket' },
    ]);
    expect(settings.resources.map(resource => resource.roles)).toEqual([{}, { close: ['end'] }, { close: ['close', 'terminate'] }]);
    expect(settings.rawClose).toEqual([{ from: 'file', name: 'dropFd' }]);
    expect(settings.adopt).toEqual([{ from: 'package', package: '@scope/addon', name: ['Wrapper', 'adopt'] }]);
    expect(settings.exitHooks).toEqual([{ hook: { from: 'package', package: 'signal-exit', name: 'onExit' } }]);
  });

  // --- issue 11: dotted names and the exitHooks object form ---------------------------------
  it('accepts dotted value names and the exitHooks object form { hook, eventArgument }', () => {
    const helper = { from: 'file', name: 'EventsHelper.addEventListener' } as const;
    const settings = parseSettings({
      rawClose: { from: 'package', package: 'my-addon', name: 'Handles.close' },
      exitHooks: [
        { hook: helper, eventArgument: 1 },
        { from: 'package', package: 'signal-exit', name: 'default' },
      ],
    });
    expect(settings.rawClose).toEqual([{ from: 'package', package: 'my-addon', name: 'Handles.close' }]);
    expect(settings.exitHooks).toEqual([
      { hook: helper, eventArgument: 1 },
      { hook: { from: 'package', package: 'signal-exit', name: 'default' } },
    ]);
    expect(parseSettings({ exitHooks: { hook: helper, eventArgument: 0 } }).exitHooks).toEqual([{ hook: helper, eventArgument: 0 }]);
  });
  // --- end issue 11 ---------------------------------------------------------------------------

  it('accepts an empty object, empty lists, and an explicitly empty role (which replaces the defaults)', () => {
    expect(parseSettings({})).toEqual({ resources: [], rawClose: [], adopt: [], exitHooks: [] });
    expect(parseSettings({ resources: [], rawClose: [], adopt: [], exitHooks: [] })).toEqual({
      resources: [],
      rawClose: [],
      adopt: [],
      exitHooks: [],
    });
    expect(parseSettings({ resources: [{ type: { from: 'lib', name: 'X' }, guard: [] }] }).resources[0]!.roles).toEqual({
      guard: [],
    });
  });
});

describe('parseSettings: malformed shapes name the offending key', () => {
  const spec = { from: 'package', package: 'my-addon', name: 'Wrapper' };
  const cases: Array<[string, unknown, string]> = [
    ['a string instead of an object', 'zeromq', `${ROOT}: expected an object, got 'zeromq'`],
    ['an array instead of an object', [], `${ROOT}: expected an object, got an array`],
    ['null', null, `${ROOT}: expected an object, got null`],
    ['an unknown top-level key', { resource: [] }, `${ROOT}.resource: unknown key (expected one of resources, rawClose, adopt, exitHooks)`],
    ['resources not an array', { resources: { type: spec } }, `${ROOT}.resources: expected an array of { type, ...roles }, got an object`],
    ['a resource entry that is not an object', { resources: ['Socket'] }, `${ROOT}.resources[0]: expected an object, got 'Socket'`],
    [
      'a resource entry without type',
      { resources: [{ close: 'close' }] },
      `${ROOT}.resources[0].type: is required; expected { from: 'file' | 'lib' | 'package', name, package? | path? }`,
    ],
    [
      'a bare-string type',
      { resources: [{ type: 'Socket' }] },
      `${ROOT}.resources[0].type: the bare-string form ('Socket') matches by name alone and is not accepted; expected { from: 'file' | 'lib' | 'package', name, package? | path? }`,
    ],
    [
      'a type that is a number',
      { resources: [{ type: 5 }] },
      `${ROOT}.resources[0].type: expected { from: 'file' | 'lib' | 'package', name, package? | path? }, got number 5`,
    ],
    [
      'an unknown from',
      { resources: [{ type: { from: 'npm', name: 'Socket' } }] },
      `${ROOT}.resources[0].type.from: expected 'file', 'lib' or 'package', got 'npm'`,
    ],
    [
      'a missing from',
      { resources: [{ type: { name: 'Socket' } }] },
      `${ROOT}.resources[0].type.from: expected 'file', 'lib' or 'package', got undefined`,
    ],
    [
      'a package specifier without package',
      { resources: [{ type: { from: 'package', name: 'Socket' } }] },
      `${ROOT}.resources[0].type.package: expected a package name, got undefined`,
    ],
    [
      'an empty name array',
      { resources: [{ type: { from: 'package', package: 'zeromq', name: [] } }] },
      `${ROOT}.resources[0].type.name: expected a name or a non-empty array of names, got an array`,
    ],
    [
      'a missing name',
      { resources: [{ type: { from: 'lib' } }] },
      `${ROOT}.resources[0].type.name: expected a name or a non-empty array of names, got undefined`,
    ],
    [
      'an unknown specifier key',
      { resources: [{ type: { from: 'package', package: 'zeromq', name: 'Socket', path: 'x.ts' } }] },
      `${ROOT}.resources[0].type.path: unknown key for a { from: 'package' } specifier`,
    ],
    [
      'a package key on a lib specifier',
      { resources: [{ type: { from: 'lib', name: 'WebSocket', package: 'ws' } }] },
      `${ROOT}.resources[0].type.package: unknown key for a { from: 'lib' } specifier`,
    ],
    [
      'a non-string file path',
      { resources: [{ type: { from: 'file', name: 'Pool', path: 3 } }] },
      `${ROOT}.resources[0].type.path: expected a file path, got number 3`,
    ],
    [
      'a non-string role value',
      { resources: [{ type: spec, close: 5 }] },
      `${ROOT}.resources[0].close: expected a name or an array of names, got number 5`,
    ],
    [
      'a non-string role array element',
      { resources: [{ type: spec }, { type: spec, guard: ['closed', true] }] },
      `${ROOT}.resources[1].guard: expected a name or an array of names, got an array`,
    ],
    [
      'an unknown role key',
      { resources: [{ type: spec, destroy: 'destroy' }] },
      `${ROOT}.resources[0].destroy: unknown key (expected type or a role: rawHandle, addRef, release, close, cancel, guard, lease)`,
    ],
    [
      'a bare-string rawClose',
      { rawClose: 'closeHandle' },
      `${ROOT}.rawClose: the bare-string form ('closeHandle') matches by name alone and is not accepted; expected { from: 'file' | 'lib' | 'package', name, package? | path? }`,
    ],
    [
      'a bare-string adopt element',
      { adopt: [spec, 'Wrapper'] },
      `${ROOT}.adopt[1]: the bare-string form ('Wrapper') matches by name alone and is not accepted; expected { from: 'file' | 'lib' | 'package', name, package? | path? }`,
    ],
    [
      'a bare-string exitHooks',
      { exitHooks: 'onExit' },
      `${ROOT}.exitHooks: the bare-string form ('onExit') matches by name alone and is not accepted; expected { from: 'file' | 'lib' | 'package', name, package? | path? }`,
    ],
    [
      'a null exitHooks element',
      { exitHooks: [spec, spec, null] },
      `${ROOT}.exitHooks[2]: expected { from: 'file' | 'lib' | 'package', name, package? | path? }, got null`,
    ],
    [
      'a function as a specifier',
      { rawClose: [function closeHandle() {}] },
      `${ROOT}.rawClose[0]: expected { from: 'file' | 'lib' | 'package', name, package? | path? }, got a function`,
    ],
    // --- issue 11: the exitHooks object form ---
    [
      'an exitHooks object form without eventArgument',
      { exitHooks: [{ hook: spec }] },
      `${ROOT}.exitHooks[0].eventArgument: expected the index of the argument that names the event (an integer, 0 or more), got undefined`,
    ],
    [
      'an exitHooks eventArgument that is a string',
      { exitHooks: [{ hook: spec, eventArgument: 'exit' }] },
      `${ROOT}.exitHooks[0].eventArgument: expected the index of the argument that names the event (an integer, 0 or more), got 'exit'`,
    ],
    [
      'a negative or fractional eventArgument',
      { exitHooks: [spec, { hook: spec, eventArgument: -1 }] },
      `${ROOT}.exitHooks[1].eventArgument: expected the index of the argument that names the event (an integer, 0 or more), got number -1`,
    ],
    [
      'a fractional eventArgument',
      { exitHooks: { hook: spec, eventArgument: 1.5 } },
      `${ROOT}.exitHooks.eventArgument: expected the index of the argument that names the event (an integer, 0 or more), got number 1.5`,
    ],
    [
      'an exitHooks object form without hook',
      { exitHooks: [{ eventArgument: 1 }] },
      `${ROOT}.exitHooks[0].hook: is required; expected { hook: <value specifier>, eventArgument: <argument index> }`,
    ],
    [
      'an exitHooks object form with an unknown key',
      { exitHooks: [{ hook: spec, eventArgument: 1, event: 'exit' }] },
      `${ROOT}.exitHooks[0].event: unknown key; expected { hook: <value specifier>, eventArgument: <argument index> }`,
    ],
    [
      'a bare-string hook',
      { exitHooks: [{ hook: 'onExit', eventArgument: 1 }] },
      `${ROOT}.exitHooks[0].hook: the bare-string form ('onExit') matches by name alone and is not accepted; expected { from: 'file' | 'lib' | 'package', name, package? | path? }`,
    ],
    [
      'a hook specifier with a bad key',
      { exitHooks: [{ hook: { ...spec, path: 'x.ts' }, eventArgument: 1 }] },
      `${ROOT}.exitHooks[0].hook.path: unknown key for a { from: 'package' } specifier`,
    ],
    // --- end issue 11 ---
    [
      'a bad adopt element specifier key',
      { adopt: [spec, { from: 'package', package: 'my-addon', name: 'Wrapper', version: 2 }] },
      `${ROOT}.adopt[1].version: unknown key for a { from: 'package' } specifier`,
    ],
  ];

  it.each(cases)('rejects %s', (_, value, message) => {
    expect(firstLineOfError(() => parseSettings(value))).toBe(message);
  });

  it('carries the offending key on the error', () => {
    try {
      parseSettings({ adopt: [spec, 'Wrapper'] });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(NativeHandleSettingsError);
      expect((error as NativeHandleSettingsError).key).toBe(`${ROOT}.adopt[1]`);
      expect((error as NativeHandleSettingsError).name).toBe('NativeHandleSettingsError');
    }
  });
});

describe('readSettings', () => {
  it('gives empty settings when there are none', () => {
    const empty = { resources: [], rawClose: [], adopt: [], exitHooks: [] };
    expect(readSettings(undefined)).toEqual(empty);
    expect(readSettings({})).toEqual(empty);
    expect(readSettings({ other: { x: 1 } })).toEqual(empty);
  });

  it('validates a settings object once and returns the same result', () => {
    const own = { resources: [{ type: { from: 'lib', name: 'WebSocket' }, close: 'close' }] };
    const first = readSettings({ 'native-handle': own });
    const second = readSettings({ 'native-handle': own, other: true });
    expect(second).toBe(first);
    expect(first.resources[0]!.roles.close).toEqual(['close']);
    // Another object with the same content is validated on its own.
    expect(readSettings({ 'native-handle': { ...own } })).not.toBe(first);
  });

  it('rethrows the same error for the same malformed settings object', () => {
    const own = { resources: [{ type: 'Socket' }] };
    let first: unknown;
    let second: unknown;
    try {
      readSettings({ 'native-handle': own });
    } catch (error) {
      first = error;
    }
    try {
      readSettings({ 'native-handle': own });
    } catch (error) {
      second = error;
    }
    expect(first).toBeInstanceOf(NativeHandleSettingsError);
    expect(second).toBe(first);
    expect((first as Error).message.split('\n')[0]).toContain(`${ROOT}.resources[0].type`);
  });

  it('rejects a settings value that is not an object', () => {
    expect(firstLineOfError(() => readSettings({ 'native-handle': 'zeromq' }))).toBe(`${ROOT}: expected an object, got 'zeromq'`);
    expect(firstLineOfError(() => readSettings({ 'native-handle': null }))).toBe(`${ROOT}: expected an object, got null`);
  });
});

describe('an ESLint run with bad settings, outside the ESLint CLI (API, editor)', () => {
  const probe = (name: string): Rule.RuleModule =>
    createRule({
      name,
      meta: {
        type: 'problem',
        docs: { description: 'Reads the resource model.', requiresTypeChecking: true },
        messages: { never: 'never reported' },
        schema: [],
        defaultOptions: [],
      },
      create(context) {
        getNativeHandleServices(context);
        return {};
      },
      // typescript-eslint's rule type is not ESLint's (see src/index.ts).
    }) as unknown as Rule.RuleModule;

  async function lintWith(settings: unknown, texts: readonly string[] = ['debugger;\n']): Promise<ESLint.LintResult[]> {
    const eslint = new ESLint({
      overrideConfigFile: true,
      overrideConfig: [
        {
          files: ['**/*.ts'],
          languageOptions: {
            parser: tsParser,
            parserOptions: { project: './tsconfig.json', tsconfigRootDir: fixturesDir, disallowAutomaticSingleRunInference: true },
          },
          plugins: { 'native-handle': { rules: { probe: probe('probe'), other: probe('other') } } },
          rules: { 'native-handle/probe': 'error', 'native-handle/other': 'error', 'no-debugger': 'error' },
          settings: { 'native-handle': settings },
        },
      ],
      cwd: fixturesDir,
    });
    const results: ESLint.LintResult[] = [];
    for (const text of texts) results.push(...(await eslint.lintText(text, { filePath: path.join(fixturesDir, 'file.ts') })));
    return results;
  }

  const ours = (result: ESLint.LintResult): Linter.LintMessage[] =>
    result.messages.filter(message => message.ruleId?.startsWith('native-handle/'));

  it('reports one diagnostic on the file, whose message starts with the offending key, and keeps the other rules', async () => {
    const [result] = await lintWith({ resources: [{ type: 'Socket' }] });
    expect(ours(result!)).toHaveLength(1);
    const [diagnostic] = ours(result!);
    expect(diagnostic!.message.split('\n')[0]).toBe(
      `${ROOT}.resources[0].type: the bare-string form ('Socket') matches by name alone and is not accepted; expected { from: 'file' | 'lib' | 'package', name, package? | path? }`,
    );
    expect(diagnostic!.message).toContain('no native-handle rule runs on this file until it is fixed');
    expect([diagnostic!.line, diagnostic!.column, diagnostic!.severity]).toEqual([1, 1, 2]);
    // Another rule's finding in the same file is not lost.
    expect(result!.messages.filter(message => message.ruleId === 'no-debugger')).toHaveLength(1);
    expect(result!.fatalErrorCount).toBe(0);
  });

  it('reports it on every file linted (once per file, not once per rule)', async () => {
    const results = await lintWith({ resource: [] }, ['const a = 1;\n', 'const b = 2;\n']);
    expect(results.map(result => ours(result).map(message => message.message.split('\n')[0]))).toEqual([
      [`${ROOT}.resource: unknown key (expected one of resources, rawClose, adopt, exitHooks)`],
      [`${ROOT}.resource: unknown key (expected one of resources, rawClose, adopt, exitHooks)`],
    ]);
  });

  it('lints cleanly with valid settings', async () => {
    const [result] = await lintWith({ resources: [{ type: { from: 'package', package: 'native-addon-stub', name: 'Queue' } }] }, [
      'const a = 1;\n',
    ]);
    expect(result!.messages).toEqual([]);
  });
});

describe('the ESLint CLI is told from other hosts by the entry script', () => {
  const eslintDir = path.join(repoRoot, 'node_modules', 'eslint');

  it("recognises ESLint's bin (also through node_modules/.bin) in the main thread, and its worker in a worker thread", () => {
    expect(eslintCliEntry(path.join(eslintDir, 'bin', 'eslint.js'), true)).toBe(true);
    expect(eslintCliEntry(path.join(repoRoot, 'node_modules', '.bin', 'eslint'), true)).toBe(true);
    expect(eslintCliEntry(path.join(eslintDir, 'lib', 'eslint', 'worker.js'), false)).toBe(true);
  });

  it('does not take the language server, vitest, a worker script in the main thread or a look-alike path for the CLI', () => {
    expect(
      eslintCliEntry(path.join(repoRoot, 'node_modules', 'vscode-langservers-extracted', 'bin', 'vscode-eslint-language-server'), true),
    ).toBe(false);
    expect(eslintCliEntry(process.argv[1], true)).toBe(false);
    expect(eslintCliEntry(path.join(eslintDir, 'lib', 'eslint', 'worker.js'), true)).toBe(false);
    expect(eslintCliEntry(path.join(eslintDir, 'bin', 'eslint.js'), false)).toBe(false);
    expect(eslintCliEntry(path.join(fixturesDir, 'eslint', 'bin', 'eslint.js'), true)).toBe(false);
    expect(eslintCliEntry(undefined, true)).toBe(false);
  });

  it('gives the error thrown in the CLI a stack without frames, whose first line names the key', () => {
    const error = new NativeHandleSettingsError(`${ROOT}.rawClose`, 'expected a specifier');
    expect(error.stack).toBe(`NativeHandleSettingsError: ${ROOT}.rawClose: expected a specifier`);
  });
});

describe('settings checked against the program (well-formed settings that match nothing)', () => {
  const stub = { from: 'package', package: 'native-addon-stub' } as const;
  const useQueue = "import { Queue } from 'native-addon-stub';\nexport declare const queue: Queue;\n";
  const check = (code: string, settings: unknown, extraFiles: Record<string, string> = {}) => {
    const { program, model } = compile(code, settings, extraFiles);
    return checkSettingsInProgram(program, model.settings);
  };

  it('says nothing of settings that all match', () => {
    const result = check(useQueue, {
      resources: [{ type: { ...stub, name: 'Queue' }, rawHandle: 'getHandle', close: ['shutdown'], guard: 'isShutdown' }],
      rawClose: { ...stub, name: 'releaseRaw' },
      adopt: [{ ...stub, name: 'Wrapper' }],
      exitHooks: [{ from: 'package', package: 'signal-exit', name: 'onExit' }],
    });
    expect(result).toEqual({ warnings: [], unmatched: [] });
  });

  it("knows what Node's modules declare in their global blocks, named with or without node:", () => {
    // NodeJS.Timeout is declared in a `global {}` block of `declare module "timers"` (or
    // "node:timers"), which the model's own matching of Node modules finds (src/model/node.ts).
    const code = "import { setInterval } from 'node:timers';\nexport const timer = setInterval(() => undefined, 1000);\n";
    for (const module of ['timers', 'node:timers']) {
      expect(check(code, { resources: [{ type: { from: 'package', package: module, name: 'Timeout' }, close: 'close' }] })).toEqual({
        warnings: [],
        unmatched: [],
      });
    }
    expect(check(code, { resources: [{ type: { from: 'package', package: 'timers', name: 'Timout' }, close: 'close' }] }).warnings).toEqual(
      [`${ROOT}.resources[0].type.name: package 'timers' declares nothing named 'Timout'; the name matches nothing`],
    );
  });

  it('warns for a role naming a member the matched type does not have', () => {
    const result = check(useQueue, { resources: [{ type: { ...stub, name: 'Queue' }, close: ['shutdown', 'stop'], guard: 'isClosed' }] });
    expect(result.warnings).toEqual([
      `${ROOT}.resources[0].close: 'stop' is not a member of Queue (package 'native-addon-stub'); the role matches nothing there`,
      `${ROOT}.resources[0].guard: 'isClosed' is not a member of Queue (package 'native-addon-stub'); the role matches nothing there`,
    ]);
  });

  it('warns for a name that a package of the program does not declare', () => {
    const result = check(useQueue, {
      resources: [{ type: { ...stub, name: ['Queue', 'Queu'] }, close: 'shutdown' }],
      rawClose: { ...stub, name: 'closeHandel' },
    });
    expect(result.warnings).toEqual([
      `${ROOT}.resources[0].type.name: package 'native-addon-stub' declares nothing named 'Queu'; the name matches nothing`,
      `${ROOT}.rawClose.name: package 'native-addon-stub' declares nothing named 'closeHandel'; the name matches nothing`,
    ]);
    expect(result.unmatched).toEqual([]);
  });

  it('does not warn for a package that another file of the program imports, or that is installed but imported nowhere', () => {
    expect(
      check('export const a = 1;\n', { resources: [{ type: { ...stub, name: 'Queue' }, close: 'shutdown' }] }, { 'other.ts': useQueue }),
    ).toEqual({ warnings: [], unmatched: [] });
    // `typescript` is installed (resolvable from the project) although no file of the program imports it.
    expect(check('export const a = 1;\n', { adopt: { from: 'package', package: 'typescript', name: 'createProgram' } })).toEqual({
      warnings: [],
      unmatched: [],
    });
  });

  it('leaves a package that is neither in the program nor installed to the end of the run (another program may have it)', () => {
    const result = check(useQueue, { rawClose: [{ from: 'package', package: 'zmq', name: 'close' }] });
    expect(result.warnings).toEqual([]);
    expect(result.unmatched).toEqual([
      {
        id: `${ROOT}.rawClose[0]:zmq`,
        message: `${ROOT}.rawClose[0].package: no linted program contains package 'zmq', and it cannot be resolved from them; the specifier matches nothing`,
      },
    ]);
  });

  // --- issue 11: packages whose types are missing, dotted names, the exitHooks object form ---
  it('does not leave a package that a project file imports to the end of the run, though it resolves to nothing', () => {
    const code = "import onExit from 'not-installed-exit-pkg';\nonExit(() => {});\n";
    expect(check(code, { exitHooks: { from: 'package', package: 'not-installed-exit-pkg', name: 'onExit' } })).toEqual({
      warnings: [],
      unmatched: [],
    });
    // A file of the package (`pkg/sub`) counts; another package does not.
    const sub = "import { close } from 'not-installed-addon/raw';\nclose(3);\n";
    expect(check(sub, { rawClose: { from: 'package', package: 'not-installed-addon', name: 'close' } })).toEqual({
      warnings: [],
      unmatched: [],
    });
    expect(check(sub, { rawClose: { from: 'package', package: 'not-installed', name: 'close' } }).unmatched).toHaveLength(1);
  });

  it('does not warn for names of a package declared by a shorthand ambient module (every name is any)', () => {
    const code = "import onExit from 'shorthand-exit-pkg';\nonExit(() => {});\n";
    const ambient = { 'shorthand.d.ts': "declare module 'shorthand-exit-pkg';\n" };
    expect(check(code, { exitHooks: { from: 'package', package: 'shorthand-exit-pkg', name: 'onExit' } }, ambient)).toEqual({
      warnings: [],
      unmatched: [],
    });
  });

  it('checks a dotted name by its first part, and the hook of an exitHooks object form under its own key', () => {
    const code = 'export class EventsHelper {\n  static addEventListener(target: unknown, event: string, fn: () => void): void {}\n}\n';
    const file = path.relative(process.cwd(), path.join(fixturesDir, 'file.ts'));
    expect(
      check(code, { exitHooks: [{ hook: { from: 'file', name: 'EventsHelper.addEventListener', path: file }, eventArgument: 1 }] }),
    ).toEqual({ warnings: [], unmatched: [] });
    expect(
      check(code, { exitHooks: [{ hook: { from: 'file', name: 'EventHelper.addEventListener', path: file }, eventArgument: 1 }] }).warnings,
    ).toEqual([`${ROOT}.exitHooks[0].hook.name: ${file} declares nothing named 'EventHelper.addEventListener'; the name matches nothing`]);
  });
  // --- end issue 11 ---

  it('checks file specifiers: a missing path, a name the file does not declare, a name no file declares', () => {
    const code = 'export function dropFd(fd: number): void {}\n';
    // A `path` is relative to the program's directory (the working directory here).
    const file = path.relative(process.cwd(), path.join(fixturesDir, 'file.ts'));
    const missing = path.relative(process.cwd(), path.join(fixturesDir, 'missing.ts'));
    const ok = check(code, {
      rawClose: [
        { from: 'file', name: 'dropFd', path: file },
        { from: 'file', name: 'dropFd' },
      ],
    });
    expect(ok).toEqual({ warnings: [], unmatched: [] });
    const result = check(code, {
      rawClose: [
        { from: 'file', name: 'dropFd', path: missing },
        { from: 'file', name: 'dropFD', path: file },
        { from: 'file', name: 'dropFD' },
      ],
    });
    expect(result.warnings).toEqual([
      `${ROOT}.rawClose[0].path: no file at ${path.join(fixturesDir, 'missing.ts')}; the specifier matches nothing`,
      `${ROOT}.rawClose[1].name: ${file} declares nothing named 'dropFD'; the name matches nothing`,
    ]);
    expect(result.unmatched).toEqual([
      {
        id: `${ROOT}.rawClose[2]:dropFD`,
        message: `${ROOT}.rawClose[2].name: no project file of the linted programs declares 'dropFD'; the name matches nothing`,
      },
    ]);
  });

  it('checks lib specifiers against the default library', () => {
    expect(check(useQueue, { resources: [{ type: { from: 'lib', name: 'Promise' }, close: 'then' }] })).toEqual({
      warnings: [],
      unmatched: [],
    });
    const result = check(useQueue, { resources: [{ type: { from: 'lib', name: 'Promis' }, close: 'then' }] });
    expect(result.unmatched).toEqual([
      {
        id: `${ROOT}.resources[0].type:Promis`,
        message: `${ROOT}.resources[0].type.name: the default library of the linted programs declares nothing named 'Promis'; the name matches nothing`,
      },
    ]);
  });

  it('checks a program once', () => {
    const { program, model } = compile(useQueue, { resources: [{ type: { ...stub, name: 'Queue' }, close: 'stop' }] });
    expect(checkSettingsInProgram(program, model.settings)).toBe(checkSettingsInProgram(program, model.settings));
  });

  it('warns for an empty role array', () => {
    expect(
      settingsShapeWarnings(parseSettings({ resources: [{ type: { ...stub, name: 'Queue' }, close: 'shutdown', guard: [] }] })),
    ).toEqual([
      `${ROOT}.resources[0].guard: an empty list names no member; this type has no guard (the conventional names no longer apply)`,
    ]);
  });

  it('keeps an unmatched specifier only if no program of the run matches it', () => {
    const absent = { id: 'k:zmq', message: 'k.package: no linted program contains package' };
    expect(
      unmatchedEverywhere([
        { warnings: [], unmatched: [absent] },
        { warnings: [], unmatched: [absent] },
      ]),
    ).toEqual([absent.message]);
    expect(
      unmatchedEverywhere([
        { warnings: [], unmatched: [absent] },
        { warnings: [], unmatched: [] },
      ]),
    ).toEqual([]);
    expect(unmatchedEverywhere([])).toEqual([]);
  });

  it('never throws from a program that lacks the compiler API the check reads (a backend like tsgo)', () => {
    const settings = parseSettings({ resources: [{ type: { ...stub, name: 'Queue' }, close: 'shutdown' }] });
    const partial = { getCurrentDirectory: () => fixturesDir } as unknown as Parameters<typeof reportSettingsWarnings>[0];
    expect(() => checkSettingsInProgram(partial, settings)).toThrow(TypeError);
    expect(() => {
      reportSettingsWarnings(partial, settings);
    }).not.toThrow();
  });

  it('emits each warning once per process, as a NativeHandleSettingsWarning', () => {
    const emit = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const settings = { resources: [{ type: { ...stub, name: 'Queue' }, close: 'stopp' }] };
      for (const code of [useQueue, `${useQueue}export const x = 1;\n`]) {
        const { program, model } = compile(code, settings);
        reportSettingsWarnings(program, model.settings);
      }
      const calls = emit.mock.calls.filter(([message]) => String(message).includes("'stopp'"));
      expect(calls).toEqual([
        [
          `${ROOT}.resources[0].close: 'stopp' is not a member of Queue (package 'native-addon-stub'); the role matches nothing there`,
          'NativeHandleSettingsWarning',
        ],
      ]);
    } finally {
      emit.mockRestore();
    }
  });
});
