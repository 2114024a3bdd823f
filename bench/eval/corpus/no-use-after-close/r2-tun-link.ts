// Link management for a TUN-based overlay. TunDevice.shutdown() (tagged @close) brings the
// queue down and closes its descriptor: writes, MTU changes and ioctls through `fd` afterwards
// fail. `down` is its guard; name and mtu are plain properties.
import { features, ifIndex, TunDevice } from 'tun-native';

export type LinkCommand = 'reset' | 'probe' | 'mtu';

export class MeteredTun extends TunDevice {
  sentBytes = 0;

  send(packet: Buffer): number {
    const n = this.writePacket(packet);
    this.sentBytes += n;
    return n;
  }
}

export function bringDown(dev: TunDevice, log: (line: string) => void): void {
  dev.shutdown();
  log(`${dev.name} down (mtu was ${dev.mtu})`);
  if (!dev.down) throw new Error(`${dev.name} did not go down`);
}

/** Sends a last "goodbye" packet after the queue is gone. */
export function sayGoodbye(dev: TunDevice, bye: Buffer): void {
  dev.shutdown();
  dev.writePacket(bye); // expect: no-use-after-close
}

export function handle(dev: TunDevice, cmd: LinkCommand, mtu: number): number {
  switch (cmd) {
    case 'reset':
      dev.shutdown();
    // falls through: report the index of the (now closed) link
    case 'probe':
      return ifIndex(dev.fd); // expect: no-use-after-close
    case 'mtu':
      dev.setMtu(mtu);
      return mtu;
  }
}

export function handleCorrectly(dev: TunDevice, cmd: LinkCommand, mtu: number): number {
  switch (cmd) {
    case 'reset':
      dev.shutdown();
      return -1;
    case 'probe':
      return ifIndex(dev.fd);
    case 'mtu':
      dev.setMtu(mtu);
      return mtu;
  }
}

/** Drops the link on an oversized packet, but the loop keeps writing the rest. */
export function flush(dev: TunDevice, packets: readonly Buffer[]): number {
  let sent = 0;
  for (const p of packets) {
    if (p.length > dev.mtu) {
      dev.shutdown();
      continue;
    }
    sent += dev.writePacket(p); // expect: no-use-after-close
  }
  return sent;
}

export function flushUntilOversized(dev: TunDevice, packets: readonly Buffer[]): number {
  let sent = 0;
  for (const p of packets) {
    if (p.length > dev.mtu) {
      dev.shutdown();
      break;
    }
    sent += dev.writePacket(p);
  }
  return sent;
}

export function retire(dev: MeteredTun, last: Buffer): number {
  dev.shutdown();
  return dev.send(last); // expect: no-use-after-close
}

/** Reopens by name after the shutdown: reading plain properties of the old object is fine. */
export function reopenLike(dev: TunDevice): TunDevice {
  const wasMultiQueue = (features(dev.fd) & 0x0100) !== 0;
  dev.shutdown();
  return TunDevice.open(dev.name, { multiQueue: wasMultiQueue });
}

/** Replaces the device in the same variable before touching it again. */
export function restart(dev: TunDevice, mtu: number): TunDevice {
  dev.shutdown();
  dev = TunDevice.open(dev.name);
  dev.setMtu(mtu);
  return dev;
}

export class Link {
  #dev: TunDevice;
  #closed = false;

  constructor(dev: TunDevice) {
    this.#dev = dev;
  }

  /** Bounces the interface: down, then up again on the same (closed) object. */
  bounce(): void {
    if (this.#closed) return;
    this.#dev.shutdown();
    this.#dev.setUp(true); // expect: no-use-after-close
  }

  reopen(): void {
    if (this.#closed) return;
    const name = this.#dev.name;
    this.#dev.shutdown();
    this.#dev = TunDevice.open(name);
    this.#dev.setUp(true);
  }

  drain(packets: readonly Buffer[]): void {
    try {
      for (const p of packets) this.#dev.writePacket(p);
      this.#dev.shutdown();
    } finally {
      this.#dev.setUp(false); // expect: no-use-after-close
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#dev.shutdown();
  }
}
