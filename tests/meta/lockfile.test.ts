// `npm ci` on a fresh clone must not depend on what the registry's dist-tags say later. A package
// in the tree that asks for a tag (`"jschardet": "latest"`, from @microsoft/eslint-formatter-sarif)
// makes the lock file stale the day that tag moves, and `npm ci` then refuses it; such a
// dependency must be pinned through package.json's `overrides`.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface LockPackage {
  readonly dependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
}

/** A version spec that names a dist-tag (`latest`, `next`) rather than a version or a range. */
function isDistTag(spec: string): boolean {
  if (/^(?:npm:|file:|link:|git|https?:|github:|workspace:)/.test(spec)) return false;
  const trimmed = spec.trim();
  return /^[a-z][a-z0-9._-]*$/i.test(trimmed) && !/^[xX]$/.test(trimmed);
}

function floatingDependencies(lockPath: string): string[] {
  const lock = JSON.parse(fs.readFileSync(lockPath, 'utf8')) as { packages: Record<string, LockPackage> };
  const found = new Set<string>();
  for (const [location, entry] of Object.entries(lock.packages)) {
    for (const deps of [entry.dependencies, entry.optionalDependencies]) {
      for (const [name, spec] of Object.entries(deps ?? {})) {
        if (isDistTag(spec)) found.add(`${name}@${spec} (from ${location || 'the root'})`);
      }
    }
  }
  return [...found].sort();
}

describe('package-lock.json', () => {
  it('recognises a dist-tag spec', () => {
    expect(['latest', 'next', 'beta'].every(isDistTag)).toBe(true);
    expect(['^4.1.0', '4.1.0', '>=1 <2', '*', 'npm:typescript@7.1.0-dev.1', 'x', '1.x', 'file:../a'].some(isDistTag)).toBe(false);
  });

  // The root's lock and every other checked-in one (bench/real, the version matrix's folders).
  const lockFiles = execFileSync('git', ['ls-files', '*package-lock.json'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean);

  it.each(lockFiles)('%s pins every dependency that asks for a dist-tag through overrides', lockFile => {
    const dir = path.dirname(path.join(root, lockFile));
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { overrides?: Record<string, string> };
    const overridden = new Set(Object.keys(pkg.overrides ?? {}));
    const unpinned = floatingDependencies(path.join(root, lockFile)).filter(
      entry => !overridden.has(entry.slice(0, entry.indexOf('@', 1))),
    );
    expect(unpinned).toEqual([]);
  });

  it('pins them to an exact version, which the lock file records', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { overrides?: Record<string, string> };
    const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version?: string }>;
    };
    for (const [name, version] of Object.entries(pkg.overrides ?? {})) {
      expect(version, name).toMatch(/^\d+\.\d+\.\d+$/);
      expect(lock.packages[`node_modules/${name}`]?.version, name).toBe(version);
    }
  });
});
