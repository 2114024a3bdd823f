// settings: {"native-handle":{"resources":[{"type":{"from":"package","package":"zeromq-lite","name":"Socket"},"rawHandle":"getFd","addRef":"ref","release":"unref","close":"close","guard":"closed"}]}}
// Integrating ZeroMQ sockets (configured in settings, the addon has no tags) with an
// external poll loop through ZMQ_FD. A pipe wrapper with the same method names is no owner.
import { pollEvents, POLLIN, Socket } from 'zeromq-lite';

export async function publishWhenWritable(sock: Socket, endpoint: string, msg: string): Promise<boolean> {
  const fd = sock.getFd(); // expect: no-unguarded-raw-handle
  await sock.bind(endpoint);
  if ((pollEvents(fd) & POLLIN) === 0) return false;
  await sock.send(msg);
  return true;
}

export async function publishBorrowed(sock: Socket, endpoint: string, msg: string): Promise<boolean> {
  sock.ref();
  try {
    const fd = sock.getFd();
    await sock.bind(endpoint);
    if ((pollEvents(fd) & POLLIN) === 0) return false;
    await sock.send(msg);
    return true;
  } finally {
    sock.unref();
  }
}

export function readable(sock: Socket): boolean {
  return (pollEvents(sock.getFd()) & POLLIN) !== 0;
}

export function afterSend(sock: Socket, msg: string, onReadable: () => void): void {
  const fd = sock.getFd(); // expect: no-unguarded-raw-handle
  void sock.send(msg).then(() => {
    if (pollEvents(fd) & POLLIN) onReadable();
  });
}

/** An anonymous pipe from a child process: same method names, not a configured owner. */
export class PipeEnd {
  constructor(private readonly fd: number) {}
  getFd(): number {
    return this.fd;
  }
  ref(): void {}
  unref(): void {}
}

export class PipeWatcher {
  private watched = -1;

  watch(pipe: PipeEnd): void {
    this.watched = pipe.getFd();
  }

  async waitAndCheck(pipe: PipeEnd, ms: number): Promise<number> {
    const fd = pipe.getFd();
    await new Promise(resolve => setTimeout(resolve, ms));
    return fd === this.watched ? pollEvents(fd) : 0;
  }
}

export class ZmqEventSource {
  private fd = -1;

  constructor(private readonly sock: Socket) {}

  start(): void {
    this.fd = this.sock.getFd(); // expect: no-unguarded-raw-handle
  }

  events(): number {
    return this.fd < 0 ? 0 : pollEvents(this.fd);
  }
}
