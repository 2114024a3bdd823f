// AT-command sessions over a serial port addon. A read stored on `this` is still pending
// when close() runs unless the class cancels it first (cancelIo). A USB bulk endpoint's
// destroy() both cancels and closes.
import { BulkEndpoint, SerialPort } from 'serialport-native';

export class ModemSession {
  private pending: Promise<Buffer> | undefined;

  constructor(private readonly port: SerialPort) {}

  listen(): void {
    this.pending = this.port.read(256);
    this.pending.catch(() => undefined);
  }

  close(): void {
    this.port.close(); // expect: no-close-with-pending-ops
  }
}

export class GpsReceiver {
  private sentence: Promise<Buffer> | undefined;

  constructor(private readonly port: SerialPort) {}

  poll(): void {
    this.sentence = this.port.read(82);
  }

  latest(): Promise<Buffer> | undefined {
    return this.sentence;
  }

  close(): void {
    this.port.cancelIo();
    this.port.close();
  }
}

export function sendCommand(port: SerialPort, cmd: string, done: (err: Error | null) => void): void {
  port.write(Buffer.from(`${cmd}\r`), done);
  port.close(); // expect: no-close-with-pending-ops
}

export function sendCommandThenClose(port: SerialPort, cmd: string, done: (err: Error | null) => void): void {
  port.write(Buffer.from(`${cmd}\r`), err => {
    port.close();
    done(err);
  });
}

export function hangUp(port: SerialPort): void {
  port.drain(err => {
    if (err) console.error('drain failed', err);
  });
  port.cancelIo();
  port.close();
}

export async function readLineOrClose(port: SerialPort, ms: number): Promise<Buffer | undefined> {
  const line = port.read(128);
  const timeout = new Promise<undefined>(resolve => setTimeout(() => resolve(undefined), ms));
  const got = await Promise.race([line, timeout]);
  port.close(); // expect: no-close-with-pending-ops
  return got;
}

export async function readLine(port: SerialPort): Promise<Buffer> {
  const line = await port.read(128);
  port.setBaudRate(9600);
  port.close();
  return line;
}

export async function bulkRead(dev: string, length: number, ms: number): Promise<Buffer | undefined> {
  const ep = new BulkEndpoint(dev, 0x81);
  const transfer = ep.transfer(length);
  const got = await Promise.race([transfer, new Promise<undefined>(resolve => setTimeout(() => resolve(undefined), ms))]);
  ep.destroy();
  return got;
}
