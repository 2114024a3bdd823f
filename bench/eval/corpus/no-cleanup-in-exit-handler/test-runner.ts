// A test runner's process plumbing. Many things are called 'exit' without being process
// 'exit' listeners: a child's exit, a cluster worker's exit, the runner's own event bus.
import { fork } from 'node:child_process';
import cluster from 'node:cluster';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import fsp from 'node:fs/promises';

const resultsDir = fs.mkdtempSync('/tmp/runner-');
const bus = new EventEmitter();
let failures = 0;

bus.on('exit', async (suite: string) => {
  await fsp.writeFile(`${resultsDir}/${suite}.done`, String(failures));
});

const child = fork(new URL('./suite.js', import.meta.url));
child.on('exit', async code => {
  if (code !== 0) failures++;
  await fsp.appendFile(`${resultsDir}/children.log`, `suite exited ${code}\n`);
});

if (cluster.isPrimary) {
  cluster.on('exit', (worker, code) => {
    setTimeout(() => cluster.fork(), 1000);
    console.log(`worker ${worker.id} exited with ${code}`);
  });
}

process.on('exit', () => {
  fs.writeFileSync(`${resultsDir}/summary.txt`, `failures=${failures}\n`);
  if (failures > 0) process.exitCode = 1;
});

process.on('exit', async () => { // expect: no-cleanup-in-exit-handler
  fs.rmSync(resultsDir, { recursive: true, force: true });
});

process.on('exit', () => {
  void fsp.rm(resultsDir, { recursive: true, force: true }); // expect: no-cleanup-in-exit-handler
});

process.on('exit', () => {
  child.kill();
  fs.rm(resultsDir, { recursive: true }, err => { // expect: no-cleanup-in-exit-handler
    if (err) console.error(err);
  });
});

process.on('SIGINT', () => {
  child.kill('SIGINT');
  fs.rmSync(resultsDir, { recursive: true, force: true });
  process.exit(130);
});

process.on('SIGTERM', () => {
  process.exitCode = 143;
  void fsp.rm(resultsDir, { recursive: true, force: true });
});

process.on('beforeExit', code => {
  setTimeout(() => bus.emit('exit', 'all'), 0);
  void fsp.writeFile(`${resultsDir}/before-exit`, String(code));
});
