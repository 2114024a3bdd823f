// Packet I/O for a TUN-based overlay network. A TunDevice owns its queue descriptor; a
// PacketRing (constructor tagged @adoptsHandle), attachQueue() (@adoptsHandle) and a
// net.Socket built on a descriptor each take ownership of the number they are given. Given the
// device's own fd, they become a second owner and will close it behind the device.
import { constants, openSync } from 'node:fs';
import { Socket } from 'node:net';
import { Worker } from 'node:worker_threads';
import { attachQueue, features, ifIndex, PacketRing, TunDevice } from 'tun-native';

export class TapDevice extends TunDevice {
  readonly mac = Buffer.alloc(6);
}

export interface RingOptions {
  readonly slots: number;
  readonly device: TunDevice;
}

export function ringOn(dev: TunDevice, slots = 512): PacketRing {
  return new PacketRing(dev.fd, slots); // expect: no-handle-adoption
}

export function ringFromOptions({ device, slots }: RingOptions): PacketRing {
  return new PacketRing(device.fd, slots); // expect: no-handle-adoption
}

export function ringOnTap(tap: TapDevice): PacketRing {
  const ring = new PacketRing(tap.fd, 64); // expect: no-handle-adoption
  return ring;
}

/** A fresh queue descriptor for the ring: the ring is its only owner. */
export function ringOnNewQueue(slots: number): PacketRing {
  return new PacketRing(openSync('/dev/net/tun', constants.O_RDWR | constants.O_NONBLOCK), slots);
}

/** Adds the device's own queue to the multiqueue set of another interface. */
export function mirrorQueue(dev: TunDevice, ifname: string): void {
  attachQueue(dev.fd, ifname); // expect: no-handle-adoption
}

export function addQueue(ifname: string): void {
  const fd = openSync('/dev/net/tun', constants.O_RDWR);
  attachQueue(fd, ifname);
}

/** Reads packets through a net.Socket on the tun descriptor (the device still owns it). */
export function packetSocket(dev: TunDevice): Socket {
  const sock = new Socket({ fd: dev.fd, readable: true, writable: true }); // expect: no-handle-adoption
  sock.setNoDelay(true);
  return sock;
}

export function supports(dev: TunDevice, flag: number): boolean {
  return (features(dev.fd) & flag) !== 0;
}

export class Overlay {
  readonly #dev: TunDevice;
  readonly #rings = new Map<number, PacketRing>();
  readonly #worker: Worker;
  #closed = false;

  constructor(dev: TunDevice, script: URL) {
    this.#dev = dev;
    this.#worker = new Worker(script);
  }

  addRing(queue: number, slots: number): void {
    if (this.#closed) return;
    this.#rings.set(queue, new PacketRing(this.#dev.fd, slots)); // expect: no-handle-adoption
  }

  /** The worker does the encryption and writes to the descriptor itself. */
  offload(): void {
    this.#worker.postMessage({ type: 'tun', name: this.#dev.name, fd: this.#dev.fd }); // expect: no-handle-adoption
  }

  /** Only the interface index and MTU travel: the worker opens its own queue. */
  announce(): void {
    this.#worker.postMessage({ type: 'tun', name: this.#dev.name, index: ifIndex(this.#dev.fd), mtu: this.#dev.mtu });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const r of this.#rings.values()) r.close();
    void this.#worker.terminate();
    this.#dev.shutdown();
  }
}
