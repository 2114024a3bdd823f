// A bundler CLI that works in a temp directory and cleans it up at exit. 'exit' listeners
// run after the event loop has stopped; functions they call in this file are followed.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-'));
const lockFile = path.join(workDir, '.lock');
fs.writeFileSync(lockFile, String(process.pid));

function removeLockSync(): void {
  try {
    fs.unlinkSync(lockFile);
  } catch {
    // already gone
  }
}

function removeWorkDir(): void {
  removeLockSync();
  fs.rm(workDir, { recursive: true, force: true }, () => {}); // expect: no-cleanup-in-exit-handler
}

function writeStatus(code: number): void {
  fs.writeFileSync(path.join(os.tmpdir(), 'bundle-last-exit'), `${code}\n`);
}

/** Used by the build step only; never reached from an exit listener. */
export async function resetWorkDir(): Promise<void> {
  await fsp.rm(workDir, { recursive: true, force: true });
  await fsp.mkdir(workDir, { recursive: true });
}

process.on('exit', () => {
  removeWorkDir();
  console.log('bundle: cleaned up');
});

process.once('exit', async code => { // expect: no-cleanup-in-exit-handler
  await fsp.writeFile(path.join(workDir, 'status'), String(code)); // expect: no-cleanup-in-exit-handler
});

process.on('exit', code => {
  writeStatus(code);
  removeLockSync();
});

process.on('exit', () => fsp.rm(lockFile, { force: true })); // expect: no-cleanup-in-exit-handler

process.on('beforeExit', async () => {
  await fsp.rm(workDir, { recursive: true, force: true });
  await fsp.writeFile(path.join(os.tmpdir(), 'bundle-clean'), 'ok');
});

process.addListener('exit', () => {
  setTimeout(() => fs.rmSync(workDir, { recursive: true, force: true }), 0); // expect: no-cleanup-in-exit-handler
});
