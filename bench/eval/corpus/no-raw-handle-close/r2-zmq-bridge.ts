// settings: {"native-handle":{"resources":[{"type":{"from":"package","package":"zeromq-lite","name":"Socket"},"rawHandle":"getFd","addRef":"ref","release":"unref"}],"rawClose":{"from":"package","package":"fdpass-lite","name":"closeDescriptor"},"adopt":[{"from":"package","package":"fdpass-lite","name":["FdStream","wrapFd"]}]}}
// A bridge between a ZeroMQ bus and descriptors received from a privileged helper. Settings
// make a zeromq Socket the owner of its notification descriptor (getFd()), closeDescriptor()
// a raw close, and FdStream / wrapFd() adopters. Descriptors received over the helper channel
// are ours until one of them is wrapped.
import { closeSync } from 'node:fs';
import { closeDescriptor, describeFd, wrapFd, type Channel, type FdStream } from 'fdpass-lite';
import { pollEvents, POLLIN, Socket } from 'zeromq-lite';

export function readable(sock: Socket): boolean {
  return (pollEvents(sock.getFd()) & POLLIN) !== 0;
}

/** "Wakes" a stuck subscriber by closing its notification descriptor. */
export function unstick(sock: Socket): void {
  closeDescriptor(sock.getFd()); // expect: no-raw-handle-close
}

export function drainAndDrop(sock: Socket): boolean {
  const fd = sock.getFd();
  const ready = (pollEvents(fd) & POLLIN) !== 0;
  closeSync(fd); // expect: no-raw-handle-close
  return ready;
}

/** Accepts streamed descriptors from the helper; refused ones are closed. */
export async function acceptStreams(
  ch: Channel,
  count: number,
  accept: (s: FdStream) => boolean,
): Promise<FdStream[]> {
  const out: FdStream[] = [];
  for (let i = 0; i < count; i++) {
    const fd = await ch.recvFd();
    if (describeFd(fd).type !== 'socket') {
      closeDescriptor(fd);
      continue;
    }
    const stream = wrapFd(fd);
    if (!accept(stream)) {
      stream.close();
      closeDescriptor(fd); // expect: no-raw-handle-close
      continue;
    }
    out.push(stream);
  }
  return out;
}

export async function acceptStreamsProperly(
  ch: Channel,
  count: number,
  accept: (s: FdStream) => boolean,
): Promise<FdStream[]> {
  const out: FdStream[] = [];
  for (let i = 0; i < count; i++) {
    const fd = await ch.recvFd();
    if (describeFd(fd).type !== 'socket') {
      closeDescriptor(fd);
      continue;
    }
    const stream = wrapFd(fd);
    if (accept(stream)) out.push(stream);
    else stream.close();
  }
  return out;
}

export class BusBridge {
  readonly #sub: Socket;
  readonly #streams: FdStream[] = [];
  #closed = false;

  constructor(sub: Socket) {
    this.#sub = sub;
  }

  notifierType(): string {
    return describeFd(this.#sub.getFd()).type;
  }

  /** Detaches the bus by closing the subscriber's descriptor under it. */
  detach(): void {
    if (this.#closed) return;
    closeDescriptor(this.#sub.getFd()); // expect: no-raw-handle-close
  }

  /** Polls under a borrow, then ends the borrow. */
  poll(): number {
    this.#sub.ref();
    try {
      return pollEvents(this.#sub.getFd());
    } finally {
      this.#sub.unref();
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const s of this.#streams) s.close();
    this.#sub.close();
  }
}

/** Closes every socket's descriptor, then every socket: the sockets close the numbers again. */
export function teardown(sockets: readonly Socket[]): void {
  for (const s of sockets) {
    if (s.closed) continue;
    const fd = s.getFd();
    closeDescriptor(fd); // expect: no-raw-handle-close
    s.close();
  }
}
