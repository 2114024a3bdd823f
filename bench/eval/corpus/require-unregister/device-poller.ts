// A device driver wrapper for keyboards and barcode scanners on a tagged evdev addon. The
// wrappers poll the device on an interval and stop when a caller-supplied signal aborts.
import { deviceName, InputDevice, type InputEvent } from 'evdev-native';

export class KeyboardWatcher {
  readonly #dev: InputDevice;
  readonly #poll: NodeJS.Timeout;
  #closed = false;

  constructor(path: string, onName: (name: string) => void, stop: AbortSignal) {
    this.#dev = InputDevice.open(path);
    this.#poll = setInterval(() => { // expect: require-unregister
      if (this.#closed) return;
      onName(deviceName(this.#dev.fd));
    }, 5000);
    stop.addEventListener('abort', () => this.close()); // expect: require-unregister
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#dev.close();
  }
}

export class ScannerWatcher {
  readonly #dev: InputDevice;
  readonly #poll: NodeJS.Timeout;
  #closed = false;

  constructor(path: string, onName: (name: string) => void, stop: AbortSignal) {
    this.#dev = InputDevice.open(path);
    this.#poll = setInterval(() => {
      if (this.#closed) return;
      onName(deviceName(this.#dev.fd));
    }, 5000);
    stop.addEventListener('abort', () => this.close(), { once: true });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#poll);
    this.#dev.close();
  }
}

/** Reads one event, giving up when the signal aborts; the listener goes in the finally. */
export class GrabbedDevice {
  readonly #dev: InputDevice;
  #closed = false;

  constructor(path: string) {
    this.#dev = InputDevice.open(path);
    this.#dev.grab();
  }

  async next(signal: AbortSignal): Promise<InputEvent | undefined> {
    if (this.#closed) return undefined;
    const onAbort = (): void => this.close();
    signal.addEventListener('abort', onAbort);
    try {
      return await this.#dev.nextEvent();
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  async nextLeaky(signal: AbortSignal): Promise<InputEvent | undefined> {
    if (this.#closed) return undefined;
    signal.addEventListener('abort', () => this.close()); // expect: require-unregister
    return this.#dev.nextEvent();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#dev.ungrab();
    this.#dev.close();
  }
}
