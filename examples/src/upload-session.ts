// An upload session: the client streams a file to a socket and keeps a receipt file. Error
// paths close the socket or the file early; code that runs after such a close on the same
// path must not touch them again.
import { type FileHandle, open } from 'node:fs/promises';
import * as net from 'node:net';

export interface UploadResult {
  readonly bytes: number;
  readonly receipt: string;
}

// ❌ On a refused upload the socket is destroyed, but the code goes on to write the trailer:
// the write fails with ERR_STREAM_DESTROYED (an 'error' event), and the trailer is lost.
export async function upload(sock: net.Socket, path: string, accepted: boolean): Promise<number> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    if (!accepted) {
      sock.destroy();
    }
    sock.write(`END ${size}\r\n`);
    return size;
  } finally {
    await fh.close();
  }
}

// ✅ The same, leaving as soon as the socket is destroyed.
export async function uploadChecked(sock: net.Socket, path: string, accepted: boolean): Promise<number> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    if (!accepted) {
      sock.destroy();
      return 0;
    }
    sock.write(`END ${size}\r\n`);
    return size;
  } finally {
    await fh.close();
  }
}

// ❌ The receipt is closed before its last write: the write rejects with EBADF "file closed".
// (Suggestion: move the close after the last statement that uses the receipt.)
export async function writeReceipt(path: string, result: UploadResult): Promise<void> {
  const receipt = await open(path, 'w');
  await receipt.write(`bytes=${result.bytes}\n`);
  await receipt.close();
  await receipt.write(`receipt=${result.receipt}\n`);
}

// ✅ Every write happens before the close.
export async function writeReceiptInOrder(path: string, result: UploadResult): Promise<void> {
  const receipt = await open(path, 'w');
  await receipt.write(`bytes=${result.bytes}\n`);
  await receipt.write(`receipt=${result.receipt}\n`);
  await receipt.close();
}

// ❌ A log that is closed at the end of each batch but reused by the next one: from the second
// batch on, every append hits a closed FileHandle.
export async function appendBatches(log: FileHandle, batches: readonly string[][]): Promise<void> {
  for (const batch of batches) {
    await log.appendFile(batch.join('\n'));
    await log.close();
  }
}

// ✅ Opened per batch: each iteration closes its own handle.
export async function appendBatchesReopened(path: string, batches: readonly string[][]): Promise<void> {
  for (const batch of batches) {
    const log = await open(path, 'a');
    await log.appendFile(batch.join('\n'));
    await log.close();
  }
}

// ✅ Not uses: the socket's guard flag, waiting for 'close', and listener removal.
export async function hangUp(sock: net.Socket): Promise<boolean> {
  sock.destroy();
  sock.removeAllListeners('data');
  if (!sock.destroyed) sock.write('BYE\r\n');
  await new Promise(resolve => sock.once('close', resolve));
  return sock.destroyed;
}
