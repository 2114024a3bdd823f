// Connection lifecycle code for a service using a native Postgres client (end() closes,
// cancelQuery() cancels) and an embedded SQLite addon (exec with a completion callback,
// backup() returning a promise). The pool object itself owns nothing native.
import { setTimeout as sleep } from 'node:timers/promises';
import { PgClient, PgPool, type Row } from 'pg-pool-native';
import { Database } from 'sqlite-native';

export async function queryWithTimeout(client: PgClient, sql: string, ms: number): Promise<Row[] | undefined> {
  const running = client.query(sql);
  running.catch(() => undefined);
  const rows = await Promise.race([running, sleep(ms, undefined)]);
  client.cancelQuery();
  await client.end();
  return rows;
}

export async function probeAndDrop(client: PgClient, ms: number): Promise<boolean> {
  const ping = client.query('SELECT 1');
  const ok = await Promise.race([ping.then(() => true), sleep(ms, false)]);
  if (!ok) await client.end(); // expect: no-close-with-pending-ops
  return ok;
}

export async function auditAndClose(client: PgClient, event: string): Promise<void> {
  client.query('INSERT INTO audit(event) VALUES ($1)', [event]).catch(err => console.error('audit failed', err));
  await client.end(); // expect: no-close-with-pending-ops
}

export function countThenClose(client: PgClient): Promise<number> {
  return client.query<{ n: number }>('SELECT count(*) AS n FROM jobs').then(rows => {
    void client.end();
    return rows[0]?.n ?? 0;
  });
}

export async function snapshot(client: PgClient): Promise<[Row[], Row[]]> {
  const result = await Promise.all([client.query('SELECT * FROM a'), client.query('SELECT * FROM b')]);
  await client.end();
  return result;
}

/** Copies from the primary; closes the replica it no longer needs. */
export async function copyFromPrimary(primary: PgClient, replica: PgClient): Promise<Row[]> {
  const rows = primary.query('SELECT * FROM settings');
  await replica.end();
  return rows;
}

export async function runMigrations(client: PgClient, statements: readonly string[], signal: AbortSignal): Promise<number> {
  let applied = 0;
  for (const sql of statements) {
    const running = client.query(sql);
    running.catch(() => undefined);
    if (signal.aborted) {
      client.cancelQuery();
      await client.end();
      return applied;
    }
    await running;
    applied++;
  }
  await client.end();
  return applied;
}

export async function drainPool(pool: PgPool): Promise<void> {
  const straggler = pool.acquire();
  straggler.catch(() => undefined);
  await pool.end();
}

export async function closeDatabase(db: Database, mode: 'fast' | 'backup' | 'checkpoint', dest: string): Promise<void> {
  let pending: Promise<void> | undefined;
  switch (mode) {
    case 'fast':
      break;
    case 'backup':
      pending = db.backup(dest);
      break;
    case 'checkpoint':
      db.checkpoint();
      break;
  }
  db.closeSync(); // expect: no-close-with-pending-ops
  await pending;
}

export async function closeDatabaseAfterBackup(db: Database, mode: 'fast' | 'backup', dest: string): Promise<void> {
  let pending: Promise<void> | undefined;
  if (mode === 'backup') pending = db.backup(dest);
  await pending;
  db.closeSync();
}

export function vacuumAndClose(db: Database, done: (err: Error | null) => void): void {
  try {
    db.exec('VACUUM', done);
  } finally {
    db.closeSync(); // expect: no-close-with-pending-ops
  }
}

export function vacuumThenClose(db: Database, done: (err: Error | null) => void): void {
  db.exec('VACUUM', err => {
    db.closeSync();
    done(err);
  });
}

export function migrateSync(db: Database, statements: readonly string[]): void {
  for (const sql of statements) db.run(sql);
  db.checkpoint();
  db.closeSync();
}

export class ReportJob {
  #running: Promise<Row[]> | undefined;

  constructor(private readonly client: PgClient) {}

  start(sql: string): void {
    this.#running = this.client.query(sql);
    this.#running.catch(() => undefined);
  }

  result(): Promise<Row[]> | undefined {
    return this.#running;
  }

  async close(): Promise<void> {
    this.client.cancelQuery();
    await this.client.end();
  }
}

/** Keeps a LISTEN query open; close() runs UNLISTEN and ends without cancelling it. */
export class ChangeFeed {
  #listening: Promise<Row[]> | undefined;

  constructor(private readonly client: PgClient) {}

  listen(channel: string): void {
    this.#listening = this.client.query(`LISTEN ${channel}`);
  }

  current(): Promise<Row[]> | undefined {
    return this.#listening;
  }

  async close(): Promise<void> {
    await this.client.query('UNLISTEN *');
    await this.client.end(); // expect: no-close-with-pending-ops
  }
}

/** Holds a client and a database; its stored work is on the database, which it cannot cancel. */
export class Archiver {
  #backup: Promise<void> | undefined;

  constructor(
    private readonly client: PgClient,
    private readonly db: Database,
  ) {}

  archive(dest: string): void {
    this.#backup = this.db.backup(dest);
  }

  done(): Promise<void> | undefined {
    return this.#backup;
  }

  async close(): Promise<void> {
    await this.client.end();
    this.db.closeSync(); // expect: no-close-with-pending-ops
  }
}
