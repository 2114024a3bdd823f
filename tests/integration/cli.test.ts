// The CI path: the `eslint` binary itself on a temporary copy of examples/ (its README config
// unchanged) and of the e2e fixture project. Runs are compared with each other, never with a fixed
// list of the examples' findings, which grows with every rule.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eslint, examplesCopy, findingsOf, linkedE2eProject, rmTemp, type Finding } from './project.js';

/** The text of every file under a directory, by relative path. */
function snapshot(dir: string): Map<string, string> {
  return new Map(
    fs
      .readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter(file => fs.statSync(path.join(dir, file)).isFile())
      .sort()
      .map(file => [file, fs.readFileSync(path.join(dir, file), 'utf8')]),
  );
}

const linted = (findings: readonly Finding[]): string[] => [...new Set(findings.map(finding => finding.file))];

describe('the eslint CLI on examples/', () => {
  let root: string | undefined;
  let examples = '';
  let cacheLocation = '';
  let plain: Finding[] = [];

  beforeAll(async () => {
    ({ root, examples } = examplesCopy());
    cacheLocation = path.join(root, 'eslint-cache');
    // `eslint .` as CI runs it (the config file itself included), filling the cache.
    const first = await eslint(['--format', 'json', '--cache', '--cache-location', cacheLocation, '.'], examples);
    expect(first.status, first.stderr).toBe(1);
    plain = findingsOf(first.stdout, examples);
  }, 120_000);

  afterAll(() => {
    rmTemp(root);
  });

  it('reports findings of our rules in every example, and nothing fatal', () => {
    expect(plain.length).toBeGreaterThan(0);
    expect(plain.every(finding => finding.ruleId?.startsWith('native-handle/'))).toBe(true);
    const sources = fs.readdirSync(path.join(examples, 'src')).filter(file => file.endsWith('.ts'));
    expect(linted(plain).length).toBeGreaterThan(0);
    expect(linted(plain).every(file => sources.includes(path.basename(file)))).toBe(true);
  });

  it('reports the same findings with --concurrency 2', async () => {
    const parallel = await eslint(['--format', 'json', '--concurrency', '2', '.'], examples);
    expect(parallel.status, parallel.stderr).toBe(1);
    expect(findingsOf(parallel.stdout, examples)).toEqual(plain);
  });

  it('serves a second --cache run from the cache, with the same findings', async () => {
    expect(fs.existsSync(cacheLocation)).toBe(true);
    const cached = await eslint(['--format', 'json', '--cache', '--cache-location', cacheLocation, '--debug', '.'], examples);
    expect(cached.status, cached.stderr).toBe(1);
    expect(findingsOf(cached.stdout, examples)).toEqual(plain);
    // ESLint's debug log names each file it took from the cache instead of linting it again.
    const skipped = [...cached.stderr.matchAll(/Skipping file since it hasn't changed: (\S+)/g)].map(match =>
      path.relative(examples, match[1]!),
    );
    for (const file of linted(plain)) expect(skipped).toContain(file);
    expect(cached.stderr).not.toMatch(/Cache entry not found or no longer valid/);
  });

  it('lints a changed file again despite --cache', async () => {
    const file = linted(plain)[0]!;
    fs.appendFileSync(path.join(examples, file), '\n// changed\n');
    const cached = await eslint(['--format', 'json', '--cache', '--cache-location', cacheLocation, '--debug', '.'], examples);
    expect(cached.status, cached.stderr).toBe(1);
    expect(cached.stderr).toContain(`Cache entry not found or no longer valid: ${path.join(examples, file)}`);
    expect(cached.stderr).not.toContain(`Skipping file since it hasn't changed: ${path.join(examples, file)}`);
    expect(findingsOf(cached.stdout, examples)).toEqual(plain);
  });

  it('--fix changes the files, and a second --fix changes nothing', async () => {
    const before = snapshot(path.join(examples, 'src'));
    const first = await eslint(['--format', 'json', '--fix', '.'], examples);
    expect(first.status, first.stderr).toBe(1);
    const fixed = snapshot(path.join(examples, 'src'));
    expect(fixed).not.toEqual(before);
    const remaining = findingsOf(first.stdout, examples);
    expect(remaining.length).toBeLessThan(plain.length);

    const second = await eslint(['--format', 'json', '--fix', '.'], examples);
    expect(second.status, second.stderr).toBe(1);
    expect(snapshot(path.join(examples, 'src'))).toEqual(fixed);
    expect(findingsOf(second.stdout, examples)).toEqual(remaining);
  });
});

describe('the eslint CLI exit codes and settings messages', () => {
  let dir: string | undefined;
  const copies: string[] = [];
  const ROOT = "settings['native-handle']";

  beforeAll(() => {
    dir = linkedE2eProject();
  });

  afterAll(() => {
    rmTemp(dir);
    for (const copy of copies) rmTemp(copy);
  });

  /** A copy of the e2e project whose config adds this `settings['native-handle']`. */
  function projectWithSettings(settings: string): string {
    const copy = `${dir!}-${copies.length}`;
    copies.push(copy);
    fs.cpSync(dir!, copy, { recursive: true, verbatimSymlinks: true });
    const config = path.join(copy, 'eslint.config.mjs');
    const text = fs.readFileSync(config, 'utf8');
    const withSettings = text.replace(
      '  nativeHandle.configs.recommended,\n',
      `  nativeHandle.configs.recommended,\n  { settings: { 'native-handle': ${settings} } },\n`,
    );
    expect(withSettings).not.toBe(text);
    fs.writeFileSync(config, withSettings);
    return copy;
  }

  it('exits 0 on a clean file and 1 on findings', async () => {
    const [clean, findings] = await Promise.all([eslint(['src/clean.ts'], dir!), eslint(['src/hazards.ts'], dir!)]);
    expect(clean.status, clean.stdout + clean.stderr).toBe(0);
    expect(clean.stdout).toBe('');
    expect(findings.status, findings.stderr).toBe(1);
    expect(findings.stdout).toContain('native-handle/no-cleanup-in-exit-handler');
  });

  // The first line of stderr names the key and what is expected; no stack trace anywhere; exit 2.
  it.each([
    [
      'an invalid shape',
      "{ resources: [{ type: 'FileHandle' }] }",
      `${ROOT}.resources[0].type: the bare-string form ('FileHandle') matches by name alone and is not accepted; expected { from: 'file' | 'lib' | 'package', name, package? | path? }`,
    ],
    [
      'an unknown key',
      "{ resource: [{ type: { from: 'package', package: 'fs/promises', name: 'FileHandle' } }] }",
      `${ROOT}.resource: unknown key (expected one of resources, rawClose, adopt, exitHooks)`,
    ],
    // issue 11: the exitHooks object form
    [
      'an exitHooks { hook, eventArgument } entry with a bad index',
      "{ exitHooks: [{ hook: { from: 'file', name: 'EventsHelper.addEventListener' }, eventArgument: 'exit' }] }",
      `${ROOT}.exitHooks[0].eventArgument: expected the index of the argument that names the event (an integer, 0 or more), got 'exit'`,
    ],
  ])(
    'exits 2 on %s, the first line of stderr naming the key, with no stack trace',
    async (_, settings, firstLine) => {
      const project = projectWithSettings(settings);
      for (const args of [['src/hazards.ts'], ['--format', 'json', '--concurrency', '2', 'src/hazards.ts', 'src/clean.ts']]) {
        const invalid = await eslint(args, project);
        expect(invalid.status, invalid.stderr).toBe(2);
        const lines = invalid.stderr.split('\n');
        expect(lines[0], invalid.stderr).toBe(firstLine);
        // Said once, even with two worker threads; ESLint's own report of the error follows, without frames.
        expect(lines.filter(line => line.startsWith(ROOT))).toHaveLength(1);
        expect(invalid.stderr).not.toMatch(/^\s+at /m);
        expect(invalid.stderr).not.toContain('Error while loading rule');
        expect(invalid.stdout).toBe('');
      }
    },
    120_000,
  );

  it('warns once, naming the key, for a role naming a missing member and for a package that is nowhere', async () => {
    const project = projectWithSettings(
      "{ resources: [{ type: { from: 'package', package: 'fs/promises', name: 'FileHandle' }, close: ['close', 'shutdown'] }], rawClose: { from: 'package', package: 'zmq', name: 'close' } }",
    );
    const result = await eslint(['--format', 'json', 'src/hazards.ts', 'src/clean.ts'], project);
    expect(result.status, result.stderr).toBe(1);
    const warnings = result.stderr.split('\n').filter(line => line.includes('NativeHandleSettingsWarning'));
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(
      /NativeHandleSettingsWarning: settings\['native-handle'\]\.resources\[0\]\.close: 'shutdown' is not a member of FileHandle \(package 'fs\/promises'\); the role matches nothing there$/,
    );
    expect(warnings[1]).toMatch(
      /NativeHandleSettingsWarning: settings\['native-handle'\]\.rawClose\.package: no linted program contains package 'zmq', and it cannot be resolved from them; the specifier matches nothing$/,
    );
    // The findings are those of the project without settings.
    const plain = await eslint(['--format', 'json', 'src/hazards.ts', 'src/clean.ts'], dir!);
    expect(findingsOf(result.stdout, project)).toEqual(findingsOf(plain.stdout, dir!));

    // Two worker threads, each linting a file of the same program, say the certain warning once.
    // (What only the whole run can tell — a package no program contains — is left out there.)
    const parallel = await eslint(['--format', 'json', '--concurrency', '2', 'src/hazards.ts', 'src/clean.ts'], project);
    expect(parallel.status, parallel.stderr).toBe(1);
    const parallelWarnings = parallel.stderr.split('\n').filter(line => line.includes('NativeHandleSettingsWarning'));
    const withoutPid = (line: string): string => line.replace(/^\(node:\d+\) /, '');
    expect(parallelWarnings.map(withoutPid)).toEqual([withoutPid(warnings[0]!)]);
  }, 120_000);
});
