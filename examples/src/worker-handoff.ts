// Shipping log files: streaming an open FileHandle, and handing files to a worker thread.
// `no-handle-adoption` reports a raw fd given to something that will close it too, and an owner
// (or its raw fd) sent to another thread without transferring it. Each hazard sits next to its
// correct twin.
import * as fs from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import * as net from 'node:net';
import { BroadcastChannel, Worker } from 'node:worker_threads';

// ❌ The stream adopts fh's fd and closes it when it ends (autoClose defaults to true); the
// caller's `fh.close()` later closes the same number again, by then maybe another file's.
export function shipUnsafe(fh: FileHandle, destination: fs.WriteStream): void {
  fs.createReadStream('', { fd: fh.fd, highWaterMark: 64 * 1024 }).pipe(destination);
}

// ✅ Give the stream the FileHandle itself: it closes fh (fh.fd becomes -1, fh.close() a no-op).
export function ship(fh: FileHandle, destination: fs.WriteStream): void {
  fs.createReadStream('', { fd: fh, highWaterMark: 64 * 1024 }).pipe(destination);
}

// ✅ Or keep fh the only owner: the stream leaves the fd open.
export function shipBorrowed(fh: FileHandle, destination: fs.WriteStream): void {
  fs.createReadStream('', { fd: fh.fd, autoClose: false, highWaterMark: 64 * 1024 }).pipe(destination);
}

// ❌ net.Socket closes its fd when destroyed: a socket over fh's fd is a second owner.
export function tapUnsafe(fh: FileHandle): net.Socket {
  return new net.Socket({ fd: fh.fd, readable: true, writable: false });
}

// ✅ A descriptor this code opened itself has one owner: the socket.
export function tap(path: string): net.Socket {
  const fd = fs.openSync(path, fs.constants.O_RDWR | fs.constants.O_NONBLOCK);
  return new net.Socket({ fd, readable: true, writable: false });
}

// ❌ Without a transfer list, postMessage throws ERR_MISSING_TRANSFERABLE_IN_TRANSFER_LIST.
export async function compressUnsafe(worker: Worker, path: string): Promise<void> {
  const fh = await open(path, 'r');
  worker.postMessage({ kind: 'compress', file: fh });
}

// ✅ Transfer the FileHandle: it moves to the worker, which closes it; this thread must not use
// `fh` any more.
export async function compress(worker: Worker, path: string): Promise<void> {
  const fh = await open(path, 'r');
  worker.postMessage({ kind: 'compress', file: fh }, [fh]);
}

// ❌ The fd number is copied: when the worker closes it, this thread's fh holds a number the
// kernel hands to the next file opened.
export function checksumUnsafe(worker: Worker, fh: FileHandle): void {
  worker.postMessage({ kind: 'checksum', fd: fh.fd });
}

// ✅ Post the path: the worker opens (and closes) its own handle.
export function checksum(worker: Worker, path: string): void {
  worker.postMessage({ kind: 'checksum', path });
}

// ❌ A broadcast has no transfer list: the FileHandle cannot move through it.
export function announceUnsafe(fh: FileHandle): void {
  const channel = new BroadcastChannel('logs');
  channel.postMessage({ rotated: fh });
  channel.close();
}

// ✅ Broadcast plain data.
export function announce(path: string): void {
  const channel = new BroadcastChannel('logs');
  channel.postMessage({ rotated: path });
  channel.close();
}
