// Feature-report access to a USB HID device through a native addon. The addon's handle is
// only safe to use while a borrow (ref/unref) is held across the awaits that follow.
import { setTimeout as delay } from 'node:timers/promises';
import { HidDevice, ioctl } from 'usb-hid-native';

const HIDIOCGFEATURE = 0xc0404807;
const HIDIOCSFEATURE = 0xc0404806;
const HIDIOCRESET = 0x4800;

async function waitReadable(dev: HidDevice): Promise<void> {
  await dev.readReport(0);
}

export async function readFeature(dev: HidDevice, reportId: number): Promise<Buffer> {
  dev.ref();
  try {
    const handle = dev.getHandle();
    await waitReadable(dev);
    const buf = Buffer.alloc(64);
    buf[0] = reportId;
    ioctl(handle, HIDIOCGFEATURE, buf);
    return buf;
  } finally {
    dev.unref();
  }
}

export async function readFeatureUnsafe(dev: HidDevice, reportId: number): Promise<Buffer> {
  const handle = dev.getHandle(); // expect: no-unguarded-raw-handle
  await waitReadable(dev);
  const buf = Buffer.alloc(64);
  buf[0] = reportId;
  ioctl(handle, HIDIOCGFEATURE, buf);
  return buf;
}

/** Borrowed, but the release is not in a `finally`: a throw leaks the count. */
export async function resetDevice(dev: HidDevice): Promise<void> {
  dev.ref();
  const handle = dev.getHandle(); // expect: no-unguarded-raw-handle
  await delay(10);
  ioctl(handle, HIDIOCRESET);
  dev.unref();
}

/** The borrow ends before the handle's last use. */
export async function probe(dev: HidDevice): Promise<number> {
  let handle: bigint;
  dev.ref();
  try {
    handle = dev.getHandle(); // expect: no-unguarded-raw-handle
    await delay(5);
  } finally {
    dev.unref();
  }
  return ioctl(handle, HIDIOCGFEATURE, Buffer.alloc(64));
}

export function writeFeatureSync(dev: HidDevice, report: Buffer): number {
  return ioctl(dev.getHandle(), HIDIOCSFEATURE, report);
}

/** A device class that logs every report; still a HidDevice. */
export class TracingHidDevice extends HidDevice {
  readonly trace: string[] = [];
}

export async function tracedFeature(dev: TracingHidDevice): Promise<Buffer> {
  const handle = dev.getHandle(); // expect: no-unguarded-raw-handle
  const buf = Buffer.alloc(64);
  await delay(1);
  ioctl(handle, HIDIOCGFEATURE, buf);
  dev.trace.push(buf.toString('hex'));
  return buf;
}

/** Keeps the handle for a status poll driven by the caller (no close method of its own). */
export class HidStatusProbe {
  private handle: bigint | undefined;

  constructor(private readonly dev: HidDevice) {}

  attach(): void {
    this.handle = this.dev.getHandle(); // expect: no-unguarded-raw-handle
  }

  status(): number {
    return this.handle === undefined ? -1 : ioctl(this.handle, HIDIOCGFEATURE, Buffer.alloc(8));
  }

  statusNow(): number {
    return ioctl(this.dev.getHandle(), HIDIOCGFEATURE, Buffer.alloc(8));
  }
}
