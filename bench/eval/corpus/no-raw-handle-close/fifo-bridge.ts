// Bridges named pipes and spool files into streams. Descriptors opened here with openSync are
// ours until they are handed to an adopter (a stream without `autoClose: false`, a net.Socket
// built around the fd); from then on the stream closes the number, and closing it here as
// well closes it twice (or closes whatever file got the number in between).
import { createHash } from 'node:crypto';
import fs, { closeSync, constants, createReadStream, createWriteStream, fstatSync, openSync } from 'node:fs';
import { Socket } from 'node:net';

/** Non-blocking FIFO reader wrapped in a socket (the safe way to read a FIFO): a transfer. */
export function openFifoReader(path: string): Socket {
  const fd = openSync(path, constants.O_RDWR | constants.O_NONBLOCK);
  return new Socket({ fd, readable: true, writable: false });
}

/** Checks the descriptor first; on a non-FIFO it is closed before anything adopted it. */
export function openFifoChecked(path: string): Socket {
  const fd = openSync(path, constants.O_RDWR | constants.O_NONBLOCK);
  if (!fstatSync(fd).isFIFO()) {
    closeSync(fd);
    throw new Error(`${path} is not a FIFO`);
  }
  return new Socket({ fd, readable: true, writable: false });
}

/** Wraps or closes: on the path that reaches the close, nothing adopted the descriptor. */
export function wrapOrClose(path: string, wrap: boolean): Socket | undefined {
  const fd = openSync(path, constants.O_RDWR | constants.O_NONBLOCK);
  if (wrap) return new Socket({ fd, readable: true, writable: false });
  closeSync(fd);
  return undefined;
}

/** Probes a FIFO through a socket, then closes the number the socket already closed. */
export function probeFifo(path: string): boolean {
  const fd = openSync(path, constants.O_RDWR | constants.O_NONBLOCK);
  const sock = new Socket({ fd, readable: true, writable: false });
  const readable = sock.readable;
  sock.destroy();
  closeSync(fd); // expect: no-raw-handle-close
  return readable;
}

export function replayFile(path: string, sink: (chunk: Buffer) => void): void {
  const fd = openSync(path, 'r');
  const rs = createReadStream('', { fd });
  rs.on('data', chunk => sink(Buffer.from(chunk)));
  fs.close(fd, err => { // expect: no-raw-handle-close
    if (err) console.error('replay: close failed', err);
  });
}

export function spoolLines(path: string, lines: readonly string[]): void {
  const fd = openSync(path, 'w');
  const ws = createWriteStream('', { fd });
  for (const line of lines) ws.write(`${line}\n`);
  ws.end();
  closeSync(fd); // expect: no-raw-handle-close
}

/** A stream with `autoClose: false` borrows the descriptor; closing it afterwards is ours. */
export async function checksumFd(path: string): Promise<string> {
  const fd = openSync(path, 'r');
  const hash = createHash('sha256');
  const rs = createReadStream('', { fd, autoClose: false });
  for await (const chunk of rs) hash.update(chunk as Buffer);
  closeSync(fd);
  return hash.digest('hex');
}

export function spoolLinesBorrowed(path: string, lines: readonly string[], done: () => void): void {
  const fd = openSync(path, 'w');
  const ws = createWriteStream('', { fd, autoClose: false });
  for (const line of lines) ws.write(`${line}\n`);
  ws.end(() => {
    closeSync(fd);
    done();
  });
}

/** Stat, read and close: plain synchronous use of our own descriptor. */
export function headerOf(path: string): Buffer {
  const fd = openSync(path, 'r');
  const buf = Buffer.alloc(Math.min(64, fstatSync(fd).size));
  fs.readSync(fd, buf, 0, buf.length, 0);
  fs.closeSync(fd);
  return buf;
}

/** Several spool files into one socket each; the loop closes numbers the sockets own. */
export function attachAll(paths: readonly string[]): Socket[] {
  const out: Socket[] = [];
  for (const p of paths) {
    const fd = openSync(p, constants.O_RDWR | constants.O_NONBLOCK);
    const sock = new Socket({ fd, readable: true, writable: false });
    if (!sock.readable) {
      sock.destroy();
      closeSync(fd); // expect: no-raw-handle-close
      continue;
    }
    out.push(sock);
  }
  return out;
}
