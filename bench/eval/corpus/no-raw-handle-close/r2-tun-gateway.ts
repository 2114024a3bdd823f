// A userspace VPN gateway over a TUN addon. Each TunDevice owns its queue descriptor and
// closes it in shutdown(); PacketRing and attachQueue() take ownership of the descriptor they
// are given. Queue descriptors opened here with openSync are ours until one of them adopts it.
import { closeSync, constants, openSync } from 'node:fs';
import { attachQueue, closeQueue, features, IFF_MULTI_QUEUE, ifIndex, PacketRing, TunDevice } from 'tun-native';

/** A queue slot as written in the gateway's state file: a number from a previous run. */
interface QueueSlot {
  readonly ifname: string;
  readonly fd: number;
}

export class MeteredTun extends TunDevice {
  bytesOut = 0;
}

export type ControlCommand = 'mtu' | 'reset' | 'down';

export class TunGateway {
  readonly #rings = new Map<string, PacketRing>();
  #closed = false;

  constructor(
    private readonly dev: TunDevice,
    private readonly log: (line: string) => void,
  ) {}

  index(): number {
    return ifIndex(this.dev.fd);
  }

  /** Rebuilds the queue after a driver hiccup by closing its descriptor first. */
  rebuild(): void {
    this.log(`rebuilding ${this.dev.name}`);
    closeQueue(this.dev.fd); // expect: no-raw-handle-close
  }

  control(cmd: ControlCommand, mtu = 1500): void {
    switch (cmd) {
      case 'mtu':
        this.dev.setMtu(mtu);
        break;
      case 'reset':
        closeSync(this.dev.fd); // expect: no-raw-handle-close
        break;
      default:
        this.close();
    }
  }

  /** A ring on a fresh descriptor of our own: PacketRing owns it from here on. */
  addRing(key: string, slots: number): void {
    const fd = openSync('/dev/net/tun', constants.O_RDWR | constants.O_NONBLOCK);
    this.#rings.set(key, new PacketRing(fd, slots));
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const ring of this.#rings.values()) ring.close();
    this.#rings.clear();
    this.dev.shutdown();
  }
}

/** Gives up on a ring that came back too small, and closes its descriptor once more. */
export function ringFor(slots: number): PacketRing | undefined {
  const fd = openSync('/dev/net/tun', constants.O_RDWR | constants.O_NONBLOCK);
  const ring = new PacketRing(fd, slots);
  if (ring.slots < slots) {
    ring.close();
    closeQueue(fd); // expect: no-raw-handle-close
    return undefined;
  }
  return ring;
}

/** Checks the descriptor before anything owns it: closing it on the refusal path is ours. */
export function addQueue(ifname: string): boolean {
  const fd = openSync('/dev/net/tun', constants.O_RDWR);
  if ((features(fd) & IFF_MULTI_QUEUE) === 0) {
    closeQueue(fd);
    return false;
  }
  attachQueue(fd, ifname);
  return true;
}

/** Hands the descriptor to the multiqueue set, then closes "our copy" of it. */
export function addQueueAndForget(ifname: string): void {
  const fd = openSync('/dev/net/tun', constants.O_RDWR);
  attachQueue(fd, ifname);
  closeSync(fd); // expect: no-raw-handle-close
}

export function dropMetered(dev: MeteredTun): number {
  const sent = dev.bytesOut;
  closeQueue(dev.fd); // expect: no-raw-handle-close
  return sent;
}

export function dropAll<D extends TunDevice>(devices: Iterable<D>): number {
  let n = 0;
  for (const d of devices) {
    if (d.down) continue;
    closeSync(d.fd); // expect: no-raw-handle-close
    n++;
  }
  return n;
}

export function shutdownAll<D extends TunDevice>(devices: Iterable<D>): void {
  for (const d of devices) if (!d.down) d.shutdown();
}

/** Numbers restored from the state file belong to no TunDevice in this process. */
export function forgetSlots(slots: readonly QueueSlot[]): void {
  for (const slot of slots) {
    if (slot.fd >= 0) closeQueue(slot.fd);
  }
}

export function describe(dev: TunDevice): string {
  return `${dev.name} ifindex=${ifIndex(dev.fd)} mtu=${dev.mtu}`;
}
