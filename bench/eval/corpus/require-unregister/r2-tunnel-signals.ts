// Tunnels and relays that stop when a caller's AbortSignal aborts. The signals come in through
// options objects and usually belong to a whole job or to the process: an 'abort' listener
// left on them keeps the tunnel (and its device or socket) reachable after close()
// (NODE-FACTS §7). `{ once: true }`, a `{ signal }` tied to the tunnel's own controller, or a
// removeEventListener on the close path or in a finally undo it.
import { connect, type Socket } from 'node:net';
import { TunDevice } from 'tun-native';

export interface TunnelOptions {
  readonly signal?: AbortSignal;
  readonly mtu?: number;
}

export interface RelayOptions {
  readonly signal: AbortSignal;
  readonly parent?: AbortSignal;
}

export const processShutdown = new AbortController();

export class Tunnel {
  readonly #dev: TunDevice;
  #closed = false;

  constructor(name: string, { signal, mtu = 1500 }: TunnelOptions = {}) {
    this.#dev = TunDevice.open(name);
    this.#dev.setMtu(mtu);
    signal?.addEventListener('abort', () => this.close()); // expect: require-unregister
  }

  send(packet: Buffer): number {
    return this.#closed ? 0 : this.#dev.writePacket(packet);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#dev.shutdown();
  }
}

export class OnceTunnel {
  readonly #dev: TunDevice;
  #closed = false;

  constructor(name: string, options: TunnelOptions = {}) {
    this.#dev = TunDevice.open(name);
    options.signal?.addEventListener('abort', () => this.close(), { once: true });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#dev.shutdown();
  }
}

/** The listener is removed with the tunnel's own controller, aborted in close(). */
export class ScopedTunnel {
  readonly #dev: TunDevice;
  readonly #lifetime = new AbortController();
  #closed = false;

  constructor(name: string, options: TunnelOptions = {}) {
    this.#dev = TunDevice.open(name);
    options.signal?.addEventListener('abort', () => this.close(), { signal: this.#lifetime.signal });
    processShutdown.signal.addEventListener('abort', () => this.close(), { signal: this.#lifetime.signal });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#lifetime.abort();
    this.#dev.shutdown();
  }
}

/** A passive listener is still a listener: nothing removes it. */
export class PassiveTunnel {
  readonly #dev: TunDevice;
  #closed = false;

  constructor(name: string, signal: AbortSignal) {
    this.#dev = TunDevice.open(name);
    signal.addEventListener('abort', () => this.close(), { passive: true }); // expect: require-unregister
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#dev.shutdown();
  }
}

/** Keeps the signal and removes its listener in a teardown helper that close() calls. */
export class Relay {
  readonly #upstream: Socket;
  readonly #signal: AbortSignal;
  readonly #onAbort = (): void => this.close();
  #closed = false;

  constructor(path: string, { signal }: RelayOptions) {
    this.#upstream = connect(path);
    this.#signal = signal;
    signal.addEventListener('abort', this.#onAbort);
  }

  #teardown(): void {
    this.#signal.removeEventListener('abort', this.#onAbort);
  }

  forward(chunk: Buffer): void {
    if (!this.#closed) this.#upstream.write(chunk);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#teardown();
    this.#upstream.destroy();
  }
}

/** Listens on the job signal and the parent's; close() removes only the first. */
export class ChainedRelay {
  readonly #upstream: Socket;
  readonly #options: RelayOptions;
  readonly #onAbort = (): void => this.close();
  #closed = false;

  constructor(path: string, options: RelayOptions) {
    this.#upstream = connect(path);
    this.#options = options;
    options.signal.addEventListener('abort', this.#onAbort);
    options.parent?.addEventListener('abort', this.#onAbort); // expect: require-unregister
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#options.signal.removeEventListener('abort', this.#onAbort);
    this.#upstream.destroy();
  }
}

/** Follows every signal it is given, and never stops following them. */
export class FanInRelay {
  readonly #upstream: Socket;
  #closed = false;

  constructor(path: string, signals: readonly AbortSignal[]) {
    this.#upstream = connect(path);
    for (const s of signals) {
      s.addEventListener('abort', () => this.close()); // expect: require-unregister
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#upstream.destroy();
  }
}

/** The tunnel's own controller: its signal dies with the tunnel. */
export class SelfAbortingRelay {
  readonly #upstream: Socket;
  readonly #ac = new AbortController();
  #closed = false;

  constructor(path: string) {
    this.#upstream = connect(path);
    const { signal } = this.#ac;
    signal.addEventListener('abort', () => this.close());
  }

  abort(): void {
    this.#ac.abort();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#upstream.destroy();
  }
}

/** Module-level shutdown signal, listened to without any way of undoing it. */
export class ShutdownAwareRelay {
  readonly #upstream: Socket;
  #closed = false;

  constructor(path: string) {
    this.#upstream = connect(path);
    processShutdown.signal.addEventListener('abort', () => this.close()); // expect: require-unregister
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#upstream.destroy();
  }
}
