// settings: {"native-handle":{"resources":[{"type":{"from":"package","package":"fdpass-lite","name":"Channel"},"rawHandle":"fd"}],"adopt":[{"from":"package","package":"fdpass-lite","name":["FdStream","wrapFd"]}]}}
// A terminal multiplexer that moves byte streams between ptys, files and a helper channel.
// The fdpass addon has no tags: settings make Channel the owner of its `fd` and FdStream /
// wrapFd() adopters. Descriptors received from the helper are ours to hand over.
import { constants, openSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { Channel, describeFd, FdStream, wrapFd } from 'fdpass-lite';
import { Terminal } from 'node-pty-native';

export async function streamFromHelper(ch: Channel): Promise<FdStream> {
  return wrapFd(await ch.recvFd());
}

export async function labelledFromHelper(ch: Channel, label: string): Promise<FdStream> {
  const fd = await ch.recvFd();
  return new FdStream(fd, { label });
}

/** Streams over the helper channel's own descriptor: the Channel and the stream both own it. */
export function channelStream(ch: Channel): FdStream {
  return wrapFd(ch.fd); // expect: no-handle-adoption
}

export function channelKind(ch: Channel): string {
  return describeFd(ch.fd).type;
}

export function ptyStream(term: Terminal): FdStream {
  return new FdStream(term.masterFd, { label: `pty ${term.pid}` }); // expect: no-handle-adoption
}

export function recordingStream(path: string): FdStream {
  return new FdStream(openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT));
}

export async function recordingFromHandle(path: string): Promise<FdStream> {
  const fh = await open(path, 'a');
  const stream = wrapFd(fh.fd); // expect: no-handle-adoption
  return stream;
}

export async function recordTo(fh: FileHandle, data: Buffer): Promise<void> {
  await fh.write(data);
}

export class Mux {
  readonly #term: Terminal;
  readonly #streams: FdStream[] = [];
  #closed = false;

  constructor(term: Terminal) {
    this.#term = term;
  }

  tee(path: string): void {
    this.#streams.push(new FdStream(openSync(path, constants.O_WRONLY | constants.O_CREAT)));
  }

  mirror(): void {
    this.#streams.push(new FdStream(this.#term.masterFd)); // expect: no-handle-adoption
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const s of this.#streams) s.close();
    this.#term.kill('SIGHUP');
  }
}
