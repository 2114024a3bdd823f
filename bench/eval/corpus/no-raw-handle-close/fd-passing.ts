// settings: {"native-handle":{"resources":[{"type":{"from":"package","package":"fdpass-lite","name":"Channel"},"rawHandle":"fd"}],"rawClose":{"from":"package","package":"fdpass-lite","name":"closeDescriptor"},"adopt":[{"from":"package","package":"fdpass-lite","name":["FdStream","wrapFd"]}]}}
// A broker that receives descriptors from a privileged helper over a Unix socket (SCM_RIGHTS).
// The addon has no tags: settings make Channel an owner of its `fd`, closeDescriptor() a raw
// closer, and FdStream / wrapFd() adopters. A received descriptor is ours until adopted.
import { fstatSync } from 'node:fs';
import { Channel, closeDescriptor, describeFd, FdStream, wrapFd } from 'fdpass-lite';

export async function receiveStream(ch: Channel): Promise<FdStream> {
  const fd = await ch.recvFd();
  return new FdStream(fd, { label: 'helper' });
}

/** Not a socket: closed before anything adopted it. */
export async function receiveIfSocket(ch: Channel): Promise<FdStream | undefined> {
  const fd = await ch.recvFd();
  if (describeFd(fd).type !== 'socket') {
    closeDescriptor(fd);
    return undefined;
  }
  return wrapFd(fd);
}

export async function receiveAndInspect(ch: Channel): Promise<number> {
  const fd = await ch.recvFd();
  const stream = wrapFd(fd);
  const head = await stream.read(16);
  closeDescriptor(fd); // expect: no-raw-handle-close
  return head.length;
}

export async function receiveAndInspectSafely(ch: Channel): Promise<number> {
  const fd = await ch.recvFd();
  const stream = wrapFd(fd);
  try {
    return (await stream.read(16)).length;
  } finally {
    stream.close();
  }
}

export async function readLength(ch: Channel): Promise<number> {
  const fd = await ch.recvFd();
  const stream = new FdStream(fd);
  try {
    return (await stream.read(4)).readUInt32LE(0);
  } finally {
    stream.close();
    closeDescriptor(fd); // expect: no-raw-handle-close
  }
}

export function hangUp(ch: Channel): void {
  closeDescriptor(ch.fd); // expect: no-raw-handle-close
}

export function hangUpProperly(ch: Channel): void {
  ch.close();
}

export function channelInode(ch: Channel): number {
  return fstatSync(ch.fd).ino;
}

/** Descriptors received and only described: ours to close. */
export async function drainUnwanted(ch: Channel, count: number): Promise<number> {
  let sockets = 0;
  for (let i = 0; i < count; i++) {
    const fd = await ch.recvFd();
    if (describeFd(fd).type === 'socket') sockets++;
    closeDescriptor(fd);
  }
  return sockets;
}

export class HelperLink {
  readonly #ch: Channel;
  #closed = false;

  constructor(ch: Channel) {
    this.#ch = ch;
  }

  inode(): number {
    return describeFd(this.#ch.fd).inode;
  }

  /** Resets the link by closing the channel's descriptor under it. */
  reset(): void {
    closeDescriptor(this.#ch.fd); // expect: no-raw-handle-close
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#ch.close();
  }
}
