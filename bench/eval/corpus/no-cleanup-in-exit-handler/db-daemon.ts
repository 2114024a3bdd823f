// A daemon with an SQLite addon database and a few worker threads. Every way of adding a
// process 'exit' listener counts; 'exit' events of workers and children do not.
import { spawn } from 'node:child_process';
import fsp from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { Database } from 'sqlite-native';

const db = new Database('/var/lib/daemon/state.db');
const workers: Worker[] = [];

for (let i = 0; i < 4; i++) {
  const w = new Worker(new URL('./indexer.js', import.meta.url));
  w.on('exit', async code => {
    db.run('UPDATE workers SET state = ? WHERE id = ?', `exited:${code}`, i);
    await fsp.appendFile('/var/log/daemon/workers.log', `worker ${i} exited with ${code}\n`);
  });
  workers.push(w);
}

const helper = spawn('/usr/libexec/daemon-helper', [], { stdio: 'ignore' });
helper.once('exit', async () => {
  await db.backup('/var/lib/daemon/state.bak');
});

process.on('exit', () => {
  db.checkpoint();
  db.closeSync();
});

process.addListener('exit', () => {
  db.exec('PRAGMA optimize', err => { // expect: no-cleanup-in-exit-handler
    if (err) console.error(err);
  });
});

process.prependListener('exit', () => {
  void db.close(); // expect: no-cleanup-in-exit-handler
});

process.prependOnceListener('exit', () => {
  setImmediate(() => db.closeSync()); // expect: no-cleanup-in-exit-handler
});

process.on('exit', () => {
  for (const w of workers) void w.terminate(); // expect: no-cleanup-in-exit-handler
  helper.kill('SIGTERM');
});

process.once('exit', () => {
  queueMicrotask(() => console.log('bye')); // expect: no-cleanup-in-exit-handler
  process.nextTick(() => console.log('really bye')); // expect: no-cleanup-in-exit-handler
});

process.on('beforeExit', () => {
  void db.backup('/var/lib/daemon/state.bak');
  for (const w of workers) void w.terminate();
});
