// A log rotation daemon (think a tiny logrotate): it compresses the active log when it grows
// and persists its state at exit. The structured logger has a synchronous flush for exactly
// this case; its async flush() returns a thenable. `node:process` is imported under a name.
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import nodeProcess from 'node:process';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { Logger } from 'structured-log-native';

const logDir = '/var/log/app';
const activePath = path.join(logDir, 'current.log');
const log = new Logger('/var/log/rotor/rotor.log');
const state = { rotated: 0, lastRun: 0 };
const stateFd = fs.openSync('/var/lib/rotor/state.json', 'w');
const active = fs.createWriteStream(activePath, { flags: 'a' });
const ticker = setInterval(() => void rotateIfNeeded(), 60_000);

async function rotateIfNeeded(): Promise<void> {
  const { size } = await fsp.stat(activePath);
  if (size < 50 << 20) return;
  const target = path.join(logDir, `${Date.now()}.log.gz`);
  await pipeline(fs.createReadStream(activePath), zlib.createGzip(), fs.createWriteStream(target));
  await fsp.truncate(activePath, 0);
  state.rotated++;
  state.lastRun = Date.now();
}

const persistState = (): void => {
  fs.ftruncateSync(stateFd, 0);
  fs.writeSync(stateFd, JSON.stringify(state), 0);
  fs.fsyncSync(stateFd);
};

function stopTimers(): void {
  clearInterval(ticker);
}

/** Compresses whatever plain logs are left, synchronously (zlib's sync twin). */
function compressLeftovers(dir: string): void {
  for (const ent of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, ent.name);
    if (ent.isDirectory()) compressLeftovers(full);
    else if (ent.name.endsWith('.old')) {
      fs.writeFileSync(`${full}.gz`, zlib.gzipSync(fs.readFileSync(full)));
      fs.unlinkSync(full);
    }
  }
}

function closeActive(): void {
  if (!active.closed) active.end('-- rotor stopped --\n'); // expect: no-cleanup-in-exit-handler
}

nodeProcess.on('exit', () => {
  stopTimers();
  persistState();
  compressLeftovers(logDir);
  log.flushSync();
});

process.once('exit', code => {
  log.info('rotor exiting', { code, rotated: state.rotated });
  log.flush(); // expect: no-cleanup-in-exit-handler
});

nodeProcess.on('exit', () => {
  void fsp.unlink('/run/rotor.lock'); // expect: no-cleanup-in-exit-handler
});

process.on('exit', () => closeActive());

process.on('exit', () => {
  try {
    fs.unlinkSync('/run/rotor.lock');
  } catch {
    // not ours
  }
});

process.on('SIGUSR1', () => {
  log.info('rotation requested');
  void rotateIfNeeded();
});

process.on('SIGTERM', async () => {
  stopTimers();
  const rotating = rotateIfNeeded();
  await rotating;
  await log.flush();
  process.exit(0);
});

process.on('SIGQUIT', () => {
  const rotating = rotateIfNeeded();
  persistState();
  console.error('SIGQUIT while rotating:', rotating !== undefined);
  process.exit(131); // expect: no-cleanup-in-exit-handler
});

process.on('uncaughtException', err => {
  fsp.appendFile('/var/log/rotor/crash.log', `${err.stack ?? String(err)}\n`);
  process.exit(70); // expect: no-cleanup-in-exit-handler
});

process.on('unhandledRejection', reason => {
  log.info('unhandled rejection', { reason: String(reason) });
  log.flushSync();
  persistState();
  process.exit(70);
});

process.on('beforeExit', () => {
  void rotateIfNeeded();
  setTimeout(() => log.flushSync(), 10);
});

/** One rotation run; its 'exit' event is the run's, not the process's. */
class RotationRun extends EventEmitter {}

export function startRun(): RotationRun {
  const run = new RotationRun();
  run.on('exit', async () => {
    await log.flush();
    await fsp.writeFile('/var/lib/rotor/last-run', String(Date.now()));
  });
  return run;
}
