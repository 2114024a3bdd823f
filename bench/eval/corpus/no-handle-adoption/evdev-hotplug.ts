// Hotplug handling for input devices over a tagged evdev addon. EventReader's constructor and
// adoptFd() take ownership of the descriptor they are given (@adoptsHandle); given an
// InputDevice's own fd they become a second owner, and each will close the number.
import { constants, openSync } from 'node:fs';
import { adoptFd, deviceName, EventReader, InputDevice, type InputEvent } from 'evdev-native';

export function batchReader(path: string): EventReader {
  return new EventReader(openSync(path, constants.O_RDONLY | constants.O_NONBLOCK));
}

/** A batch reader for a device that is already open: two owners of one fd. */
export function batchReaderFor(dev: InputDevice): EventReader {
  return new EventReader(dev.fd); // expect: no-handle-adoption
}

export function cloneDevice(dev: InputDevice): InputDevice {
  return adoptFd(dev.fd); // expect: no-handle-adoption
}

export function reopenDevice(dev: InputDevice): InputDevice {
  return InputDevice.open(dev.path);
}

export function deviceFromPath(path: string): InputDevice {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  return adoptFd(fd);
}

export function labelOf(dev: InputDevice): string {
  return `${deviceName(dev.fd)} (${dev.path})`;
}

export function drainNow(devices: readonly InputDevice[]): InputEvent[] {
  const out: InputEvent[] = [];
  for (const dev of devices) {
    const reader = new EventReader(dev.fd); // expect: no-handle-adoption
    out.push(...reader.readBatch());
  }
  return out;
}

export class Hotplug {
  readonly #devices = new Map<string, InputDevice>();
  readonly #readers = new Map<string, EventReader>();

  attach(path: string): void {
    const dev = InputDevice.open(path);
    this.#devices.set(path, dev);
    this.#readers.set(path, new EventReader(dev.fd)); // expect: no-handle-adoption
  }

  attachSeparately(path: string): void {
    this.#devices.set(path, InputDevice.open(path));
    this.#readers.set(path, new EventReader(openSync(path, constants.O_RDONLY | constants.O_NONBLOCK)));
  }

  detach(path: string): void {
    this.#readers.get(path)?.close();
    this.#readers.delete(path);
    this.#devices.get(path)?.close();
    this.#devices.delete(path);
  }
}
