// Watchdogs for TUN queues: a base class tracks the queue for leak reports and a heartbeat,
// subclasses add stop signals. A finalizer that closes a queue descriptor, a heartbeat and a
// stop listener must all be undone by close(), in the class or in the base close it calls.
import { closeQueue, TunDevice } from 'tun-native';

const queues = new FinalizationRegistry<number>(fd => closeQueue(fd));

export class QueueWatch {
  protected readonly dev: TunDevice;
  #heartbeat: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(dev: TunDevice) {
    this.dev = dev;
    queues.register(this, dev.fd, this);
  }

  startHeartbeat(everyMs: number, beat: Buffer): void {
    if (this.#heartbeat !== undefined || this.#closed) return;
    this.#heartbeat = setInterval(() => {
      if (!this.#closed && !this.dev.down) this.dev.writePacket(beat);
    }, everyMs);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    queues.unregister(this);
    this.dev.shutdown();
  }
}

/** Adds a stop signal; its close() delegates the rest to the base close. */
export class StoppableWatch extends QueueWatch {
  readonly #stop: AbortSignal;
  readonly #onStop = (): void => this.close();

  constructor(dev: TunDevice, stop: AbortSignal) {
    super(dev);
    this.#stop = stop;
    stop.addEventListener('abort', this.#onStop);
  }

  override close(): void {
    this.#stop.removeEventListener('abort', this.#onStop);
    super.close();
  }
}

/** Keeps the caller's signal and starts listening on it later; nothing ever removes it. */
export class ArmedWatch extends QueueWatch {
  readonly #signal: AbortSignal;

  constructor(dev: TunDevice, signal: AbortSignal) {
    super(dev);
    this.#signal = signal;
  }

  arm(): void {
    this.#signal.addEventListener('abort', () => this.close()); // expect: require-unregister
  }
}

export class OnceArmedWatch extends QueueWatch {
  readonly #signal: AbortSignal;

  constructor(dev: TunDevice, signal: AbortSignal) {
    super(dev);
    this.#signal = signal;
  }

  arm(): void {
    this.#signal.addEventListener('abort', () => this.close(), { once: true });
  }
}

/** A standalone watchdog on a raw queue number: registered without a token. */
export class RawQueueWatch {
  readonly #dev: TunDevice;
  readonly #probe: NodeJS.Timeout;
  #closed = false;

  constructor(dev: TunDevice, onDown: () => void) {
    this.#dev = dev;
    queues.register(this, dev.fd); // expect: require-unregister
    this.#probe = setInterval(() => {
      if (!this.#closed && this.#dev.down) onDown();
    }, 1000);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#probe);
    this.#dev.shutdown();
  }
}

/** Starts a probe per call and keeps only the latest; close() clears that one. */
export class ProbingWatch {
  readonly #dev: TunDevice;
  #probe: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(dev: TunDevice) {
    this.#dev = dev;
  }

  probeEvery(ms: number, onDown: () => void): void {
    if (this.#closed) return;
    clearInterval(this.#probe);
    this.#probe = setInterval(() => {
      if (!this.#closed && this.#dev.down) onDown();
    }, ms);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#probe);
    this.#dev.shutdown();
  }
}

/** The same, but close() forgets the probe. */
export class LeakyProbingWatch {
  readonly #dev: TunDevice;
  #probe: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(dev: TunDevice) {
    this.#dev = dev;
  }

  probeEvery(ms: number, onDown: () => void): void {
    if (this.#closed) return;
    clearInterval(this.#probe);
    this.#probe = setInterval(() => { // expect: require-unregister
      if (!this.#closed && this.#dev.down) onDown();
    }, ms);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#dev.shutdown();
  }
}
