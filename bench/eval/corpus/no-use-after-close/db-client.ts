// An addon-backed DB client layer. PgClient.end() (tagged @close) closes the connection;
// queries afterwards fail, and handing an ended client back to the pool gives the next caller
// a dead connection. cancelQuery() (the cancel role) and isClosed are fine after end().
import { PgClient, PgPool, type Row } from 'pg-pool-native';

export async function queryOnce(pool: PgPool, sql: string): Promise<Row[]> {
  const client = await pool.acquire();
  try {
    return await client.query(sql);
  } finally {
    pool.release(client);
  }
}

/** On a failed query the connection is ended... and then returned to the pool. */
export async function queryOrDrop(pool: PgPool, sql: string): Promise<Row[]> {
  const client = await pool.acquire();
  try {
    return await client.query(sql);
  } catch (err) {
    await client.end();
    throw err;
  } finally {
    pool.release(client); // expect: no-use-after-close
  }
}

export async function queryOrDropCorrectly(pool: PgPool, sql: string): Promise<Row[]> {
  const client = await pool.acquire();
  let broken = false;
  try {
    return await client.query(sql);
  } catch (err) {
    broken = true;
    throw err;
  } finally {
    if (broken) await client.end();
    else pool.release(client);
  }
}

export async function migrate(client: PgClient, statements: readonly string[]): Promise<void> {
  for (const sql of statements) await client.query(sql);
  await client.end();
  await client.query('ANALYZE'); // expect: no-use-after-close
}

export async function endAndCancel(client: PgClient): Promise<boolean> {
  await client.end();
  client.cancelQuery();
  return client.isClosed;
}

export async function endIfIdle(client: PgClient, idle: boolean): Promise<number> {
  if (idle) await client.end();
  else await client.query('SELECT 1');
  return client.processId;
}

/** Ends the old connections, then warms up their replacements. */
export async function recycle(old: readonly PgClient[], fresh: readonly PgClient[]): Promise<void> {
  for (const c of old) await c.end();
  for (const c of fresh) await c.query('SELECT 1');
}

export class Session {
  readonly #client: PgClient;
  readonly #pool: PgPool;
  #closed = false;

  constructor(pool: PgPool, client: PgClient) {
    this.#pool = pool;
    this.#client = client;
  }

  async query(sql: string): Promise<Row[]> {
    if (this.#closed) throw new Error('session closed');
    return this.#client.query(sql);
  }

  /** Ends the connection and still returns it to the pool. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#client.end();
    this.#pool.release(this.#client); // expect: no-use-after-close
  }
}

export class ReturningSession {
  readonly #client: PgClient;
  readonly #pool: PgPool;
  #closed = false;

  constructor(pool: PgPool, client: PgClient) {
    this.#pool = pool;
    this.#client = client;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#pool.release(this.#client);
  }
}
