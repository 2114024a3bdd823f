#!/usr/bin/env node
// Pathological inputs for the plugin's rules (issue 13): is any path super-linear?
//
//   node bench/patho.mjs [--quick] [--limit <s>] [--reps <n>] [--case <prefix,…>] [--rules <a,b,…>] [--json <file>]
//        [--plugin <file>]
//   (also part of `npm run bench`, after the paired runs; `--no-patho` skips it there)
//
// Cases, each a small TypeScript project of its own under bench/corpus/patho/<case>/:
//   nest-<d>         a close inside <d> nested loops (for/while/for-of/do, alternating), with
//                    uses of the owner and its fd at every level (d = 6, 12, 24; quick: 6, 12)
//   try-<d>          a close inside <d> try/finally statements nested in each other's try block
//                    (d = 6, 12, 24; quick: 6, 12)
//   finally-<d>      the same nested in each other's finally block (d = 4, 8, 16; quick: 4, 8;
//                    ESLint's own code-path analysis doubles with each level, rules or not)
//   fd-<n>           one async function of <n> `const vI = fh.fd; use(vI);` statements
//                    (n = 1000, 2000, 4000, 8000; quick: 1000, 2000)
//   mixed-<n>        one async function of <n> statements cycling through reads, fd uses, stats,
//                    timers, listeners, registrations, and a close near the end (same sizes)
//   handles-<n>      one class method of <n> blocks, each opening a handle of its own, using it,
//                    closing it and calling a method of the class, cycling through a FileHandle
//                    (`hI`), a raw fd (`fdI`), a socket (`sI`) and a FileHandle field (`this.fI`) (same sizes)
//   conditions-<n>   one async function of <n> blocks, each opening and closing a FileHandle between
//                    tests of the same conditions (`if (opts.verbose)`, `if (!opts.verbose)`) and a
//                    counter's update: closed owners, remembered facts and aliases all grow (same sizes)
//   closes-<n>       one function that closes the same socket on <n> branches (`if (flags[i])
//                    sock.destroy();`) and then writes to it (same sizes)
//   functions-<n>    one file of <n> small functions and methods (a FileHandle opened, its fd read,
//                    closed; a raw fd closed; a callback; a class of two methods) (same sizes)
//   callbacks-<n>    one async function of <n> blocks, each opening a FileHandle, keeping its fd and a copy,
//                    using them in a timer and a listener that also reads a local rewritten in every block
//                    (`prev = fdI`), then an await: n callbacks read one variable of n writes (same sizes)
//   joins-<n>        an owner class of n / 10 FileHandle fields (at least 50) whose async method has <n> blocks
//                    `if (cI) await this.x();`, a guard every fifth, a raw-fd read of one field and a write of
//                    another: states of different awaits joined n times, a return after each guard (same sizes)
//   handoffs-<n>     one async function of <n> blocks `const hI = await open(…); try { if (f[I]) return hI; }
//                    finally { if (!f[I]) await hI.close(); }`: n hand-offs, n closes, n returns (same sizes)
//   borrows-<n>      one async function of <n> blocks, each opening a FileHandle after an await, keeping its fd
//                    and posting it to a worker in a const object literal; every fd is used after the last
//                    await: raw values live across awaits and messages grow (same sizes)
//   chain-<n>        one file of <n> local functions, each calling the next, the first called from an exit
//                    listener (same sizes)
//   listeners-<n>    one function registering <n> process listeners on locals read from array elements:
//                    'exit' listeners closing a FileHandle and an fd or calling a helper, 'SIGTERM'
//                    handlers that start a cleanup and exit, 'beforeExit' listeners (same sizes)
//   exit-body-<n>    one inline 'exit' listener of <n> straight-line statements on array elements (sync
//                    closes, a local helper, writes, an abandoned FileHandle close) (same sizes)
//   registrations-<n> one owner class of <n> FinalizationRegistry registrations of fd fields (with and
//                    without tokens) and 'abort' listeners on a signal field, in its constructor and
//                    methods, undone in close() (same sizes)
//   one-file-100k    about 100 k lines of the synthetic corpus's templates in one file
//   files-100x1k     the same code in 100 files of about 1 k lines (quick: 10 k lines, 1 vs 10 files)
//
// Each case is linted in a child process (bench/lint-child.mjs) with every rule of the plugin and
// TIMING=all (per-rule time in ms), --reps times (default 3; `npm run bench -- --quick`: 1; the
// 100 k-line pair once), each rule's time the median of those runs; a case that exceeds the time limit (default 60 s,
// quick 20 s; three times that for the 100 k-line pair) is killed and then run rule by rule, each with the same limit, so that the rule
// that hangs is named and the others still get a time. Reported: each rule's time per case, and
// the ratios between doubling sizes (T(2n) / T(n), at most about 2 when the rule is linear) and
// one-file / many-files. A doubling ratio over 2.2 is measured again with that rule alone on both
// sizes (5 alternating pairs; quick: 3), since with every rule on a rule's time includes whatever
// checker work it happens to ask first; the budget reads the rule-alone ratio.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { generateChunks, HEADER, tsconfigFor } from './gen-corpus.mjs';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const REPO_DIR = path.resolve(BENCH_DIR, '..');
const PATHO_DIR = path.join(BENCH_DIR, 'corpus', 'patho');
const RESULTS_DIR = path.join(BENCH_DIR, 'results');
const CHILD = path.join(BENCH_DIR, 'lint-child.mjs');

// ---------------------------------------------------------------------------------------
// Generators (deterministic)

const PRELUDE = [
  "import * as fs from 'node:fs';",
  "import * as fsp from 'node:fs/promises';",
  "import type { FileHandle } from 'node:fs/promises';",
  "import { EventEmitter } from 'node:events';",
  '',
  'declare function use(value: unknown): void;',
  'declare const rows: readonly number[];',
  'declare const signal: AbortSignal;',
  'const registry = new FinalizationRegistry<number>(fd => fs.closeSync(fd));',
  '',
];

/** A close inside `depth` nested loops, uses of the owner and its fd at every level. */
function nested(depth) {
  const lines = [
    ...PRELUDE,
    'export async function nested(path: string, n: number): Promise<void> {',
    "  const fh = await fsp.open(path, 'r');",
    '  let count = 0;',
  ];
  const closers = [];
  for (let level = 0; level < depth; level++) {
    const pad = '  '.repeat(level + 1);
    switch (level % 4) {
      case 0:
        lines.push(`${pad}for (let i${level} = 0; i${level} < n; i${level}++) {`);
        closers.push(`${pad}}`);
        break;
      case 1:
        lines.push(`${pad}while (count < n * ${level}) {`);
        closers.push(`${pad}}`);
        break;
      case 2:
        lines.push(`${pad}for (const row${level} of rows) {`);
        closers.push(`${pad}}`);
        break;
      default:
        lines.push(`${pad}do {`);
        closers.push(`${pad}} while (count % ${level} !== 0);`);
    }
    lines.push(`${pad}  count++;`);
    lines.push(`${pad}  if (count > ${level}) use(fh.fd);`);
    lines.push(`${pad}  await fh.stat();`);
  }
  const pad = '  '.repeat(depth + 1);
  lines.push(`${pad}if (count === n) await fh.close();`);
  lines.push(`${pad}use(fh.fd);`);
  lines.push(...closers.reverse());
  lines.push('}', '');
  return [{ name: 'nested.ts', lines }];
}

/**
 * A close inside `depth` nested `try`/`finally` statements, uses of the owner and its fd and an
 * `await` at every level, the next level in this level's `try` block (`inFinally`: in its
 * `finally` block, which the flow engine walks once for normal and once for abrupt completion,
 * and so does ESLint's own code-path analysis: that one doubles with every level whatever the
 * rules, which is why those depths stay small).
 */
function tryFinally(depth, inFinally) {
  const lines = [
    ...PRELUDE,
    'export async function nestedTry(path: string, n: number): Promise<void> {',
    "  const fh = await fsp.open(path, 'r');",
    '  let count = 0;',
  ];
  const closers = [];
  for (let level = 0; level < depth; level++) {
    const pad = '  '.repeat(level + 1);
    lines.push(`${pad}try {`, `${pad}  count++;`, `${pad}  if (count > ${level}) use(fh.fd);`, `${pad}  await fh.stat();`);
    if (inFinally) {
      lines.push(`${pad}  if (count === n * ${level}) return;`, `${pad}} finally {`, `${pad}  use(fh.fd);`);
      closers.push(`${pad}}`);
    } else {
      closers.push(`${pad}} finally {\n${pad}  use(count + ${level});\n${pad}  await fh.stat();\n${pad}}`);
    }
  }
  const pad = '  '.repeat(depth + 1);
  lines.push(`${pad}if (count === n) await fh.close();`);
  lines.push(`${pad}use(fh.fd);`);
  lines.push(...closers.reverse());
  lines.push('}', '');
  return [{ name: 'nested-try.ts', lines }];
}

/** One function of `n` `const vI = fh.fd; use(vI);` statements. */
function longFd(n) {
  const lines = [...PRELUDE, 'export async function longFd(path: string): Promise<void> {', "  const fh = await fsp.open(path, 'r');"];
  for (let i = 0; i < n; i++) lines.push(`  const v${i} = fh.fd; use(v${i});`);
  lines.push('  await fh.close();', '}', '');
  return [{ name: 'long-fd.ts', lines }];
}

/** One function of `n` statements of mixed kinds over one FileHandle, a close near the end. */
function longMixed(n) {
  const lines = [
    ...PRELUDE,
    'export async function longMixed(path: string, emitter: EventEmitter): Promise<number> {',
    "  const fh = await fsp.open(path, 'r');",
    '  const buffer = Buffer.alloc(64);',
    '  let total = 0;',
  ];
  for (let i = 0; i < n; i++) {
    switch (i % 8) {
      case 0:
        lines.push(`  const r${i} = await fh.read(buffer, 0, 64, ${i}); total += r${i}.bytesRead;`);
        break;
      case 1:
        lines.push(`  const v${i} = fh.fd; use(v${i});`);
        break;
      case 2:
        lines.push(`  const p${i} = fh.stat(); use(p${i});`);
        break;
      case 3:
        lines.push(`  if (total > ${i}) { total -= 1; } else { total += fs.fstatSync(fh.fd).size; }`);
        break;
      case 4:
        lines.push(`  const t${i} = setTimeout(() => use(${i}), ${i}); clearTimeout(t${i});`);
        break;
      case 5:
        lines.push(`  emitter.on('e${i}', () => use(total));`);
        break;
      case 6:
        lines.push(`  registry.register(fh, fh.fd, fh);`);
        break;
      default:
        lines.push(`  signal.addEventListener('abort', () => use(${i}));`);
    }
  }
  lines.push('  await fh.close();', '  use(fh.fd);', '  return total;', '}', '');
  return [{ name: 'long-mixed.ts', lines }];
}

/**
 * One class method of `n` blocks, each opening a handle of its own, using it and closing it:
 * `n` distinct owners (and as many closes) in one function, cycling through a FileHandle, a raw
 * fd, a socket and a FileHandle field of the class (every fourth block, so the class has n / 4
 * fields).
 */
function manyHandles(n) {
  const fields = [];
  const body = [];
  for (let i = 0; i < n; i++) {
    switch (i % 4) {
      case 0:
        body.push(`    const h${i} = await fsp.open(path, 'r');`, `    await h${i}.read(buffer, 0, 1, ${i});`, `    await h${i}.close();`);
        break;
      case 1:
        body.push(`    const fd${i} = fs.openSync(path, 'r');`, `    fs.fstatSync(fd${i});`, `    fs.closeSync(fd${i});`);
        break;
      case 2:
        body.push(`    const s${i} = net.connect(${i % 60000}, host);`, `    s${i}.write('x');`, `    s${i}.destroy();`);
        break;
      default:
        fields.push(`  private f${i}: FileHandle | undefined;`);
        body.push(`    this.f${i} = await fsp.open(path, 'r');`, `    await this.f${i}.stat();`, `    await this.f${i}.close();`);
    }
    // A call of one of the class's own methods: it may close any field, so the analysis forgets
    // the closed fields at each one (among as many closed variables).
    body.push('    this.tick();');
  }
  const lines = [
    ...PRELUDE,
    "import * as net from 'node:net';",
    '',
    'export class ManyHandles {',
    ...fields,
    '',
    '  private tick(): void {}',
    '',
    '  async run(path: string, host: string): Promise<void> {',
    '    const buffer = Buffer.alloc(1);',
    ...body,
    '  }',
    '}',
    '',
  ];
  return [{ name: 'many-handles.ts', lines }];
}

/**
 * One async function of `n` blocks that each open and close a FileHandle between tests of the
 * same conditions and an update of one counter: as many closed owners as blocks, facts of
 * repeated conditions to keep or drop at every node, and a variable with as many references.
 */
function manyConditions(n) {
  const lines = [
    ...PRELUDE,
    'export async function manyConditions(path: string, opts: { verbose: boolean; level: number }): Promise<number> {',
    '  let count = 0;',
  ];
  for (let i = 0; i < n; i++) {
    lines.push(
      `  const h${i} = await fsp.open(path, 'r');`,
      `  if (opts.verbose) use(${i});`,
      `  await h${i}.close();`,
      `  if (opts.level > ${i % 7}) count++;`,
      '  if (!opts.verbose) use(count);',
    );
  }
  lines.push('  return count;', '}', '');
  return [{ name: 'many-conditions.ts', lines }];
}

/** One function that may close the same socket on each of `n` branches, then writes to it. */
function manyCloses(n) {
  const lines = [...PRELUDE, "import * as net from 'node:net';", '', 'export function manyCloses(host: string, flags: boolean[]): void {'];
  lines.push('  const sock = net.connect(80, host);');
  for (let i = 0; i < n; i++) lines.push(`  if (flags[${i}]) sock.destroy();`);
  lines.push("  sock.write('x');", '}', '');
  return [{ name: 'many-closes.ts', lines }];
}

/**
 * One file of `n` small functions: the number of functions, not their length, grows. Cycles
 * through an async function that opens a FileHandle, reads its fd and closes it; one that closes
 * a raw fd; one that registers a callback using a handle; and a class whose method closes a field
 * another method reads after an await (every fourth, so n / 4 classes).
 */
function manyFunctions(n) {
  const body = [];
  for (let i = 0; i < n; i++) {
    switch (i % 4) {
      case 0:
        body.push(
          `export async function f${i}(path: string): Promise<number> { const fh = await fsp.open(path, 'r'); const fd = fh.fd; await fh.close(); return fd; }`,
        );
        break;
      case 1:
        body.push(`export function f${i}(path: string): void { const fd = fs.openSync(path, 'r'); fs.fstatSync(fd); fs.closeSync(fd); }`);
        break;
      case 2:
        body.push(`export function f${i}(fh: FileHandle, emitter: EventEmitter): void { emitter.on('data', () => use(fh.fd)); }`);
        break;
      default:
        body.push(
          `export class C${i} { private fh: FileHandle | undefined; async read(): Promise<void> { await Promise.resolve(); await this.fh?.stat(); } async close(): Promise<void> { await this.fh?.close(); this.fh = undefined; } }`,
        );
    }
  }
  return [{ name: 'many-functions.ts', lines: [...PRELUDE, ...body, ''] }];
}

/**
 * One async function of `n` blocks, each opening a FileHandle, keeping its fd and a copy of it,
 * using them in a timer and in a listener that also reads `prev` (rewritten with each block's fd),
 * then an await: n later callbacks read one local of n writes.
 */
function manyCallbacks(n) {
  const lines = [
    ...PRELUDE,
    'export async function manyCallbacks(path: string, buf: Buffer, emitter: EventEmitter): Promise<void> {',
    '  let prev = -1;',
  ];
  for (let i = 0; i < n; i++) {
    lines.push(
      `  const h${i} = await fsp.open(path, 'r');`,
      `  const fd${i} = h${i}.fd;`,
      `  const copy${i} = fd${i};`,
      `  setTimeout(() => fs.fstatSync(fd${i}), 0);`,
      `  emitter.on('x', () => { fs.readSync(copy${i}, buf); fs.fstatSync(prev); });`,
      `  prev = fd${i};`,
      `  await h${i}.stat();`,
    );
  }
  lines.push('}', '');
  return [{ name: 'many-callbacks.ts', lines }];
}

/**
 * An owner class of max(50, n / 10) FileHandle fields whose async method has `n` blocks, each
 * awaiting on one branch (`if (cI) await this.x();`), with a guard every fifth block (a return
 * when closed), a raw-fd read of one field and a write of another: states from different awaits
 * joined at every block.
 */
function manyJoins(n) {
  const fields = Math.max(50, n / 10);
  const lines = [...PRELUDE, 'export class Joins {', '  private closed = false;'];
  for (let j = 0; j < fields; j++) lines.push(`  private f${j}: FileHandle | undefined;`);
  lines.push('  private async x(): Promise<void> {}', '  async close(): Promise<void> {', '    this.closed = true;');
  for (let j = 0; j < fields; j++) lines.push(`    await this.f${j}?.close();`);
  lines.push('  }', '  async run(c: boolean[]): Promise<void> {');
  for (let i = 0; i < n; i++) {
    lines.push(`    if (c[${i}]) await this.x();`);
    if (i % 5 === 0) lines.push('    if (this.closed) return;');
    const read = (i * 7) % fields;
    const written = (i * 13 + 3) % fields;
    lines.push(`    fs.fstatSync(this.f${read}!.fd);`, `    this.f${written} = this.f${(written + 1) % fields};`);
  }
  lines.push('  }', '}', '');
  return [{ name: 'many-joins.ts', lines }];
}

/** One async function of `n` blocks, each handing a FileHandle off from a `try` whose `finally` closes it when it was not. */
function manyHandOffs(n) {
  const lines = [...PRELUDE, 'export async function manyHandOffs(path: string, flags: boolean[]): Promise<FileHandle | undefined> {'];
  for (let i = 0; i < n; i++) {
    lines.push(
      `  const h${i} = await fsp.open(path, 'r');`,
      '  try {',
      `    if (flags[${i}]) return h${i};`,
      '  } finally {',
      `    if (!flags[${i}]) await h${i}.close();`,
      '  }',
    );
  }
  lines.push('  return undefined;', '}', '');
  return [{ name: 'many-hand-offs.ts', lines }];
}

/**
 * One async function of `n` blocks, each opening a FileHandle (an await), keeping its fd and
 * posting the handle to a worker in a const object literal, then a use of every fd after one more
 * await: raw values live across ever more awaits, and messages whose values the checker would
 * type by walking the flow back to the function's start.
 */
function manyBorrows(n) {
  const lines = [
    ...PRELUDE,
    "declare const worker: import('node:worker_threads').Worker;",
    'export async function manyBorrows(path: string): Promise<void> {',
  ];
  for (let i = 0; i < n; i++) {
    lines.push(
      `  const h${i} = await fsp.open(path, 'r');`,
      `  const fd${i} = h${i}.fd;`,
      `  const m${i} = { file: h${i}, i: ${i} };`,
      `  worker.postMessage(m${i});`,
    );
  }
  lines.push('  await Promise.resolve();');
  for (let i = 0; i < n; i++) lines.push(`  fs.fsyncSync(fd${i});`);
  lines.push('}', '');
  return [{ name: 'many-borrows.ts', lines }];
}

/** One file of `n` local functions, each calling the next, the first called from an exit listener. */
function callChain(n) {
  const lines = [...PRELUDE, 'declare function flush(): Promise<void>;'];
  for (let i = 0; i < n; i++) lines.push(`function c${i}(): void { ${i + 1 < n ? `c${i + 1}();` : 'void flush();'} }`);
  lines.push("process.on('exit', () => c0());", '');
  return [{ name: 'call-chain.ts', lines }];
}

/**
 * One function that registers `n` process listeners, each on locals read from array elements, in
 * turn: an 'exit' listener closing a FileHandle (abandoned: the hazard) and an fd, an 'exit'
 * listener calling a helper of the file, a 'SIGTERM' handler that starts a cleanup and exits, a
 * 'beforeExit' listener. TypeScript narrows each `process` and each local's initializer by walking
 * the function's flow back to its start.
 */
function manyListeners(n) {
  const lines = [...PRELUDE, 'declare function flush(): Promise<void>;', 'declare const hs: FileHandle[];'];
  for (let i = 1; i < n; i += 4) lines.push(`function helper${i}(fd: number): void { fs.closeSync(fd); }`);
  lines.push('export function install(fds: number[]): void {');
  for (let i = 0; i < n; i++) {
    lines.push(`  const h${i} = hs[${i}]!; const fd${i} = fds[${i}]!;`);
    switch (i % 4) {
      case 0:
        lines.push(`  process.on('exit', () => { void h${i}.close(); fs.closeSync(fd${i}); });`);
        break;
      case 1:
        lines.push(`  process.on('exit', () => { helper${i}(fd${i}); });`);
        break;
      case 2:
        lines.push(`  process.on('SIGTERM', () => { void flush(); fs.closeSync(fd${i}); process.exit(1); });`);
        break;
      default:
        lines.push(`  process.on('beforeExit', () => { void h${i}.close(); });`);
    }
  }
  lines.push('}', '');
  return [{ name: 'many-listeners.ts', lines }];
}

/**
 * One inline 'exit' listener of `n` straight-line statements on array elements, in turn: a sync
 * close, a local helper, a write, an abandoned FileHandle close (the hazard). No branch: TypeScript's
 * narrowing of each element read walks back to the listener's start (and on through the top level).
 */
function longExitListener(n) {
  const lines = [
    ...PRELUDE,
    'declare const fds: number[];',
    'declare const hs: FileHandle[];',
    'declare const h: FileHandle;',
    'function helper(fd: number): void { fs.closeSync(fd); }',
    "process.on('exit', () => {",
  ];
  for (let i = 0; i < n; i++) {
    switch (i % 4) {
      case 0:
        lines.push(`  fs.closeSync(fds[${i}]!);`);
        break;
      case 1:
        lines.push(`  helper(fds[${i}]!);`);
        break;
      case 2:
        lines.push(`  fs.writeSync(fds[${i}]!, String(h.fd));`);
        break;
      default:
        lines.push(`  void hs[${i}]!.close();`);
    }
  }
  lines.push('});', '');
  return [{ name: 'long-exit-listener.ts', lines }];
}

/**
 * One owner class of `n` registrations: finalization registrations of fd fields (in the
 * constructor or a method; every 8th without a token, the hazard) unregistered in close(), and
 * 'abort' listeners on a signal field set from a constructor parameter, removed in close() but
 * every 8th (the hazard). Each listener asks where `this.signal` comes from.
 */
function manyRegistrations(n) {
  const fields = [];
  const constructor = [];
  const methods = [];
  const close = [];
  for (let i = 0; i < n; i++) {
    if (i % 2 === 0) {
      fields.push(`  fd${i} = 0;`, `  token${i} = {};`);
      const register = i % 8 === 0 ? `registry.register(this, this.fd${i});` : `registry.register(this, this.fd${i}, this.token${i});`;
      if (i % 8 !== 0) close.push(`    registry.unregister(this.token${i});`);
      if (i % 4 === 0) constructor.push(`    ${register}`);
      else methods.push(`  track${i}(): void {`, `    this.fd${i} = this.fh.fd;`, `    ${register}`, '  }');
    } else {
      fields.push(`  onAbort${i} = (): void => { void this.fh.close(); };`);
      if (i % 8 !== 7) close.push(`    this.signal.removeEventListener('abort', this.onAbort${i});`);
      methods.push(`  watch${i}(): void {`, `    this.signal.addEventListener('abort', this.onAbort${i});`, '  }');
    }
  }
  const lines = [
    ...PRELUDE,
    'export class Pool {',
    '  readonly fh: FileHandle;',
    '  readonly signal: AbortSignal;',
    ...fields,
    '  constructor(fh: FileHandle, signal: AbortSignal) {',
    '    this.fh = fh;',
    '    this.signal = signal;',
    ...constructor,
    '  }',
    ...methods,
    '  async close(): Promise<void> {',
    ...close,
    '    await this.fh.close();',
    '  }',
    '}',
    '',
  ];
  return [{ name: 'many-registrations.ts', lines }];
}

/** About `size` lines of the synthetic corpus's templates, in `files` files. */
function split(size, files) {
  const chunks = generateChunks(size);
  const per = Math.ceil(chunks.length / files);
  const out = [];
  for (let f = 0; f < files; f++) {
    const mine = chunks.slice(f * per, (f + 1) * per);
    if (mine.length === 0) break;
    out.push({ name: `part-${String(f).padStart(3, '0')}.ts`, lines: [...HEADER, ...mine.flat(), `export const PART_${f} = ${f};`, ''] });
  }
  return out;
}

function cases(quick) {
  const sizes = quick ? [1000, 2000] : [1000, 2000, 4000, 8000];
  const depths = quick ? [6, 12] : [6, 12, 24];
  const finallyDepths = quick ? [4, 8] : [4, 8, 16];
  const big = quick ? { size: 10000, files: 10, label: '10k', many: '10x1k' } : { size: 100000, files: 100, label: '100k', many: '100x1k' };
  return [
    ...depths.map(d => ({ name: `nest-${d}`, family: 'nest', size: d, make: () => nested(d) })),
    ...depths.map(d => ({ name: `try-${d}`, family: 'try', size: d, make: () => tryFinally(d, false) })),
    ...finallyDepths.map(d => ({ name: `finally-${d}`, family: 'finally', size: d, make: () => tryFinally(d, true) })),
    ...sizes.map(n => ({ name: `fd-${n}`, family: 'fd', size: n, make: () => longFd(n) })),
    ...sizes.map(n => ({ name: `mixed-${n}`, family: 'mixed', size: n, make: () => longMixed(n) })),
    ...sizes.map(n => ({ name: `handles-${n}`, family: 'handles', size: n, make: () => manyHandles(n) })),
    ...sizes.map(n => ({ name: `conditions-${n}`, family: 'conditions', size: n, make: () => manyConditions(n) })),
    ...sizes.map(n => ({ name: `closes-${n}`, family: 'closes', size: n, make: () => manyCloses(n) })),
    ...sizes.map(n => ({ name: `functions-${n}`, family: 'functions', size: n, make: () => manyFunctions(n) })),
    ...sizes.map(n => ({ name: `callbacks-${n}`, family: 'callbacks', size: n, make: () => manyCallbacks(n) })),
    ...sizes.map(n => ({ name: `joins-${n}`, family: 'joins', size: n, make: () => manyJoins(n) })),
    ...sizes.map(n => ({ name: `handoffs-${n}`, family: 'handoffs', size: n, make: () => manyHandOffs(n) })),
    ...sizes.map(n => ({ name: `borrows-${n}`, family: 'borrows', size: n, make: () => manyBorrows(n) })),
    ...sizes.map(n => ({ name: `chain-${n}`, family: 'chain', size: n, make: () => callChain(n) })),
    ...sizes.map(n => ({ name: `listeners-${n}`, family: 'listeners', size: n, make: () => manyListeners(n) })),
    ...sizes.map(n => ({ name: `exit-body-${n}`, family: 'exit-body', size: n, make: () => longExitListener(n) })),
    ...sizes.map(n => ({ name: `registrations-${n}`, family: 'registrations', size: n, make: () => manyRegistrations(n) })),
    // Ordered so that the ratio reads one file / many files.
    { name: `files-${big.many}`, family: 'split', size: 1, make: () => split(big.size, big.files) },
    { name: `one-file-${big.label}`, family: 'split', size: 2, make: () => split(big.size, 1) },
  ];
}

function write(c) {
  const dir = path.join(PATHO_DIR, c.name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), `${JSON.stringify(tsconfigFor(dir), null, 2)}\n`);
  const files = [];
  let lines = 0;
  for (const file of c.make()) {
    const full = path.join(dir, 'src', file.name);
    fs.writeFileSync(full, file.lines.join('\n'));
    files.push(full);
    lines += file.lines.length;
  }
  return { files, lines };
}

// ---------------------------------------------------------------------------------------
// Runs

function runChild(config, listFile, { plugin, limitS }) {
  const env = { ...process.env, NH_BENCH_PLUGIN: plugin, TIMING: 'all' };
  return new Promise(resolve => {
    const start = performance.now();
    const child = spawn(process.execPath, [CHILD, config, listFile], {
      cwd: REPO_DIR,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: false,
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, limitS * 1000);
    child.stdout.on('data', d => (stdout += d));
    child.stderr.on('data', d => (stderr += d));
    child.on('close', code => {
      clearTimeout(timer);
      const wallMs = performance.now() - start;
      const line = stdout.split('\n').find(l => l.startsWith('@@BENCH '));
      if (timedOut || !line) {
        resolve({
          ok: false,
          timedOut,
          code,
          wallMs,
          error: timedOut ? `over ${limitS} s` : (stderr || stdout).trim().split('\n').slice(-10).join('\n'),
        });
        return;
      }
      const report = JSON.parse(line.slice('@@BENCH '.length));
      const ruleTimes = {};
      for (const row of stdout.split('\n')) {
        const m = /^native-handle\/(\S+)\s*\|\s*([\d.]+)\s*\|/.exec(row);
        if (m) ruleTimes[m[1]] = Number(m[2]);
      }
      resolve({ ...report, ok: code === 0 && report.crashes.length === 0 && report.fatal.length === 0, code, wallMs, ruleTimes });
    });
  });
}

export async function runPatho({ quick = false, limitS, only, rules, plugin, reps = 3, confirmReps, log = s => process.stdout.write(s) }) {
  const allRules = rules ?? (await import(pathToPluginUrl(plugin)).then(m => Object.keys(m.default.rules)));
  limitS ??= quick ? 20 : 60;
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const results = [];
  for (const c of cases(quick)) {
    if (only && !only.some(prefix => c.name.startsWith(prefix))) continue;
    const { files, lines } = write(c);
    const listFile = path.join(RESULTS_DIR, `files-patho-${c.name}.json`);
    fs.writeFileSync(listFile, JSON.stringify(files));
    log(`${c.name} (${files.length} file(s), ${lines} lines): `);
    const times = {};
    const over = [];
    const failures = [];
    // Typed parsing of 100 k lines alone takes most of a minute on a loaded 2-core machine: the
    // one-file / many-files pair gets three times the limit.
    const caseLimitS = c.family === 'split' && !quick ? limitS * 3 : limitS;
    // Each case but the 100 k-line pair is linted `reps` times and each rule's time is the median:
    // a single run of a few hundred ms moves by ±40 % on a shared machine, and the doubling
    // ratios divide two such figures.
    const runs = c.family === 'split' ? 1 : reps;
    let all;
    const samples = Object.fromEntries(allRules.map(rule => [rule, []]));
    for (let run = 0; run < runs; run++) {
      all = await runChild(`R:${allRules.join(',')}`, listFile, { plugin, limitS: caseLimitS });
      if (!all.ok) break;
      for (const rule of allRules) samples[rule].push(all.ruleTimes[rule] ?? 0);
    }
    if (all.ok) {
      for (const rule of allRules) times[rule] = medianOf(samples[rule]);
      log(runs > 1 ? `all rules ok (median of ${runs})\n` : 'all rules ok\n');
    } else {
      log(all.timedOut ? `over ${caseLimitS} s with every rule; rule by rule: ` : 'failed; rule by rule: ');
      for (const rule of allRules) {
        const one = await runChild(`R:${rule}`, listFile, { plugin, limitS: caseLimitS });
        if (one.ok) times[rule] = one.ruleTimes[rule] ?? 0;
        else if (one.timedOut) over.push(rule);
        else failures.push({ rule, error: one.error ?? JSON.stringify([...(one.crashes ?? []), ...(one.fatal ?? [])]).slice(0, 400) });
        log(one.ok ? '.' : one.timedOut ? 'T' : '!');
      }
      log('\n');
    }
    results.push({
      name: c.name,
      family: c.family,
      size: c.size,
      files: files.length,
      lines,
      limitS: caseLimitS,
      timesMs: times,
      over,
      failures,
    });
  }
  const patho = { rules: allRules, limitS, results };
  patho.confirmations = await confirmDoublings(patho, { plugin, limitS, reps: confirmReps ?? (quick ? 3 : 5), log });
  return patho;
}

/** A doubling ratio over this (with every rule on) is measured again with the rule alone. */
const CONFIRM_OVER = 2.2;

/**
 * With every rule on, a rule's TIMING includes the checker work it is the first to ask for, and
 * which rule asks first can change from one size to the next; a ratio of two times of a few
 * hundred ms also moves by ±40 % on a shared machine. So each ratio over {@link CONFIRM_OVER} is
 * measured again as the issue means it, the rule's own time: that rule alone on both sizes, in
 * `reps` strictly alternating pairs (smaller size first, then the larger, then the reverse), the
 * ratio of the two medians. The budget reads this ratio where there is one.
 */
async function confirmDoublings(patho, { plugin, limitS, reps, log }) {
  const confirmations = [];
  for (const { family, from, to, ratios } of doublingRatios({ ...patho, confirmations: [] })) {
    for (const [rule, ratio] of Object.entries(ratios)) {
      if (ratio === undefined || ratio === Infinity || ratio <= CONFIRM_OVER || family === 'split') continue;
      log(`${rule}, ${to} / ${from} = ${ratio.toFixed(2)} with every rule on; the rule alone, ${reps} pairs: `);
      const lists = [from, to].map(name => path.join(RESULTS_DIR, `files-patho-${name}.json`));
      const samples = [[], []];
      let failed = false;
      for (let run = 0; run < reps && !failed; run++) {
        for (const i of run % 2 ? [1, 0] : [0, 1]) {
          const one = await runChild(`R:${rule}`, lists[i], { plugin, limitS });
          if (!one.ok) failed = true;
          else samples[i].push(one.ruleTimes[rule] ?? 0);
        }
      }
      const [ta, tb] = samples.map(medianOf);
      const alone = failed ? undefined : tb / Math.max(ta, 1);
      log(failed ? 'failed\n' : `${ta.toFixed(0)} → ${tb.toFixed(0)} ms, ${alone.toFixed(2)}\n`);
      confirmations.push({ rule, from, to, withAll: ratio, aloneMs: failed ? undefined : [ta, tb], alone });
    }
  }
  return confirmations;
}

function medianOf(xs) {
  const sorted = [...xs].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function pathToPluginUrl(plugin) {
  return new URL(`file://${path.resolve(plugin)}`).href;
}

const f0 = x => (x === undefined ? '–' : x.toFixed(0));
const f2 = x => (x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(2));

function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map(r => String(r[i]).length)));
  const line = r => `| ${r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join(' | ')} |`;
  const sep = `|${widths.map((w, i) => (i === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(rows[0]), sep, ...rows.slice(1).map(line)].join('\n');
}

/** Worst ratio per rule and family between consecutive sizes, T(next) / T(previous). */
export function doublingRatios(patho) {
  const out = [];
  const families = [...new Set(patho.results.map(r => r.family))];
  for (const family of families) {
    const rows = patho.results.filter(r => r.family === family).sort((a, b) => a.size - b.size);
    for (let i = 1; i < rows.length; i++) {
      const [a, b] = [rows[i - 1], rows[i]];
      const ratios = {};
      for (const rule of patho.rules) {
        const ta = a.timesMs[rule];
        const tb = b.timesMs[rule];
        const confirmed = patho.confirmations?.find(c => c.rule === rule && c.from === a.name && c.to === b.name);
        // Below 50 ms a ratio is noise (which rule first asks the checker moves such times around).
        ratios[rule] = b.over.includes(rule)
          ? Infinity
          : confirmed?.alone !== undefined
            ? confirmed.alone
            : ta === undefined || tb === undefined || Math.max(ta, tb) < 50
              ? undefined
              : tb / Math.max(ta, 1);
      }
      out.push({ family, from: a.name, to: b.name, ratios });
    }
  }
  return out;
}

export function pathoReport(patho) {
  const out = [];
  out.push(`Pathological cases: each rule's time (ms, ESLint TIMING; \`> ${patho.limitS} s\` = killed at the time limit):`);
  out.push('');
  const rows = [['rule', ...patho.results.map(r => r.name)]];
  for (const rule of patho.rules) {
    rows.push([
      rule,
      ...patho.results.map(r =>
        r.over.includes(rule) ? `> ${r.limitS} s` : r.failures.some(f => f.rule === rule) ? 'failed' : f0(r.timesMs[rule]),
      ),
    ]);
  }
  rows.push(['(lines)', ...patho.results.map(r => r.lines)]);
  out.push(table(rows));
  out.push('');
  const ratios = doublingRatios(patho);
  if (ratios.length > 0) {
    out.push(
      'Ratios T(next) / T(previous) between consecutive sizes (nesting depth and function length double; last column: the same code in one file against many files), – where both are under 50 ms:',
    );
    out.push('');
    const rrows = [['rule', ...ratios.map(r => `${r.to} / ${r.from}`)]];
    for (const rule of patho.rules)
      rrows.push([rule, ...ratios.map(r => (r.ratios[rule] === Infinity ? 'over limit' : f2(r.ratios[rule])))]);
    out.push(table(rrows));
    out.push('');
  }
  const confirmations = patho.confirmations ?? [];
  if (confirmations.length > 0) {
    out.push(
      `Ratios over ${CONFIRM_OVER} with every rule on, measured again with the rule alone (median of alternating runs of each size; the table above shows the second):`,
    );
    out.push('');
    const crows = [['rule', 'sizes', 'every rule on', 'rule alone (ms)', 'rule alone']];
    for (const c of confirmations)
      crows.push([c.rule, `${c.to} / ${c.from}`, f2(c.withAll), c.aloneMs ? c.aloneMs.map(f0).join(' → ') : 'failed', f2(c.alone)]);
    out.push(table(crows));
    out.push('');
  }
  const slowest = Math.max(0, ...patho.results.flatMap(r => Object.values(r.timesMs)));
  const worst = Math.max(0, ...ratios.filter(r => r.family !== 'split').flatMap(r => Object.values(r.ratios).filter(x => x !== undefined)));
  const anyOver = patho.results.some(r => r.over.length > 0);
  const failures = patho.results.flatMap(r => r.failures.map(f => ({ case: r.name, ...f })));
  return { text: out.join('\n'), slowestMs: anyOver ? Infinity : slowest, worstDoubling: worst, failures };
}

async function main(argv) {
  const opts = {
    quick: false,
    limitS: undefined,
    only: undefined,
    rules: undefined,
    plugin: path.join(REPO_DIR, 'dist', 'index.js'),
    json: path.join(RESULTS_DIR, 'patho.json'),
    reps: undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--quick') opts.quick = true;
    else if (arg === '--limit') opts.limitS = Number(argv[++i]);
    else if (arg === '--case') opts.only = argv[++i].split(',');
    else if (arg === '--rules') opts.rules = argv[++i].split(',');
    else if (arg === '--plugin') opts.plugin = path.resolve(argv[++i]);
    else if (arg === '--json') opts.json = path.resolve(argv[++i]);
    else if (arg === '--reps') opts.reps = Number(argv[++i]);
    else {
      // The header comment, up to the first line that is not one.
      const lines = fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n');
      const end = lines.findIndex((line, index) => index > 0 && !line.startsWith('//'));
      console.log(
        lines
          .slice(1, end)
          .map(l => l.replace(/^\/\/ ?/, ''))
          .join('\n'),
      );
      process.exit(arg === '--help' || arg === '-h' ? 0 : 2);
    }
  }
  const patho = await runPatho(opts);
  const rep = pathoReport(patho);
  console.log('');
  console.log(rep.text);
  for (const f of rep.failures) console.log(`FAILED ${f.case} ${f.rule}: ${f.error}`);
  fs.writeFileSync(opts.json, `${JSON.stringify(patho, null, 2)}\n`);
  console.log(`results: ${path.relative(process.cwd(), opts.json)}`);
  process.exitCode = rep.failures.length > 0 ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main(process.argv.slice(2));
}
