import { describe, expect, it } from 'vitest';
import { unresolvedImportValue } from '../../src/model/valueSpecifiers.js';
import { compile } from './program.js';

// Issue 11: dotted value names and values imported from packages whose types are missing.

describe('dotted value names', () => {
  const settings = {
    rawClose: { from: 'file', name: ['Outer.Inner.close', 'helpers.close', 'Anonymous.close', 'Box.close'] },
  };

  it('name a function of nested namespaces, a method of a const object (also `as const`), a static method of a class expression', () => {
    const t = compile(
      `
      namespace Outer.Inner { export function close(fd: number): void {} }
      const helpers = { close(fd: number): void {} } as const;
      const Anonymous = class { static close(fd: number): void {} };
      Outer.Inner.close(1);
      helpers.close(2);
      Anonymous.close(3);
    `,
      settings,
    );
    expect(t.model.isRawCloser(t.callNamed('Outer.Inner.close').expression)).toBe(true);
    expect(t.model.isRawCloser(t.callNamed('helpers.close').expression)).toBe(true);
    expect(t.model.isRawCloser(t.callNamed('Anonymous.close').expression)).toBe(true);
  });

  it('do not name an instance method, a member of a `let` object, or the member of another container', () => {
    const t = compile(
      `
      class Box { close(fd: number): void {} }
      let helpers = { close(fd: number): void {} };
      namespace Inner { export function close(fd: number): void {} }
      new Box().close(1);
      helpers.close(2);
      Inner.close(3);
    `,
      settings,
    );
    expect(t.model.isRawCloser(t.callNamed('new Box().close').expression)).toBe(false);
    expect(t.model.isRawCloser(t.callNamed('helpers.close').expression)).toBe(false);
    expect(t.model.isRawCloser(t.callNamed('Inner.close').expression)).toBe(false);
  });
});

describe('values imported from packages whose types are missing', () => {
  const valueOf = (code: string, callee: string) => {
    const t = compile(code);
    return unresolvedImportValue(t.program.getTypeChecker(), t.callNamed(callee).expression);
  };

  it('gives the names a value may have in the module, by the kind of import', () => {
    expect(valueOf("import { a as b } from 'not-installed-pkg';\nb();", 'b')).toEqual({ module: 'not-installed-pkg', names: ['a'] });
    expect(valueOf("import * as ns from 'not-installed-pkg/sub';\nns.x.y();", 'ns.x.y')).toEqual({
      module: 'not-installed-pkg/sub',
      names: ['x.y'],
    });
    expect(valueOf("import hook from 'not-installed-pkg';\nhook();", 'hook')).toEqual({
      module: 'not-installed-pkg',
      names: ['default', 'hook'],
    });
    expect(valueOf("import hook from 'not-installed-pkg';\nhook.on();", 'hook.on')).toEqual({
      module: 'not-installed-pkg',
      names: ['default.on', 'hook.on', 'on'],
    });
    expect(valueOf("const hook = require('untyped-exit-hook');\nhook();", 'hook')).toEqual({
      module: 'untyped-exit-hook',
      names: ['default', 'hook'],
    });
  });

  it('treats a module declared only by a shorthand `declare module` as untyped', () => {
    const t = compile(
      "import hook from 'shorthand-hook-pkg';\nhook(() => {});",
      { exitHooks: { from: 'package', package: 'shorthand-hook-pkg', name: 'hook' } },
      {
        'shorthand.d.ts': "declare module 'shorthand-hook-pkg';\n",
      },
    );
    expect(t.model.isConfiguredExitHook(t.callNamed('hook').expression)).toBe(true);
    const typed = compile("import { onExit } from 'signal-exit';\nonExit(() => {});", {
      exitHooks: { from: 'package', package: 'signal-exit', name: 'default' },
    });
    expect(typed.model.isConfiguredExitHook(typed.callNamed('onExit').expression)).toBe(false);
  });

  it('gives nothing for a module that resolves to declarations, or for a value that is no import', () => {
    expect(valueOf("import { onExit } from 'signal-exit';\nonExit(() => {});", 'onExit')).toBeUndefined();
    expect(valueOf("import * as fs from 'node:fs';\nfs.closeSync(1);", 'fs.closeSync')).toBeUndefined();
    expect(valueOf('let hook = (): void => {};\nhook();', 'hook')).toBeUndefined();
    expect(valueOf("let hook = require('untyped-exit-hook');\nhook();", 'hook')).toBeUndefined();
  });
});
