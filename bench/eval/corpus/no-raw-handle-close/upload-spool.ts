// A spool uploader: each spooled file is a node:fs FileHandle, streamed to the uploader
// through `createReadStream('', { fd: fh })` (the stream then owns the FileHandle itself).
// Remote agent files carry an `fd` too, but they are protocol objects, not node:fs handles.
import fs, { createReadStream, type ReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { openRemote, type FileHandle as RemoteFile } from 'remote-fs-client';

export interface Uploader {
  put(name: string, body: ReadStream): Promise<void>;
}

export class SpoolFile {
  readonly #fh: FileHandle;
  #consumed = false;

  private constructor(
    fh: FileHandle,
    readonly path: string,
  ) {
    this.#fh = fh;
  }

  static async open(path: string): Promise<SpoolFile> {
    return new SpoolFile(await open(path, 'r'), path);
  }

  /** The stream takes the FileHandle itself (`{ fd: fh }`) and closes it when it ends. */
  stream(): ReadStream {
    this.#consumed = true;
    return createReadStream('', { fd: this.#fh });
  }

  /** Gives up on the file: unlinks it and closes the FileHandle's number directly. */
  discard(): void {
    fs.unlinkSync(this.path);
    if (!this.#consumed) fs.closeSync(this.#fh.fd); // expect: no-raw-handle-close
  }

  async discardProperly(): Promise<void> {
    fs.unlinkSync(this.path);
    if (!this.#consumed) await this.#fh.close();
  }

  async close(): Promise<void> {
    if (!this.#consumed) await this.#fh.close();
  }
}

export async function uploadAll(paths: readonly string[], up: Uploader): Promise<void> {
  for (const p of paths) {
    const spool = await SpoolFile.open(p);
    await up.put(p, spool.stream());
  }
}

/** A remote file is closed through the agent protocol. */
export async function releaseRemote(host: string, path: string): Promise<void> {
  const f: RemoteFile = await openRemote(host, path);
  await f.sync();
  await f.close();
}

/** A remote descriptor number is only ever echoed in reports. */
export function describeRemote(f: RemoteFile): string {
  return `${f.path} (agent fd ${f.fd})`;
}

/** A quarantined spool file: truncated and closed through its number. */
export async function quarantine(path: string): Promise<void> {
  const fh = await open(path, 'r+');
  fs.ftruncateSync(fh.fd, 0);
  fs.closeSync(fh.fd); // expect: no-raw-handle-close
}
