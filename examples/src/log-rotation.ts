// A log writer that rotates its file, and a tail that streams a file from a descriptor.
// `no-raw-handle-close` reports closing a raw fd that an owner still owns: the fd of a
// FileHandle, or an fd already handed to a stream that closes it by itself. The owner closes the
// same number again later, when the kernel may have given it to another file. Each hazard sits
// next to its correct twin.
import * as fs from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

export class RotatingLog {
  private current: FileHandle | undefined;

  constructor(private readonly path: string) {}

  async write(line: string): Promise<void> {
    this.current ??= await open(this.path, 'a');
    await this.current.appendFile(line + '\n');
  }

  // ❌ The FileHandle still owns its fd: when it is closed (or garbage-collected) it closes the
  // same number again, and by then the number may belong to the new log file.
  async rotateUnsafe(): Promise<void> {
    const old = this.current;
    if (!old) return;
    this.current = undefined;
    fs.fsyncSync(old.fd);
    fs.closeSync(old.fd); // (Suggestion: `await old.close()`.)
    await fs.promises.rename(this.path, `${this.path}.1`);
  }

  // ✅ Close the owner: it closes its fd exactly once.
  async rotate(): Promise<void> {
    const old = this.current;
    this.current = undefined;
    await old?.close();
    await fs.promises.rename(this.path, `${this.path}.1`);
  }
}

// ❌ The stream adopted `fd` (autoClose is on by default) and closes it itself at the end;
// the extra close here hits whatever file got the number in between.
export function tailUnsafe(path: string, out: NodeJS.WritableStream): void {
  const fd = fs.openSync(path, 'r');
  const stream = fs.createReadStream('', { fd, start: 0 });
  stream.pipe(out);
  stream.on('end', () => {
    fs.closeSync(fd); // (Suggestion: `stream.destroy()`.)
  });
}

// ✅ Let the stream own the fd; close the fd yourself only where the stream never got it.
export function tail(path: string, out: NodeJS.WritableStream): fs.ReadStream {
  const fd = fs.openSync(path, 'r');
  let stream: fs.ReadStream;
  try {
    stream = fs.createReadStream('', { fd, start: 0 });
  } catch (error) {
    fs.closeSync(fd); // the adopter failed: the fd is still ours
    throw error;
  }
  stream.pipe(out);
  return stream;
}

// ✅ Or keep ownership explicitly with `autoClose: false`, and close the fd once, yourself.
export function tailKeepingFd(path: string, out: NodeJS.WritableStream): void {
  const fd = fs.openSync(path, 'r');
  const stream = fs.createReadStream('', { fd, start: 0, autoClose: false });
  stream.pipe(out);
  stream.on('close', () => fs.closeSync(fd));
}
