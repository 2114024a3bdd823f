#!/usr/bin/env node
// Synthetic scaling corpus for `npm run bench` (bench/run.mjs).
//
//   node bench/gen-corpus.mjs [--out <dir>] [--seed <n>] [size...]
//
//   size...      line counts to generate (default: 1000 10000 100000); written to
//                <out>/synthetic-<size>/ (default out: bench/corpus, git-ignored)
//   --seed <n>   PRNG seed (default 20261122): the same seed and size always give the same bytes
//
// Each corpus is a small TypeScript project (tsconfig.json with the repo's @types/node) of
// files ~150-700 lines long, filled from the templates below: owner classes around FileHandles,
// sockets, servers and workers; async methods with and without liveness guards; raw-fd use
// (hazards and safe code); process exit / signal handlers; the hazards of the four ownership
// rules (FinalizationRegistry, abort listeners, setInterval in owners, fs.close(fh.fd),
// createReadStream({ fd: fh.fd }), postMessage, use after close); and plain application code
// with no native resource at all, which is most of any real code base.
//
// About 10% of the lines of each corpus sit in very long functions and very long classes whose
// length grows with the corpus (longest function and longest class ≈ 5% of the corpus each:
// ~50 lines at 1k, ~500 at 10k, ~5000 at 100k). An analysis that is quadratic in the size of a
// function or class body shows up as a per-line cost that grows from 10k to 100k.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const REPO_DIR = path.resolve(BENCH_DIR, '..');
export const DEFAULT_SEED = 20261122;
export const DEFAULT_SIZES = [1000, 10000, 100000];

// ---------------------------------------------------------------------------------------
// Seeded PRNG (mulberry32)

function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: list => list[Math.floor(next() * list.length)],
    chance: p => next() < p,
  };
}

const NOUNS = [
  'Log',
  'Journal',
  'Spool',
  'Device',
  'Tty',
  'Pipe',
  'Fifo',
  'Archive',
  'Index',
  'Segment',
  'Snapshot',
  'Cache',
  'Ledger',
  'Queue',
  'Store',
  'Blob',
  'Chunk',
  'Table',
  'Cursor',
  'Stream',
  'Channel',
  'Session',
  'Link',
  'Port',
  'Sensor',
  'Modem',
  'Camera',
  'Printer',
  'Tape',
  'Volume',
];
const ROLES = [
  'Reader',
  'Writer',
  'Tailer',
  'Sampler',
  'Reservoir',
  'Pool',
  'Mirror',
  'Relay',
  'Collector',
  'Watcher',
  'Handle',
  'Client',
  'Server',
  'Bridge',
  'Agent',
  'Worker',
];
const VERBS = [
  'load',
  'fetch',
  'scan',
  'sync',
  'flush',
  'probe',
  'drain',
  'refresh',
  'compact',
  'collect',
  'verify',
  'replay',
  'rotate',
  'measure',
  'index',
  'merge',
];
const FIELDS = ['count', 'total', 'offset', 'limit', 'bytes', 'errors', 'retries', 'version', 'weight', 'depth'];

// ---------------------------------------------------------------------------------------
// Templates. Each returns an array of lines. `u` is a unique suffix so names never clash.

export const HEADER = [
  "import * as fs from 'node:fs';",
  "import * as fsp from 'node:fs/promises';",
  "import type { FileHandle } from 'node:fs/promises';",
  "import * as net from 'node:net';",
  "import * as dgram from 'node:dgram';",
  "import * as path from 'node:path';",
  "import { EventEmitter } from 'node:events';",
  "import { Worker, MessageChannel, BroadcastChannel } from 'node:worker_threads';",
  '',
  'export interface Options { readonly path: string; readonly size: number; readonly signal?: AbortSignal }',
  'export interface Row { id: number; name: string; tags: string[]; score: number }',
  '',
];

function ownerClass(r, u) {
  const name = `${r.pick(NOUNS)}${r.pick(ROLES)}${u}`;
  const guardStyle = r.int(0, 2); // 0: throwIfClosed(), 1: if (this.closed) return, 2: none (hazard)
  const lines = [
    `/** An owner class: holds a FileHandle and reads from it. */`,
    `export class ${name} extends EventEmitter {`,
    `  private fh: FileHandle | undefined;`,
    `  private closed = false;`,
    `  private readonly buffer = Buffer.alloc(${r.pick([512, 4096, 65536])});`,
    `  private ${r.pick(FIELDS)} = 0;`,
    '',
    `  constructor(private readonly file: string) {`,
    `    super();`,
    `  }`,
    '',
    `  private throwIfClosed(): void {`,
    `    if (this.closed) throw new Error('${name} is closed');`,
    `  }`,
    '',
    `  async open(): Promise<void> {`,
    `    this.fh = await fsp.open(this.file, 'r');`,
    `  }`,
    '',
  ];
  for (let m = 0, n = r.int(2, 5); m < n; m++) {
    const verb = `${r.pick(VERBS)}${m}`;
    lines.push(`  async ${verb}(position: number): Promise<number> {`);
    lines.push(`    const fh = this.fh;`);
    lines.push(`    if (!fh) throw new Error('not open');`);
    lines.push(`    const stat = await fh.stat();`);
    if (guardStyle === 0) lines.push(`    this.throwIfClosed();`);
    else if (guardStyle === 1) lines.push(`    if (this.closed) return 0;`);
    lines.push(`    const size = Math.min(this.buffer.length, stat.size - position);`);
    lines.push(`    if (size <= 0) return 0;`);
    lines.push(`    const { bytesRead } = await this.fh!.read(this.buffer, 0, size, position);`);
    if (r.chance(0.5)) {
      lines.push(`    for (let i = 0; i < bytesRead; i++) {`);
      lines.push(`      if (this.buffer[i] === 10) this.emit('line', i);`);
      lines.push(`    }`);
    }
    lines.push(`    return bytesRead;`);
    lines.push(`  }`);
    lines.push('');
  }
  if (r.chance(0.4)) {
    // A pending read stored on this and closed without cancelling: no-close-with-pending-ops.
    lines.push(`  private pending: Promise<unknown> | undefined;`);
    lines.push(`  start(): void {`);
    lines.push(`    if (this.fh) this.pending = this.fh.read(this.buffer, 0, this.buffer.length, 0);`);
    lines.push(`  }`);
    lines.push('');
  }
  lines.push(`  async close(): Promise<void> {`);
  lines.push(`    if (this.closed) return;`);
  lines.push(`    this.closed = true;`);
  lines.push(`    await this.fh?.close();`);
  lines.push(`    this.fh = undefined;`);
  lines.push(`  }`);
  lines.push(`}`);
  lines.push('');
  return lines;
}

function socketOwner(r, u) {
  const name = `${r.pick(NOUNS)}Connection${u}`;
  return [
    `export class ${name} {`,
    `  private readonly socket: net.Socket;`,
    `  private readonly queue: Buffer[] = [];`,
    `  private timer: NodeJS.Timeout | undefined;`,
    '',
    `  constructor(host: string, port: number) {`,
    `    this.socket = net.connect({ host, port });`,
    `    this.socket.on('data', chunk => this.queue.push(chunk));`,
    r.chance(0.5) ? `    this.timer = setInterval(() => this.socket.write('ping'), ${r.int(1, 60)}_000);` : `    this.timer = undefined;`,
    `  }`,
    '',
    `  async request(payload: string): Promise<Buffer> {`,
    `    await new Promise<void>(resolve => this.socket.write(payload, () => resolve()));`,
    r.chance(0.5) ? `    if (this.socket.destroyed) throw new Error('connection closed');` : `    // no liveness check here`,
    `    this.socket.write('\\n');`,
    `    const reply = this.queue.shift();`,
    `    return reply ?? Buffer.alloc(0);`,
    `  }`,
    '',
    `  destroy(): void {`,
    r.chance(0.5) ? `    clearInterval(this.timer);` : `    // the interval is left running`,
    `    this.socket.destroy();`,
    `  }`,
    `}`,
    '',
  ];
}

function rawFdUse(r, u) {
  const variant = r.int(0, 4);
  const fn = `${r.pick(VERBS)}Raw${u}`;
  if (variant === 0) {
    return [
      // hazard: raw fd used after an await
      `export async function ${fn}(fh: FileHandle, out: Buffer): Promise<number> {`,
      `  const fd = fh.fd;`,
      `  await new Promise(resolve => setTimeout(resolve, ${r.int(1, 50)}));`,
      `  return fs.readSync(fd, out, 0, out.length, 0);`,
      `}`,
      '',
    ];
  }
  if (variant === 1) {
    return [
      // safe: used in the same statement
      `export function ${fn}(fh: FileHandle): number {`,
      `  return fs.fstatSync(fh.fd).size;`,
      `}`,
      '',
    ];
  }
  if (variant === 2) {
    return [
      // safe: local used synchronously before any await
      `export async function ${fn}(fh: FileHandle, out: Buffer): Promise<number> {`,
      `  const fd = fh.fd;`,
      `  const n = fs.readSync(fd, out, 0, out.length, null);`,
      `  fs.fsyncSync(fd);`,
      `  await fh.sync();`,
      `  return n;`,
      `}`,
      '',
    ];
  }
  if (variant === 3) {
    return [
      // hazard: raw fd stored and returned from a callback
      `export function ${fn}(fh: FileHandle, registry: Map<string, number>): void {`,
      `  setTimeout(() => registry.set('${fn}', fh.fd), 10);`,
      `}`,
      '',
    ];
  }
  return [
    // no-raw-handle-close / no-handle-adoption hazards
    `export async function ${fn}(file: string): Promise<void> {`,
    `  const fh = await fsp.open(file, 'r');`,
    r.chance(0.5)
      ? `  const stream = fs.createReadStream(file, { fd: fh.fd });`
      : `  const stream = fs.createReadStream(file, { fd: fh });`,
    `  stream.on('data', chunk => console.log(chunk.length));`,
    `  await new Promise<void>(resolve => stream.on('end', () => resolve()));`,
    r.chance(0.5) ? `  fs.close(fh.fd, () => undefined);` : `  await fh.close();`,
    `}`,
    '',
  ];
}

function exitHandlers(r, u) {
  const variant = r.int(0, 3);
  const file = `'/tmp/${r.pick(NOUNS).toLowerCase()}-${u}.pid'`;
  if (variant === 0) {
    return [
      `export function installCleanup${u}(): void {`,
      `  process.on('exit', () => {`,
      `    try { fs.unlinkSync(${file}); } catch { /* gone */ }`,
      `  });`,
      `}`,
      '',
    ];
  }
  if (variant === 1) {
    return [
      // hazard: async work in an exit listener
      `export function installCleanup${u}(): void {`,
      `  process.once('exit', async () => {`,
      `    await fsp.unlink(${file});`,
      `  });`,
      `}`,
      '',
    ];
  }
  if (variant === 2) {
    return [
      // hazard: process.exit() after an un-awaited promise in a signal handler
      `async function flush${u}(): Promise<void> {`,
      `  await fsp.writeFile(${file}, String(process.pid));`,
      `}`,
      `export function installSignals${u}(): void {`,
      `  process.on('SIGTERM', () => {`,
      `    void flush${u}();`,
      `    process.exit(0);`,
      `  });`,
      `}`,
      '',
    ];
  }
  return [
    // safe: followed helper, synchronous
    `function removePid${u}(): void {`,
    `  if (fs.existsSync(${file})) fs.rmSync(${file});`,
    `}`,
    `export function installExit${u}(): void {`,
    `  process.on('exit', () => removePid${u}());`,
    `  process.on('beforeExit', async () => { await fsp.rm(${file}, { force: true }); });`,
    `}`,
    '',
  ];
}

function serverCode(r, u) {
  return [
    `export function startServer${u}(port: number): net.Server {`,
    `  const sockets = new Set<net.Socket>();`,
    `  const server = net.createServer(socket => {`,
    `    sockets.add(socket);`,
    `    socket.on('close', () => sockets.delete(socket));`,
    `    socket.on('data', data => socket.write(data));`,
    `  });`,
    `  server.listen(port);`,
    `  process.on('SIGINT', () => {`,
    `    for (const socket of sockets) socket.destroy();`,
    `    server.close();`,
    `  });`,
    `  return server;`,
    `}`,
    '',
    `export function udp${u}(message: string): void {`,
    `  const socket = dgram.createSocket('udp4');`,
    r.chance(0.5)
      ? `  socket.send(message, ${r.int(1000, 9000)}, 'localhost', () => socket.close());`
      : `  socket.send(message, ${r.int(1000, 9000)}, 'localhost');\n  socket.close();`,
    `}`,
    '',
  ];
}

function ownershipHazards(r, u) {
  const variant = r.int(0, 4);
  if (variant === 0) {
    return [
      // FinalizationRegistry register of a raw handle
      `const registry${u} = new FinalizationRegistry<number>(fd => fs.closeSync(fd));`,
      `export class Tracked${u} {`,
      `  constructor(private readonly fh: FileHandle) {`,
      r.chance(0.5) ? `    registry${u}.register(this, fh.fd, this);` : `    registry${u}.register(this, fh.fd);`,
      `  }`,
      `  async close(): Promise<void> {`,
      `    registry${u}.unregister(this);`,
      `    await this.fh.close();`,
      `  }`,
      `}`,
      '',
    ];
  }
  if (variant === 1) {
    return [
      // abort listener on a signal from outside
      `export class Waiter${u} {`,
      `  private readonly fh: FileHandle;`,
      `  constructor(fh: FileHandle, signal: AbortSignal) {`,
      `    this.fh = fh;`,
      r.chance(0.5)
        ? `    signal.addEventListener('abort', () => void this.fh.close());`
        : `    signal.addEventListener('abort', () => void this.fh.close(), { once: true });`,
      `  }`,
      `  async close(): Promise<void> {`,
      `    await this.fh.close();`,
      `  }`,
      `}`,
      '',
    ];
  }
  if (variant === 2) {
    return [
      // postMessage of an owner / raw handle
      `export async function handOff${u}(worker: Worker, file: string): Promise<void> {`,
      `  const fh = await fsp.open(file, 'r');`,
      r.chance(0.5) ? `  worker.postMessage({ fd: fh.fd });` : `  worker.postMessage({ fh }, [fh]);`,
      `  const channel = new MessageChannel();`,
      `  channel.port1.postMessage('ready');`,
      `  const bc = new BroadcastChannel('b${u}');`,
      `  bc.postMessage({ file });`,
      `  bc.close();`,
      `}`,
      '',
    ];
  }
  if (variant === 3) {
    return [
      // use after close
      `export async function copy${u}(src: string, dst: string): Promise<void> {`,
      `  const input = await fsp.open(src, 'r');`,
      `  const output = await fsp.open(dst, 'w');`,
      `  const { buffer } = await input.read({ buffer: Buffer.alloc(1024) });`,
      `  await output.write(buffer);`,
      `  await input.close();`,
      r.chance(0.5) ? `  await input.stat();` : `  await output.stat();`,
      `  await output.close();`,
      `}`,
      '',
    ];
  }
  return [
    // socket adoption
    `export function adopt${u}(fh: FileHandle): net.Socket {`,
    r.chance(0.5) ? `  return new net.Socket({ fd: fh.fd });` : `  return new net.Socket({ fd: ${r.int(3, 9)} });`,
    `}`,
    '',
  ];
}

function plainCode(r, u) {
  // Application code with no native resource at all: data shaping, generics, async I/O on
  // promises that are no owners, string handling.
  const variant = r.int(0, 3);
  const T = `${r.pick(NOUNS)}Record${u}`;
  if (variant === 0) {
    return [
      `export interface ${T} { readonly id: number; readonly label: string; readonly values: readonly number[] }`,
      '',
      `export function summarize${u}(rows: readonly ${T}[]): Map<string, { n: number; mean: number }> {`,
      `  const out = new Map<string, { n: number; mean: number }>();`,
      `  for (const row of rows) {`,
      `    const sum = row.values.reduce((a, b) => a + b, 0);`,
      `    const prev = out.get(row.label) ?? { n: 0, mean: 0 };`,
      `    const n = prev.n + row.values.length;`,
      `    out.set(row.label, { n, mean: n === 0 ? 0 : (prev.mean * prev.n + sum) / n });`,
      `  }`,
      `  return out;`,
      `}`,
      '',
      `export function topN${u}<K>(counts: Map<K, number>, n: number): K[] {`,
      `  return [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k]) => k);`,
      `}`,
      '',
    ];
  }
  if (variant === 1) {
    return [
      `export class ${T}Cache<V> {`,
      `  private readonly entries = new Map<string, { value: V; expires: number }>();`,
      `  constructor(private readonly ttl: number = ${r.int(100, 10000)}) {}`,
      `  get(key: string): V | undefined {`,
      `    const entry = this.entries.get(key);`,
      `    if (!entry) return undefined;`,
      `    if (entry.expires < Date.now()) {`,
      `      this.entries.delete(key);`,
      `      return undefined;`,
      `    }`,
      `    return entry.value;`,
      `  }`,
      `  set(key: string, value: V): this {`,
      `    this.entries.set(key, { value, expires: Date.now() + this.ttl });`,
      `    return this;`,
      `  }`,
      `  async getOrLoad(key: string, load: (key: string) => Promise<V>): Promise<V> {`,
      `    const hit = this.get(key);`,
      `    if (hit !== undefined) return hit;`,
      `    const value = await load(key);`,
      `    this.set(key, value);`,
      `    return value;`,
      `  }`,
      `}`,
      '',
    ];
  }
  if (variant === 2) {
    return [
      `export async function readConfig${u}(dir: string): Promise<Record<string, string>> {`,
      `  const text = await fsp.readFile(path.join(dir, 'config-${u}.ini'), 'utf8');`,
      `  const out: Record<string, string> = {};`,
      `  for (const line of text.split('\\n')) {`,
      `    const trimmed = line.trim();`,
      `    if (trimmed === '' || trimmed.startsWith('#')) continue;`,
      `    const eq = trimmed.indexOf('=');`,
      `    if (eq < 0) continue;`,
      `    out[trimmed.slice(0, eq).trim()] = trimmed.slice(eq + 1).trim();`,
      `  }`,
      `  return out;`,
      `}`,
      '',
      `export const parsePort${u} = (value: string | undefined, fallback: number): number => {`,
      `  const n = Number(value);`,
      `  return Number.isInteger(n) && n > 0 && n < 65536 ? n : fallback;`,
      `};`,
      '',
    ];
  }
  return [
    `export type Event${u} = { kind: 'start'; at: number } | { kind: 'stop'; at: number; code: number } | { kind: 'tick' };`,
    '',
    `export function describe${u}(event: Event${u}): string {`,
    `  switch (event.kind) {`,
    `    case 'start':`,
    `      return \`started at \${event.at}\`;`,
    `    case 'stop':`,
    `      return \`stopped at \${event.at} with \${event.code}\`;`,
    `    default:`,
    `      return 'tick';`,
    `  }`,
    `}`,
    '',
    `export async function retry${u}<T>(fn: () => Promise<T>, attempts = ${r.int(2, 6)}): Promise<T> {`,
    `  let last: unknown;`,
    `  for (let i = 0; i < attempts; i++) {`,
    `    try {`,
    `      return await fn();`,
    `    } catch (error) {`,
    `      last = error;`,
    `      await new Promise(resolve => setTimeout(resolve, 2 ** i * 10));`,
    `    }`,
    `  }`,
    `  throw last;`,
    `}`,
    '',
  ];
}

/** One async function of about `target` lines: many awaits, branches, loops, raw-fd reads. */
function longFunction(r, u, target) {
  const lines = [
    `export async function longPipeline${u}(file: string, rows: Row[], options: Options): Promise<number> {`,
    `  const fh = await fsp.open(file, 'r');`,
    `  const out = Buffer.alloc(options.size);`,
    `  let total = 0;`,
    `  let position = 0;`,
    `  try {`,
  ];
  let step = 0;
  while (lines.length < target - 6) {
    step++;
    const kind = r.int(0, 5);
    if (kind === 0) {
      lines.push(`    const r${step} = await fh.read(out, 0, out.length, position);`);
      lines.push(`    position += r${step}.bytesRead;`);
      lines.push(`    if (r${step}.bytesRead === 0) return total;`);
    } else if (kind === 1) {
      lines.push(`    for (const row of rows) {`);
      lines.push(`      if (row.score > ${step}) {`);
      lines.push(`        total += row.tags.length;`);
      lines.push(`      } else if (row.name.startsWith('${step}')) {`);
      lines.push(`        total -= 1;`);
      lines.push(`      }`);
      lines.push(`    }`);
    } else if (kind === 2) {
      lines.push(`    const fd${step} = fh.fd;`);
      lines.push(`    total += fs.fstatSync(fd${step}).size;`);
    } else if (kind === 3) {
      lines.push(`    if (options.signal?.aborted) {`);
      lines.push(`      throw new Error('aborted at step ${step}');`);
      lines.push(`    }`);
      lines.push(`    await new Promise<void>(resolve => setImmediate(() => resolve()));`);
    } else if (kind === 4) {
      lines.push(`    const s${step} = await fh.stat();`);
      lines.push(`    total = s${step}.size > total ? total + 1 : total;`);
    } else {
      lines.push(`    switch (total % 3) {`);
      lines.push(`      case 0: total += ${step}; break;`);
      lines.push(`      case 1: total *= 2; break;`);
      lines.push(`      default: total = Math.floor(total / 2);`);
      lines.push(`    }`);
    }
  }
  lines.push(`  } finally {`);
  lines.push(`    await fh.close();`);
  lines.push(`  }`);
  lines.push(`  return total;`);
  lines.push(`}`);
  lines.push('');
  return lines;
}

/** One owner class of about `target` lines: many async methods over the same resources. */
function longClass(r, u, target) {
  const lines = [
    `export class LongOwner${u} {`,
    `  private fh: FileHandle | undefined;`,
    `  private readonly socket = new net.Socket();`,
    `  private closed = false;`,
    `  private readonly buffer = Buffer.alloc(4096);`,
    '',
    `  private throwIfClosed(): void {`,
    `    if (this.closed) throw new Error('closed');`,
    `  }`,
    '',
  ];
  let m = 0;
  while (lines.length < target - 8) {
    m++;
    const kind = r.int(0, 3);
    lines.push(`  async method${m}(position: number): Promise<number> {`);
    if (kind === 0) {
      lines.push(`    await new Promise(resolve => setTimeout(resolve, ${m}));`);
      lines.push(`    this.throwIfClosed();`);
      lines.push(`    const { bytesRead } = await this.fh!.read(this.buffer, 0, 64, position);`);
      lines.push(`    return bytesRead;`);
    } else if (kind === 1) {
      lines.push(`    const fh = this.fh;`);
      lines.push(`    if (!fh) return 0;`);
      lines.push(`    const st = await fh.stat();`);
      lines.push(`    this.socket.write(String(st.size + position));`);
      lines.push(`    return st.size;`);
    } else if (kind === 2) {
      lines.push(`    let sum = 0;`);
      lines.push(`    for (let i = 0; i < position; i++) {`);
      lines.push(`      sum += await this.method${Math.max(1, m - 1)}(i);`);
      lines.push(`      if (this.closed) break;`);
      lines.push(`    }`);
      lines.push(`    return sum;`);
    } else {
      lines.push(`    const fd = this.fh?.fd ?? -1;`);
      lines.push(`    return fd >= 0 ? fs.fstatSync(fd).size : position;`);
    }
    lines.push(`  }`);
    lines.push('');
  }
  lines.push(`  async close(): Promise<void> {`);
  lines.push(`    this.closed = true;`);
  lines.push(`    this.socket.destroy();`);
  lines.push(`    await this.fh?.close();`);
  lines.push(`  }`);
  lines.push(`}`);
  lines.push('');
  return lines;
}

// Relative weights of the ordinary templates (plain code dominates, as in real code bases).
const TEMPLATES = [
  [ownerClass, 4],
  [socketOwner, 2],
  [rawFdUse, 3],
  [exitHandlers, 2],
  [serverCode, 1],
  [ownershipHazards, 3],
  [plainCode, 10],
];
const TOTAL_WEIGHT = TEMPLATES.reduce((a, [, w]) => a + w, 0);

function pickTemplate(r) {
  let x = r.next() * TOTAL_WEIGHT;
  for (const [fn, w] of TEMPLATES) {
    if ((x -= w) < 0) return fn;
  }
  return TEMPLATES[0][0];
}

// ---------------------------------------------------------------------------------------

export function tsconfigFor(dir) {
  const typeRoots = path
    .relative(dir, path.join(REPO_DIR, 'node_modules', '@types'))
    .split(path.sep)
    .join('/');
  return {
    compilerOptions: {
      target: 'es2022',
      lib: ['es2023', 'esnext.disposable'],
      module: 'preserve',
      moduleResolution: 'bundler',
      strict: true,
      skipLibCheck: true,
      noEmit: true,
      typeRoots: [typeRoots],
      types: ['node'],
    },
    include: ['src/**/*.ts'],
  };
}

/** Writes the corpus of about `size` lines to `dir`; returns { files, lines }. */
export function generate(size, dir, seed = DEFAULT_SEED) {
  const r = rng(seed ^ size);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(tsconfigFor(dir), null, 2) + '\n');

  const files = [];
  let u = 0;
  let total = 0;
  // Long code first: one longest function and one longest class (~5% of the corpus each),
  // written to files of their own.
  const longest = Math.max(40, Math.round(size * 0.05));
  for (const [kind, make] of [
    ['function', longFunction],
    ['class', longClass],
  ]) {
    const lines = [...HEADER, ...make(r, ++u, longest)];
    files.push({ name: `long-${kind}.ts`, lines });
    total += lines.length;
  }
  let fileIndex = 0;
  while (total < size) {
    const target = Math.min(r.int(150, 700), Math.max(60, size - total));
    const lines = [...HEADER];
    while (lines.length < target) lines.push(...pickTemplate(r)(r, ++u));
    lines.push(`export const MODULE_${fileIndex} = ${fileIndex};`, '');
    files.push({ name: `${path.basename(dir)}-${String(fileIndex++).padStart(4, '0')}.ts`, lines });
    total += lines.length;
  }
  let written = 0;
  for (const file of files) {
    const text = file.lines.join('\n');
    written += text.split('\n').length;
    fs.writeFileSync(path.join(dir, 'src', file.name), text);
  }
  return { files: files.length, lines: written };
}

/**
 * About `size` lines of the ordinary templates (no long function or class), as a list of
 * chunks with unique names: `bench/patho.mjs` puts the same chunks in one file or in many.
 */
export function generateChunks(size, seed = DEFAULT_SEED) {
  const r = rng(seed ^ size ^ 0x5a5a);
  const chunks = [];
  let total = 0;
  let u = 0;
  while (total < size) {
    const chunk = pickTemplate(r)(r, ++u);
    chunks.push(chunk);
    total += chunk.length;
  }
  return chunks;
}

function main(argv) {
  let out = path.join(BENCH_DIR, 'corpus');
  let seed = DEFAULT_SEED;
  const sizes = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out') out = path.resolve(argv[++i]);
    else if (argv[i] === '--seed') seed = Number(argv[++i]);
    else sizes.push(Number(argv[i]));
  }
  for (const size of sizes.length > 0 ? sizes : DEFAULT_SIZES) {
    const dir = path.join(out, `synthetic-${size}`);
    const { files, lines } = generate(size, dir, seed);
    console.log(`${path.relative(process.cwd(), dir)}: ${files} files, ${lines} lines`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2));
}
