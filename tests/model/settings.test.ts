import tsParser from '@typescript-eslint/parser';
import { ESLint, type Rule } from 'eslint';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  NativeHandleSettingsError,
  getNativeHandleServices,
  parseSettings,
  readSettings,
  type NativeHandleSettings,
} from '../../src/model/index.js';
import { createRule } from '../../src/util/createRule.js';
import { fixturesDir } from '../ruleTester.js';

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
      exitHooks: [{ from: 'package', package: 'signal-exit', name: 'onExit' }],
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
    expect(settings.exitHooks).toEqual([{ from: 'package', package: 'signal-exit', name: 'onExit' }]);
  });

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
    [
      'an unknown top-level key',
      { resource: [] },
      `${ROOT}.resource: unknown key (expected one of resources, rawClose, adopt, exitHooks)`,
    ],
    [
      'resources not an array',
      { resources: { type: spec } },
      `${ROOT}.resources: expected an array of { type, ...roles }, got an object`,
    ],
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

describe('an ESLint run with bad settings', () => {
  const probe = createRule({
    name: 'probe',
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
  });

  async function lintWith(settings: unknown): Promise<ESLint.LintResult[]> {
    const eslint = new ESLint({
      overrideConfigFile: true,
      overrideConfig: [
        {
          files: ['**/*.ts'],
          languageOptions: {
            parser: tsParser,
            parserOptions: { project: './tsconfig.json', tsconfigRootDir: fixturesDir, disallowAutomaticSingleRunInference: true },
          },
          // typescript-eslint's rule type is not ESLint's (see src/index.ts).
          plugins: { 'native-handle': { rules: { probe: probe as unknown as Rule.RuleModule } } },
          rules: { 'native-handle/probe': 'error' },
          settings: { 'native-handle': settings },
        },
      ],
      cwd: fixturesDir,
    });
    return eslint.lintText('', { filePath: path.join(fixturesDir, 'file.ts') });
  }

  it('fails with an error whose first line names the offending key', async () => {
    const failure = lintWith({ resources: [{ type: 'Socket' }] });
    await expect(failure).rejects.toThrow();
    const error = await failure.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message.split('\n')[0]).toContain(`${ROOT}.resources[0].type`);
  });

  it('lints cleanly with valid settings', async () => {
    const results = await lintWith({ resources: [{ type: { from: 'package', package: 'native-addon-stub', name: 'Queue' } }] });
    expect(results[0]!.messages).toEqual([]);
  });
});
