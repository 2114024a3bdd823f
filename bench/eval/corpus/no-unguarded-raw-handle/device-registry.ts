// A registry of open HID devices and files: destructured reads, raw values kept in records,
// and a borrow on the wrong owner.
import { fstatSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { HidDevice, ioctl } from 'usb-hid-native';

const HIDIOCGRAWINFO = 0x80084803;

interface OpenFileInfo {
  readonly fd: number;
  readonly openedAt: number;
}

export class FileRegistry {
  private info: OpenFileInfo | undefined;

  track(fh: FileHandle): void {
    this.info = { fd: fh.fd, openedAt: Date.now() }; // expect: no-unguarded-raw-handle
  }

  age(): number {
    return this.info === undefined ? 0 : Date.now() - this.info.openedAt;
  }
}

export async function sizeAfterFlush(fh: FileHandle): Promise<number> {
  const { fd } = fh; // expect: no-unguarded-raw-handle
  await fh.sync();
  return fstatSync(fd).size;
}

export function sizeNow(fh: FileHandle): number {
  const { fd } = fh;
  return fstatSync(fd).size;
}

/** Borrows the hub, then uses a handle of the device: the device itself is not borrowed. */
export async function rawInfoViaHub(hub: HidDevice, dev: HidDevice): Promise<Buffer> {
  hub.ref();
  try {
    const handle = dev.getHandle(); // expect: no-unguarded-raw-handle
    await delay(2);
    const info = Buffer.alloc(8);
    ioctl(handle, HIDIOCGRAWINFO, info);
    return info;
  } finally {
    hub.unref();
  }
}

export async function rawInfoBorrowed(dev: HidDevice): Promise<Buffer> {
  dev.ref();
  try {
    const handle = dev.getHandle();
    await delay(2);
    const info = Buffer.alloc(8);
    ioctl(handle, HIDIOCGRAWINFO, info);
    return info;
  } finally {
    dev.unref();
  }
}

export function rawInfoAll(devices: readonly HidDevice[]): Buffer[] {
  return devices.map(dev => {
    const info = Buffer.alloc(8);
    ioctl(dev.getHandle(), HIDIOCGRAWINFO, info);
    return info;
  });
}

export function describeAll(files: ReadonlyMap<string, FileHandle>): string[] {
  const out: string[] = [];
  for (const [name, fh] of files) {
    const fd = fh.fd;
    out.push(`${name}: fd ${fd}, ${fstatSync(fd).size} bytes`);
  }
  return out;
}
