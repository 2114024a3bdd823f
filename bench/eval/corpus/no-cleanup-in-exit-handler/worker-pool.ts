// A worker pool whose queue is persisted on shutdown. An async function passed to
// process.on('exit') by name is reported at its declaration, and so is every await in it.
import { open } from 'node:fs/promises';
import { writeFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

interface Task {
  readonly id: number;
  readonly input: string;
}

class WorkerPool {
  private readonly workers: Worker[] = [];
  readonly queue: Task[] = [];

  constructor(size: number, script: URL) {
    for (let i = 0; i < size; i++) this.workers.push(new Worker(script));
  }

  async shutdown(): Promise<void> {
    await Promise.all(this.workers.map(w => w.terminate()));
  }

  detach(): void {
    for (const w of this.workers) w.unref();
  }
}

const pool = new WorkerPool(4, new URL('./task-worker.js', import.meta.url));
const queueFile = '/var/lib/pool/queue.json';

async function persistQueue(): Promise<void> { // expect: no-cleanup-in-exit-handler
  const fh = await open(queueFile, 'w'); // expect: no-cleanup-in-exit-handler
  await fh.writeFile(JSON.stringify(pool.queue)); // expect: no-cleanup-in-exit-handler
  await fh.close(); // expect: no-cleanup-in-exit-handler
}

function persistQueueSync(): void {
  writeFileSync(queueFile, JSON.stringify(pool.queue));
}

process.on('exit', persistQueue);
process.on('exit', persistQueueSync);

process.on('exit', () => {
  pool.shutdown(); // expect: no-cleanup-in-exit-handler
});

process.on('exit', () => {
  pool.detach();
});

process.on('SIGTERM', async () => {
  await pool.shutdown();
  process.exit(143);
});

process.on('SIGINT', () => {
  pool.shutdown().catch(console.error);
  process.exit(130); // expect: no-cleanup-in-exit-handler
});

process.on('SIGUSR2', () => {
  pool.detach();
  persistQueueSync();
  process.exit(0);
});
