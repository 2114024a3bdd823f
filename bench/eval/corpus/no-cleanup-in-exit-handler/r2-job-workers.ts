// settings: {"native-handle":{"exitHooks":[{"from":"package","package":"proc-exit-hooks","name":"onExit"}]}}
// A job runner with a pool of worker threads, each reached through its own MessagePort. The
// proc-exit-hooks `onExit` (configured as an exit hook, imported under another name) runs at
// process exit; its `onShutdown` awaits its callback on SIGINT/SIGTERM and is no exit hook.
import cluster from 'node:cluster';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { onExit as atExit, onShutdown } from 'proc-exit-hooks';

interface PoolWorker {
  readonly worker: Worker;
  readonly port: MessagePort;
  busy: boolean;
}

const queueFile = '/var/lib/jobs/queue.json';
const crashLog = '/var/log/jobs/crashes.log';
const queue: string[] = [];
const pool: PoolWorker[] = [];

function spawnWorker(): PoolWorker {
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(new URL('./job-worker.js', import.meta.url), {
    workerData: { port: port2 },
    transferList: [port2],
  });
  const entry: PoolWorker = { worker, port: port1, busy: false };
  worker.on('exit', async code => {
    pool.splice(pool.indexOf(entry), 1);
    if (code !== 0) {
      await fsp.appendFile(crashLog, `worker ${worker.threadId} exited with ${code}\n`);
      pool.push(spawnWorker());
    }
  });
  return entry;
}

for (let i = 0; i < 4; i++) pool.push(spawnWorker());

function saveQueueSync(): void {
  fs.writeFileSync(queueFile, JSON.stringify(queue));
}

function saveQueue(): void {
  const data = JSON.stringify(queue);
  fs.writeFile(queueFile, data, err => { // expect: no-cleanup-in-exit-handler
    if (err) console.error('queue not saved', err);
  });
}

atExit(() => {
  saveQueueSync();
  for (const { port } of pool) port.close();
});

atExit(() => {
  void Promise.all( // expect: no-cleanup-in-exit-handler
    pool.map(({ worker }) => worker.terminate()),
  );
});

atExit(async code => { // expect: no-cleanup-in-exit-handler
  fs.writeFileSync('/var/lib/jobs/last-exit', String(code));
});

onShutdown(async signal => {
  await Promise.all(pool.map(({ worker }) => worker.terminate()));
  await fsp.writeFile(queueFile, JSON.stringify(queue));
  console.log(`stopped on ${signal}`);
});

process.on('exit', saveQueue);

process.prependOnceListener('exit', () => {
  fsp.writeFile('/var/lib/jobs/clean-exit', '1').then(() => console.log('marked clean')); // expect: no-cleanup-in-exit-handler
});

process.on('exit', () => {
  for (const { worker } of pool) worker.unref();
  console.log(`exiting with ${queue.length} queued jobs`);
});

process.on('SIGINT', () => {
  for (const { worker } of pool) worker.terminate();
  process.exit(130); // expect: no-cleanup-in-exit-handler
});

process.on('SIGTERM', async () => {
  await Promise.all(pool.map(({ worker }) => worker.terminate()));
  saveQueueSync();
  process.exit(143);
});

process.on('SIGUSR1', () => {
  saveQueue();
  for (const { port } of pool) port.postMessage({ type: 'dump-stats' });
});

process.on('unhandledRejection', reason => {
  fs.appendFileSync(crashLog, `unhandled rejection: ${String(reason)}\n`);
  saveQueueSync();
  process.exit(1);
});

process.on('message', async (msg: unknown) => {
  if (msg === 'drain') await fsp.writeFile(queueFile, '[]');
});

if (cluster.isPrimary) {
  cluster.on('exit', async (w, code) => {
    await fsp.appendFile(crashLog, `cluster worker ${w.id} exited with ${code}\n`);
    cluster.fork();
  });
}

/** The runner's own lifecycle events. */
class RunnerEvents extends EventEmitter {}

export const runnerEvents = new RunnerEvents();

runnerEvents.on('exit', async () => {
  await fsp.rm(queueFile, { force: true });
});
