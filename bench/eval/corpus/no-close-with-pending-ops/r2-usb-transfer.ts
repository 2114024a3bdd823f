// A sensor/firmware tool over a libusb-style addon. Every transfer (control transfers with a
// completion callback, bulk transfers returning promises) is a pending operation of the
// device; cancelTransfers() is its cancel. Closing with a transfer in flight makes libusb
// report LIBUSB_ERROR_BUSY or lose the transfer.
import { setTimeout as sleep } from 'node:timers/promises';
import { UsbDevice } from 'usb-native';

const EP_IN = 0x81;
const EP_OUT = 0x02;
const REQ_VERSION = 0x01;
const REQ_RESET = 0xff;

export function readVersion(dev: UsbDevice, done: (err: Error | null, version?: string) => void): void {
  dev.controlTransfer(0xc0, REQ_VERSION, 0, 0, 8, (err, data) => {
    done(err, data?.toString('ascii'));
  });
  dev.close(); // expect: no-close-with-pending-ops
}

export function readVersionThenClose(dev: UsbDevice, done: (err: Error | null, version?: string) => void): void {
  dev.controlTransfer(0xc0, REQ_VERSION, 0, 0, 8, (err, data) => {
    dev.close();
    done(err, data?.toString('ascii'));
  });
}

export function resetAndRelease(dev: UsbDevice): void {
  dev.controlTransfer(0x40, REQ_RESET, 0, 0, Buffer.alloc(0), () => {});
  dev.cancelTransfers();
  dev.close();
}

export async function sample(dev: UsbDevice, ms: number): Promise<Buffer | undefined> {
  const reading = dev.bulkIn(EP_IN, 64);
  reading.catch(() => undefined);
  const got = await Promise.race([reading, sleep(ms, undefined)]);
  dev.cancelTransfers();
  dev.close();
  return got;
}

/** If settle() rejects, the bulk read is still in flight when the finally closes. */
export async function calibrate(dev: UsbDevice, settle: () => Promise<void>): Promise<Buffer> {
  dev.open();
  try {
    const reading = dev.bulkIn(EP_IN, 512);
    await settle();
    return await reading;
  } finally {
    dev.close(); // expect: no-close-with-pending-ops
  }
}

export async function calibrateAfterSettle(dev: UsbDevice, settle: () => Promise<void>): Promise<Buffer> {
  dev.open();
  try {
    await settle();
    return await dev.bulkIn(EP_IN, 512);
  } finally {
    dev.close();
  }
}

export async function readAllEndpoints(dev: UsbDevice, endpoints: readonly number[]): Promise<Buffer[]> {
  const bufs = await Promise.all(endpoints.map(ep => dev.bulkIn(ep, 64)));
  dev.close();
  return bufs;
}

export async function drainUntil(dev: UsbDevice, marker: number, signal: AbortSignal): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (;;) {
    const chunk = dev.bulkIn(EP_IN, 512);
    if (signal.aborted) {
      dev.close(); // expect: no-close-with-pending-ops
      return out;
    }
    const buf = await chunk;
    out.push(buf);
    if (buf.includes(marker)) break;
  }
  dev.close();
  return out;
}

export function readOnceThenClose(dev: UsbDevice): Promise<Buffer> {
  return dev.bulkIn(EP_IN, 64).then(buf => {
    dev.close();
    return buf;
  });
}

/** Hot-swap: the read is on the spare, the close on the device being replaced. */
export function swapTo(current: UsbDevice, spare: UsbDevice): Promise<Buffer> {
  const first = spare.bulkIn(EP_IN, 64);
  current.close();
  return first;
}

export function sendAndHangUp(dev: UsbDevice, cmd: Buffer): void {
  void dev.bulkOut(EP_OUT, cmd);
  dev.close(); // expect: no-close-with-pending-ops
}

export async function flash(dev: UsbDevice, image: Buffer): Promise<void> {
  {
    using _claim = dev.claimInterface(0);
    for (let off = 0; off < image.length; off += 4096) {
      await dev.bulkOut(EP_OUT, image.subarray(off, off + 4096));
    }
  }
  dev.close();
}

export async function maybeRead(dev: UsbDevice, wanted: boolean): Promise<Buffer | undefined> {
  if (!wanted) {
    dev.close();
    return undefined;
  }
  const buf = await dev.bulkIn(EP_IN, 64);
  dev.close();
  return buf;
}

/** A software stand-in for tests: same method names, no native device behind it. */
export class EmulatedDevice {
  readonly #queue: Buffer[] = [];
  async bulkIn(_endpoint: number, length: number): Promise<Buffer> {
    await sleep(1);
    return this.#queue.shift()?.subarray(0, length) ?? Buffer.alloc(0);
  }
  cancelTransfers(): void {}
  close(): void {
    this.#queue.length = 0;
  }
}

export function emulatedHangUp(dev: EmulatedDevice): void {
  void dev.bulkIn(EP_IN, 64);
  dev.close();
}

export class SensorStream {
  #next: Promise<Buffer> | undefined;
  #closed = false;

  constructor(private readonly dev: UsbDevice) {}

  prefetch(): void {
    if (!this.#closed) this.#next = this.dev.bulkIn(EP_IN, 64);
  }

  take(): Promise<Buffer> | undefined {
    const next = this.#next;
    this.#next = undefined;
    this.prefetch();
    return next;
  }

  close(): void {
    this.#closed = true;
    this.dev.cancelTransfers();
    this.dev.close();
  }
}

export class CommandChannel {
  #inflight: Promise<number> | undefined;

  constructor(private readonly dev: UsbDevice) {}

  send(cmd: Buffer): void {
    this.#inflight = this.dev.bulkOut(EP_OUT, cmd);
  }

  lastSend(): Promise<number> | undefined {
    return this.#inflight;
  }

  close(): void {
    this.dev.close(); // expect: no-close-with-pending-ops
  }
}

/** Pumps upstream to downstream; only the upstream has a stored transfer. */
export class Bridge {
  #pending: Promise<Buffer> | undefined;

  constructor(
    private readonly upstream: UsbDevice,
    private readonly downstream: UsbDevice,
  ) {}

  pump(): void {
    this.#pending = this.upstream.bulkIn(EP_IN, 512);
  }

  result(): Promise<Buffer> | undefined {
    return this.#pending;
  }

  close(): void {
    this.upstream.cancelTransfers();
    this.upstream.close();
    this.downstream.close();
  }
}
