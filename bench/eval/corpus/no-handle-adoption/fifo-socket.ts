// Reading FIFOs and pty masters through net.Socket, the non-blocking way NODE-FACTS §1
// recommends. A socket built on a descriptor owns it and closes it on destroy(); built on a
// FileHandle's fd or a Terminal's master fd, it becomes a second owner of that number.
import { constants, openSync } from 'node:fs';
import { open } from 'node:fs/promises';
import net, { Socket } from 'node:net';
import { Terminal } from 'node-pty-native';

/** The recommended pattern: a descriptor opened here, O_NONBLOCK, handed to the socket. */
export function fifoSocket(path: string): Socket {
  const fd = openSync(path, constants.O_RDWR | constants.O_NONBLOCK);
  return new Socket({ fd, readable: true, writable: false });
}

/** Same FIFO, but through fs/promises: the socket and the FileHandle both own the fd. */
export async function fifoSocketFromHandle(path: string): Promise<Socket> {
  const fh = await open(path, constants.O_RDWR | constants.O_NONBLOCK);
  return new Socket({ fd: fh.fd, readable: true, writable: false }); // expect: no-handle-adoption
}

export async function fifoSocketFromHandleLocal(path: string): Promise<Socket> {
  const fh = await open(path, constants.O_RDWR | constants.O_NONBLOCK);
  const fd = fh.fd;
  const sock = new net.Socket({ fd, readable: true }); // expect: no-handle-adoption
  sock.setEncoding('utf8');
  return sock;
}

/** Mirrors pty output into a socket built on the master fd, which the Terminal owns. */
export function mirrorPty(term: Terminal): Socket {
  return new Socket({ fd: term.masterFd, readable: true, writable: false }); // expect: no-handle-adoption
}

export function mirrorPtyViaEvents(term: Terminal, sink: (data: string) => void): void {
  term.onData(sink);
}

export function tcpClient(host: string, port: number): Socket {
  const sock = new Socket({ allowHalfOpen: true });
  sock.connect(port, host);
  return sock;
}

export function plainSocket(): Socket {
  return new net.Socket();
}

/** Options built up front; the socket is made from them without a descriptor. */
export function unixClient(path: string, readableOnly: boolean): Socket {
  const sock = new Socket({ readable: true, writable: !readableOnly });
  return sock.connect(path);
}

export class FifoTap {
  readonly #sock: Socket;
  #closed = false;

  constructor(path: string) {
    const fd = openSync(path, constants.O_RDWR | constants.O_NONBLOCK);
    this.#sock = new Socket({ fd, readable: true, writable: false });
  }

  onLine(cb: (line: string) => void): void {
    this.#sock.on('data', chunk => {
      for (const line of chunk.toString('utf8').split('\n')) if (line !== '') cb(line);
    });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#sock.destroy();
  }
}

export class PtyTap {
  readonly #term: Terminal;
  readonly #sock: Socket;

  constructor(term: Terminal) {
    this.#term = term;
    this.#sock = new Socket({ fd: term.masterFd, readable: true, writable: false }); // expect: no-handle-adoption
  }

  close(): void {
    this.#sock.destroy();
    this.#term.kill('SIGHUP');
  }
}
