// The real-code corpus: npm packages that ship their TypeScript sources, installed by lockfile
// (bench/real/package.json + package-lock.json) with --ignore-scripts and linted as a user would.
// Shared by `npm run bench` (bench/run.mjs, which measures the first four only) and
// `npm run eval:real` (bench/real/eval.mjs, which lints all of them and compares every finding
// with bench/real/triage.tsv).
//
// Nothing is built: each package's `.ts` sources (not `.d.ts`) under `src` are copied to
// bench/corpus/real/<name>/<src> beside a tsconfig.json of ours (the repository's @types/node,
// skipLibCheck, strict, `module: preserve` + `moduleResolution: bundler` so that the packages'
// extensionless relative imports resolve). Imports of their dependencies resolve through
// bench/corpus/real/node_modules, a link to bench/real/node_modules; whatever does not resolve is
// only a type error, which typed linting tolerates (its types are `any`: not an owner).

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REAL_DIR = path.dirname(fileURLToPath(import.meta.url));
export const BENCH_DIR = path.resolve(REAL_DIR, '..');
export const REPO_DIR = path.resolve(BENCH_DIR, '..');
export const CORPUS_DIR = path.join(BENCH_DIR, 'corpus');

/**
 * name: the corpus name (also the triage file's `package` column); pkg: the npm package;
 * src: the folder of its `.ts` sources inside the package; bench: measured by `npm run bench`
 * (the four it has always measured; the others are linted by `npm run eval:real` only, so that a
 * full bench stays under its 10-minute budget); lib: extra `lib` entries for its tsconfig;
 * compilerOptions: other options of its tsconfig that differ from ours; links: folders of the
 * package, other than its sources, that the sources import by relative path (linked beside them).
 */
export const REAL = [
  { name: 'node-pty', pkg: 'node-pty', src: 'src', bench: true, what: 'pseudo-terminals over a native addon (fds, sockets)' },
  { name: 'zeromq', pkg: 'zeromq', src: 'src', bench: true, what: 'ZeroMQ sockets over a native addon' },
  { name: 'mongodb', pkg: 'mongodb', src: 'src', bench: true, what: 'the MongoDB driver: connection pools over net/tls sockets' },
  { name: 'grpc-js', pkg: '@grpc/grpc-js', src: 'src', bench: true, what: 'gRPC over http2 sessions and sockets' },
  // Browser code (src/injected, page.evaluate callbacks) needs the DOM's types, as in puppeteer's own build.
  // It also uses standard (TC39) decorators, not TypeScript's experimental ones, and imports its
  // bundled third-party modules (mitt, rxjs) from ../third_party, shipped as lib/esm/third_party.
  {
    name: 'puppeteer-core',
    pkg: 'puppeteer-core',
    src: 'src',
    lib: ['dom', 'dom.iterable'],
    compilerOptions: { experimentalDecorators: false },
    links: { third_party: 'lib/esm/third_party' },
    what: 'browser automation: child processes, pipes, WebSocket connections',
  },
  // @temporalio/core-bridge (the native addon, 51 MB of prebuilt binaries) is replaced by an empty
  // stand-in (bench/real/stubs/temporalio-core-bridge, package.json `overrides`): its types are `any`.
  {
    name: 'temporal-worker',
    pkg: '@temporalio/worker',
    src: 'src',
    what: 'Temporal worker: worker threads, a native bridge (stubbed), gRPC connections',
  },
  { name: 'temporal-client', pkg: '@temporalio/client', src: 'src', what: 'Temporal client: gRPC connections' },
  { name: 'appium-adb', pkg: 'appium-adb', src: 'lib', what: 'Android Debug Bridge wrapper: child processes, sockets' },
  { name: 'node-simctl', pkg: 'node-simctl', src: 'lib', what: 'iOS simulator control (xcrun simctl): child processes' },
  { name: 'teen_process', pkg: 'teen_process', src: 'lib', what: 'child-process helpers: exec, SubProcess, streams' },
  { name: 'rhea-promise', pkg: 'rhea-promise', src: 'lib', what: 'AMQP 1.0 connections, sessions and links over sockets' },
  { name: 'piscina', pkg: 'piscina', src: 'src', what: 'a worker-thread pool: Workers, MessagePorts, MessageChannels' },
  {
    name: 'mongodb-client-encryption',
    pkg: 'mongodb-client-encryption',
    src: 'src',
    what: 'the MongoDB field-level encryption native addon (libmongocrypt) wrapper',
  },
  { name: 'appium-support', pkg: '@appium/support', src: 'lib', what: 'Appium utilities: files, zip streams, child processes, sockets' },
];

/** Installs bench/real/node_modules from the lockfile when any package is missing. */
export function ensureRealInstalled({ install = true, log = console.log, fail } = {}) {
  // Missing, or not the version package.json pins (the lockfile moved since the last install).
  const pinned = JSON.parse(fs.readFileSync(path.join(REAL_DIR, 'package.json'), 'utf8')).dependencies;
  const missing = REAL.filter(r => {
    const file = path.join(REAL_DIR, 'node_modules', r.pkg, 'package.json');
    return !fs.existsSync(file) || JSON.parse(fs.readFileSync(file, 'utf8')).version !== pinned[r.pkg];
  });
  if (missing.length === 0) return;
  if (!install)
    fail(`real code bases not installed or not at the pinned version (${missing.map(r => r.name).join(', ')}); run without --skip-install`);
  log(`installing the real code bases into ${path.relative(REPO_DIR, REAL_DIR)}/node_modules (npm ci --ignore-scripts --omit=optional)…`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  // --ignore-scripts: nothing is built or downloaded by install scripts; --omit=optional: no
  // platform binaries (sharp's, @swc/core's), which no TypeScript source needs.
  const args = ['ci', '--ignore-scripts', '--omit=optional', '--no-audit', '--no-fund', '--loglevel=error'];
  const result = spawnSync(npm, args, { cwd: REAL_DIR, stdio: 'inherit' });
  if (result.status !== 0) fail('npm ci in bench/real failed');
}

export function installedVersion(real) {
  return JSON.parse(fs.readFileSync(path.join(REAL_DIR, 'node_modules', real.pkg, 'package.json'), 'utf8')).version;
}

export function tsFiles(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const abs = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...tsFiles(abs));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(abs);
  }
  return out.sort();
}

export function lineCount(files) {
  let lines = 0;
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    lines += text.length === 0 ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  }
  return lines;
}

/**
 * Copies a package's sources to bench/corpus/real/<name>/<src> with a tsconfig.json of our own.
 * Returns { name, kind, dir, files (absolute), lines, version }.
 */
export function prepareReal(real) {
  const from = path.join(REAL_DIR, 'node_modules', real.pkg, real.src);
  const dir = path.join(CORPUS_DIR, 'real', real.name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.cpSync(from, path.join(dir, real.src), {
    recursive: true,
    filter: src => fs.statSync(src).isDirectory() || (src.endsWith('.ts') && !src.endsWith('.d.ts')),
  });
  for (const [name, target] of Object.entries(real.links ?? {})) {
    fs.symlinkSync(path.relative(dir, path.join(REAL_DIR, 'node_modules', real.pkg, target)), path.join(dir, name), 'dir');
  }
  const link = path.join(CORPUS_DIR, 'real', 'node_modules');
  if (!fs.lstatSync(link, { throwIfNoEntry: false }))
    fs.symlinkSync(path.relative(path.dirname(link), path.join(REAL_DIR, 'node_modules')), link, 'dir');
  const typeRoots = path
    .relative(dir, path.join(REPO_DIR, 'node_modules', '@types'))
    .split(path.sep)
    .join('/');
  const tsconfig = {
    compilerOptions: {
      target: 'es2022',
      lib: ['es2023', 'esnext.disposable', 'esnext.weakref', ...(real.lib ?? [])],
      module: 'preserve',
      moduleResolution: 'bundler',
      strict: true,
      skipLibCheck: true,
      noEmit: true,
      experimentalDecorators: true,
      typeRoots: [typeRoots],
      types: ['node'],
      ...real.compilerOptions,
    },
    include: [`${real.src}/**/*.ts`],
  };
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`);
  const files = tsFiles(path.join(dir, real.src));
  return { name: real.name, kind: 'real', dir, files, lines: lineCount(files), version: installedVersion(real) };
}
