// A key-value store over an LMDB addon environment. Borrows (retain/release in finally) and
// leases (`using`) hold the environment open across awaits; a tagged method is a guard.
import { Environment } from 'lmdb-lite';

export class StoreDisposedError extends Error {}

export class KvStore {
  private disposed = false;
  private readonly migrations: Promise<void>;

  constructor(private readonly env: Environment) {
    this.migrations = this.migrate();
  }

  /** @lifetimeGuard */
  private check(): void {
    if (this.disposed) throw new StoreDisposedError('store disposed');
  }

  private async migrate(): Promise<void> {
    const version = await this.env.get('meta:version');
    if (version?.toString() === '2') return;
    this.check();
    await this.env.put('meta:version', Buffer.from('2'));
  }

  private async validate(value: Buffer): Promise<void> {
    if (value.length > 1 << 20) throw new RangeError('value too large');
    await Promise.resolve();
  }

  async get(key: string): Promise<Buffer | undefined> {
    await this.migrations;
    this.check();
    return this.env.get(key);
  }

  async put(key: string, value: Buffer): Promise<void> {
    await this.validate(value);
    return this.env.put(key, value); // expect: require-lifetime-guard
  }

  async copy(from: string, to: string): Promise<boolean> {
    this.env.retain();
    try {
      const value = await this.env.get(from);
      if (value === undefined) return false;
      await this.env.put(to, value);
      return true;
    } finally {
      this.env.release();
    }
  }

  async compact(): Promise<void> {
    using _pin = this.env.pin();
    await this.env.sync();
    await this.env.put('meta:compacted', Buffer.from(Date.now().toString()));
  }

  async flushLater(ms: number): Promise<void> {
    this.env.retain();
    await new Promise(resolve => setTimeout(resolve, ms));
    await this.env.sync(); // expect: require-lifetime-guard
    this.env.release();
  }

  async move(from: string, to: string): Promise<void> {
    const value = await this.get(from);
    if (value === undefined) return;
    await this.env.put(to, value); // expect: require-lifetime-guard
    this.check();
    await this.env.remove(from);
  }

  entries(): number {
    this.check();
    return this.env.stat().entries;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.env.close();
  }
}
