// A keyboard/mouse hotplug helper over an evdev addon that tags its own lifetime: InputDevice
// owns its `fd` (@rawHandle), EventReader and adoptFd() take ownership of a descriptor
// (@adoptsHandle), closeFd() closes a raw descriptor (@closesHandle).
import { closeSync, constants, openSync } from 'node:fs';
import { adoptFd, closeFd, deviceName, EventReader, InputDevice, keyBits } from 'evdev-native';

export function nameOf(path: string): string {
  const dev = InputDevice.open(path);
  try {
    return deviceName(dev.fd);
  } finally {
    dev.close();
  }
}

/** Reads the name, then releases the device through the addon's raw close. */
export function nameAndRelease(path: string): string {
  const dev = InputDevice.open(path);
  const name = deviceName(dev.fd);
  closeFd(dev.fd); // expect: no-raw-handle-close
  return name;
}

export function releaseAll(devices: readonly InputDevice[]): void {
  for (const dev of devices) {
    dev.ungrab();
    closeSync(dev.fd); // expect: no-raw-handle-close
  }
}

export function releaseAllProperly(devices: readonly InputDevice[]): void {
  for (const dev of devices) {
    dev.ungrab();
    dev.close();
  }
}

/** A descriptor of our own handed to EventReader, which closes it: a transfer. */
export function readerFor(path: string): EventReader {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  return new EventReader(fd);
}

export function pendingEvents(path: string): number {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  const reader = new EventReader(fd);
  const n = reader.pending();
  reader.close();
  closeFd(fd); // expect: no-raw-handle-close
  return n;
}

export function pendingEventsOnce(path: string): number {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  const reader = new EventReader(fd);
  try {
    return reader.pending();
  } finally {
    reader.close();
  }
}

/** Inspects a descriptor of our own with synchronous ioctls, then closes it: never adopted. */
export function hasKey(path: string, code: number): boolean {
  const fd = openSync(path, constants.O_RDONLY);
  try {
    const bits = keyBits(fd);
    return ((bits[code >> 3] ?? 0) & (1 << (code & 7))) !== 0;
  } finally {
    closeFd(fd);
  }
}

export function deviceFrom(path: string): InputDevice {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  return adoptFd(fd);
}

/** Adopted by adoptFd(), then closed again by number when the name does not match. */
export function deviceNamed(path: string, wanted: string): InputDevice | undefined {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  const dev = adoptFd(fd);
  if (dev.name === wanted) return dev;
  closeSync(fd); // expect: no-raw-handle-close
  return undefined;
}

export function deviceNamedSafely(path: string, wanted: string): InputDevice | undefined {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  if (deviceName(fd) !== wanted) {
    closeSync(fd);
    return undefined;
  }
  return adoptFd(fd);
}

/** A device table that closes what it holds through the owners. */
export class DeviceTable {
  readonly #devices = new Map<string, InputDevice>();

  add(dev: InputDevice): void {
    this.#devices.set(dev.path, dev);
  }

  names(): string[] {
    return [...this.#devices.values()].map(dev => deviceName(dev.fd));
  }

  drop(path: string): void {
    const dev = this.#devices.get(path);
    if (dev === undefined) return;
    this.#devices.delete(path);
    closeFd(dev.fd); // expect: no-raw-handle-close
  }

  close(): void {
    for (const dev of this.#devices.values()) dev.close();
    this.#devices.clear();
  }
}
