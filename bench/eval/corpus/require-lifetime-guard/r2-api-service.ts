// An HTTP API over a native Postgres client, with an access log stream and a reporting child
// process. shutdown() (tagged @close) is the close method; `stopped` (tagged @lifetimeGuard)
// is the service's liveness check; checkOpen() is a plain helper, not a recognised guard.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { PgClient, PgPool } from 'pg-pool-native';

interface ItemQuery {
  readonly id: number;
}

async function readBody(req: IncomingMessage): Promise<ItemQuery> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{"id":0}') as ItemQuery;
}

export class ApiService {
  readonly #server: Server;
  readonly #db: PgClient;
  readonly #accessLog: WriteStream;
  readonly #reporter: ChildProcess;
  #stopped = false;

  constructor(db: PgClient, logPath: string) {
    this.#db = db;
    this.#accessLog = createWriteStream(logPath, { flags: 'a' });
    this.#reporter = spawn('/usr/libexec/api-reporter', [], { stdio: ['pipe', 'ignore', 'inherit'] });
    this.#server = createServer((req, res) => void this.#handle(req, res));
    this.#server.on('request', (req: IncomingMessage) => {
      this.#accessLog.write(`${req.method ?? 'GET'} ${req.url ?? '/'}\n`); // expect: require-lifetime-guard
    });
    this.#server.on('listening', () => {
      console.log('api listening on', this.#server.address());
    });
    this.#reporter.on('exit', () => {
      if (!this.#accessLog.destroyed) this.#accessLog.write('reporter exited\n');
    });
  }

  static async create(pool: PgPool, logPath: string): Promise<ApiService> {
    const db = await pool.acquire();
    const service = new ApiService(db, logPath);
    await service.#db.query('SELECT 1');
    service.#accessLog.write('service created\n');
    return service;
  }

  /** @lifetimeGuard */
  get stopped(): boolean {
    return this.#stopped;
  }

  private checkOpen(): void {
    if (this.#stopped) throw new Error('service stopped');
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const query = await readBody(req);
    if (this.stopped) {
      res.writeHead(503).end();
      return;
    }
    const rows = await this.#db.query('SELECT * FROM items WHERE id = $1', [query.id]);
    res.end(JSON.stringify(rows));
    this.#accessLog.write(`served ${rows.length} rows\n`); // expect: require-lifetime-guard
  }

  async migrate(schemaPath: string): Promise<void> {
    const ddl = await readFile(schemaPath, 'utf8');
    this.checkOpen();
    await this.#db.query(ddl); // expect: require-lifetime-guard
  }

  async reindex(): Promise<void> {
    await sleep(1000);
    if (this.stopped) return;
    await this.#db.query('REINDEX TABLE items');
  }

  async listen(port: number): Promise<number> {
    this.#server.listen(port);
    await once(this.#server, 'listening');
    if (this.stopped) return -1;
    const addr = this.#server.address();
    return typeof addr === 'object' && addr !== null ? addr.port : port;
  }

  async listenAndReport(port: number): Promise<void> {
    this.#server.listen(port);
    await once(this.#server, 'listening');
    this.#reporter.stdin?.write(`listening ${port}\n`); // expect: require-lifetime-guard
  }

  async logSlowQuery(sql: string, ms: number): Promise<void> {
    await sleep(0);
    if (this.#accessLog.destroyed) return;
    this.#accessLog.write(`slow ${ms}ms: ${sql}\n`);
  }

  async report(): Promise<void> {
    const [row] = await this.#db.query<{ count: number }>('SELECT count(*) AS count FROM items');
    if (this.#reporter.killed) return;
    this.#reporter.stdin?.write(`${JSON.stringify({ items: row?.count ?? 0 })}\n`);
  }

  async warm(): Promise<void> {
    await Promise.all([sleep(5), readFile('/etc/hostname')]);
    this.#db.query('SELECT 1').catch(() => undefined); // expect: require-lifetime-guard
    this.#accessLog.write('warm\n'); // expect: require-lifetime-guard
    this.#db.query('SELECT 2').catch(() => undefined);
  }

  scheduleVacuum(ms: number): void {
    setTimeout(() => {
      if (!this.stopped) void this.#db.query('VACUUM');
    }, ms).unref();
  }

  /** @close */
  async shutdown(graceMs: number): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    const closed = new Promise<void>(resolve => this.#server.close(() => resolve()));
    await Promise.race([closed, sleep(graceMs)]);
    this.#server.closeAllConnections();
    this.#reporter.kill();
    this.#accessLog.end();
    await this.#db.end();
  }
}

/** Checks the pool; the pool object owns nothing native, so this is no owner class. */
export class HealthProbe {
  constructor(private readonly pool: PgPool) {}

  async check(): Promise<boolean> {
    const client = await this.pool.acquire();
    try {
      await client.query('SELECT 1');
      return true;
    } finally {
      this.pool.release(client);
    }
  }

  async checkTwice(): Promise<boolean> {
    const first = await this.check();
    await sleep(100);
    return first && (await this.check()) && this.pool.totalCount > 0;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
