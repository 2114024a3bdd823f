// Database sessions over a native Postgres client. Sessions run a keep-alive query on an
// interval and register with a FinalizationRegistry that reports sessions dropped without
// end(); the registry holds the backend socket number for the report.
import { PgClient, PgPool } from 'pg-pool-native';

const dropped = new FinalizationRegistry<number>(fd => {
  console.warn(`db session on socket ${fd} was garbage-collected without end()`);
});

export class DbSession {
  readonly #client: PgClient;
  readonly #keepAlive: NodeJS.Timeout;
  #closed = false;

  constructor(client: PgClient) {
    this.#client = client;
    dropped.register(this, client.backendSocket(), this);
    this.#keepAlive = setInterval(() => {
      if (this.#closed) return;
      this.#client.query('SELECT 1').catch(() => undefined);
    }, 30_000);
  }

  async query(sql: string): Promise<unknown[]> {
    if (this.#closed) throw new Error('session closed');
    return this.#client.query(sql);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#keepAlive);
    dropped.unregister(this);
    await this.#client.end();
  }
}

export class LeakyDbSession {
  readonly #client: PgClient;
  readonly #keepAlive: NodeJS.Timeout;
  #closed = false;

  constructor(client: PgClient) {
    this.#client = client;
    dropped.register(this, client.backendSocket()); // expect: require-unregister
    this.#keepAlive = setInterval(() => { // expect: require-unregister
      if (this.#closed) return;
      this.#client.query('SELECT 1').catch(() => undefined);
    }, 30_000);
  }

  keepAliveTimer(): NodeJS.Timeout {
    return this.#keepAlive;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#client.end();
  }
}

/** Borrowed from a pool and given back on close: the pool, not the session, ends the client. */
export class PooledSession {
  readonly #pool: PgPool;
  readonly #client: PgClient;
  readonly #keepAlive: NodeJS.Timeout;
  #closed = false;

  constructor(pool: PgPool, client: PgClient) {
    this.#pool = pool;
    this.#client = client;
    this.#keepAlive = setInterval(() => {
      if (!this.#closed) this.#client.query('SELECT 1').catch(() => undefined);
    }, 30_000);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#keepAlive);
    this.#pool.release(this.#client);
  }
}
