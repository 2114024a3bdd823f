// A cache CLI: listeners written as function expressions and named arrow constants, a
// recursive sync helper (followed once), and process events that are not 'exit'.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';

const cacheRoot = path.join(process.cwd(), '.cache', 'tool');
const scratch = path.join(cacheRoot, `scratch-${process.pid}`);
fs.mkdirSync(scratch, { recursive: true });

function removeTree(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) removeTree(full);
    else fs.unlinkSync(full);
  }
  fs.rmdir(dir, () => {}); // expect: no-cleanup-in-exit-handler
}

function removeTreeSync(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) removeTreeSync(full);
    else fs.unlinkSync(full);
  }
  fs.rmdirSync(dir);
}

const pruneCache = async (): Promise<void> => { // expect: no-cleanup-in-exit-handler
  const entries = await fsp.readdir(cacheRoot); // expect: no-cleanup-in-exit-handler
  console.log(`cache holds ${entries.length} entries`);
};

process.on('exit', function cleanScratch() {
  removeTree(scratch);
});

process.on('exit', function cleanScratchSync() {
  removeTreeSync(scratch);
});

process.once('exit', pruneCache);

process.on('warning', async warning => {
  await fsp.appendFile(path.join(cacheRoot, 'warnings.log'), `${warning.name}: ${warning.message}\n`);
});

process.on('SIGTERM', () => {
  const pruning = pruneCache();
  pruning.catch(() => undefined);
  process.exit(143); // expect: no-cleanup-in-exit-handler
});

process.on('SIGINT', () => {
  removeTreeSync(scratch);
  process.exit(130);
});

process.on('unhandledRejection', async reason => {
  console.error('unhandled rejection', reason);
  await pruneCache();
  process.exit(1);
});
