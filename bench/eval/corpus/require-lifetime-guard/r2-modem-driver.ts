// A Hayes modem driver on a serial-line addon, with the RING line on a GPIO pin. The base
// class owns the serial line and its `disposed` flag (assertOpen() checks it); the subclass
// adds the GPIO. A listener on the serial line cannot fire after the line is closed, but a
// listener on the GPIO can still touch the serial line after dispose().
import { setTimeout as sleep } from 'node:timers/promises';
import { Gpio, SerialLine } from 'serial-line-native';

export abstract class LineDevice {
  protected disposed = false;

  constructor(protected readonly line: SerialLine) {
    line.on('data', chunk => this.onChunk(chunk));
  }

  protected abstract onChunk(chunk: Buffer): void;

  protected assertOpen(): void {
    if (this.disposed) throw new Error(`${this.line.path}: device disposed`);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.line.close();
  }
}

export class AtModem extends LineDevice {
  #buffer = '';
  readonly #waiters: ((line: string) => void)[] = [];

  constructor(
    line: SerialLine,
    private readonly ring: Gpio,
  ) {
    super(line);
    this.line.on('break', () => this.line.setSignals({ dtr: false }));
    this.ring.on('change', value => {
      if (value === 1) void this.line.write(Buffer.from('ATA\r')); // expect: require-lifetime-guard
    });
    this.ring.on('change', value => {
      if (this.disposed) return;
      this.line.setSignals({ rts: value === 0 });
    });
  }

  protected onChunk(chunk: Buffer): void {
    this.#buffer += chunk.toString('latin1');
    let i: number;
    while ((i = this.#buffer.indexOf('\r\n')) >= 0) {
      const text = this.#buffer.slice(0, i);
      this.#buffer = this.#buffer.slice(i + 2);
      if (text !== '') this.#waiters.shift()?.(text);
    }
  }

  private nextLine(timeoutMs: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('modem timeout')), timeoutMs);
      this.#waiters.push(text => {
        clearTimeout(timer);
        resolve(text);
      });
    });
  }

  async command(cmd: string, timeoutMs = 1000): Promise<string> {
    this.assertOpen();
    await this.line.write(Buffer.from(`${cmd}\r`));
    return this.nextLine(timeoutMs);
  }

  async dial(number: string): Promise<boolean> {
    this.assertOpen();
    this.line.setSignals({ dtr: true });
    await sleep(50);
    await this.line.write(Buffer.from(`ATD${number}\r`)); // expect: require-lifetime-guard
    return (await this.nextLine(30_000)) === 'CONNECT';
  }

  async dialChecked(number: string): Promise<boolean> {
    this.assertOpen();
    this.line.setSignals({ dtr: true });
    await sleep(50);
    this.assertOpen();
    await this.line.write(Buffer.from(`ATD${number}\r`));
    return (await this.nextLine(30_000)) === 'CONNECT';
  }

  async hangUp(): Promise<void> {
    await this.line.flush();
    if (this.line.isClosed) return;
    this.line.setSignals({ dtr: false });
    await sleep(100);
    if (!this.disposed) await this.line.write(Buffer.from('+++'));
  }

  async reset(): Promise<void> {
    this.assertOpen();
    try {
      await this.line.write(Buffer.from('ATZ\r'));
      await this.nextLine(2000);
    } finally {
      this.line.setSignals({ rts: true }); // expect: require-lifetime-guard
    }
  }

  async keepAlive(everyMs: number): Promise<void> {
    while (!this.disposed) {
      await this.line.write(Buffer.from('AT\r'));
      await sleep(everyMs);
    }
  }

  async answerIfRinging(): Promise<boolean> {
    await sleep(200);
    if (this.line.isClosed) return false;
    if (this.ring.readValue() === 0) return false; // expect: require-lifetime-guard
    await this.line.write(Buffer.from('ATA\r'));
    return true;
  }

  async status(): Promise<{ ring: boolean; rts: boolean }> {
    await this.line.flush();
    const ring = this.ring.readValue() === 1; // expect: require-lifetime-guard
    this.line.setSignals({ rts: true }); // expect: require-lifetime-guard
    const stillRinging = this.ring.readValue() === 1;
    return { ring: ring && stillRinging, rts: true };
  }

  async statusChecked(): Promise<{ ring: boolean } | undefined> {
    await this.line.flush();
    if (this.disposed) return undefined;
    const ring = this.ring.readValue() === 1;
    this.line.setSignals({ rts: true });
    return { ring };
  }

  override dispose(): void {
    this.ring.unexport();
    super.dispose();
  }
}

/** A relay on one GPIO pin; `[Symbol.dispose]` is its close method, `isDisposed` its guard. */
export class GpioRelay {
  readonly #pin: Gpio;
  #state: 'open' | 'disposed' = 'open';

  constructor(line: number) {
    this.#pin = new Gpio(line, 'out');
  }

  get isDisposed(): boolean {
    return this.#state === 'disposed';
  }

  async pulse(ms: number): Promise<void> {
    if (this.isDisposed) return;
    this.#pin.writeValue(1);
    await sleep(ms);
    this.#pin.writeValue(0); // expect: require-lifetime-guard
  }

  async pulseChecked(ms: number): Promise<void> {
    if (this.isDisposed) return;
    this.#pin.writeValue(1);
    try {
      await sleep(ms);
    } finally {
      if (!this.isDisposed) this.#pin.writeValue(0);
    }
  }

  switchOnLater(ms: number): NodeJS.Timeout {
    return setTimeout(() => this.isDisposed || this.#pin.writeValue(1), ms);
  }

  [Symbol.dispose](): void {
    if (this.isDisposed) return;
    this.#state = 'disposed';
    this.#pin.unexport();
  }
}

/** A serial line simulator used in tests; same members as SerialLine, but no native resource. */
export class MockLine {
  isClosed = false;
  readonly written: Buffer[] = [];
  async write(data: Buffer): Promise<void> {
    this.written.push(data);
  }
  close(): void {
    this.isClosed = true;
  }
}

/** Logs to either a real line or a simulator: its field is not known to be an owner. */
export class LineLogger {
  constructor(private readonly line: SerialLine | MockLine) {}

  async log(message: string): Promise<void> {
    await sleep(1);
    await this.line.write(Buffer.from(`${message}\r\n`));
  }

  close(): void {
    this.line.close();
  }
}
