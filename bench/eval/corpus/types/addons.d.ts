// Ambient declarations of the native addons the corpus files import. An addon ships a .d.ts
// like these; the JSDoc role tags are how it describes its own lifetime (spec §2, source 2).
// `zeromq-lite` and `nanomsg-lite` carry no tags: the files that use them configure them
// through `// settings:` (spec §2, source 3). `signal-exit` is the real package's shape.

declare module 'usb-hid-native' {
  /**
   * An open HID device (hidraw node).
   * @nativeResource
   */
  export class HidDevice {
    constructor(path: string);
    readonly path: string;
    /**
     * The hidraw file descriptor, as a bigint pointer-sized value.
     * @rawHandle
     */
    getHandle(): bigint;
    /** @addRef */
    ref(): void;
    /** @release */
    unref(): void;
    readReport(length: number): Promise<Buffer>;
    /** @close */
    close(): void;
  }
  /** Synchronous ioctl(2) on a raw hidraw handle; returns the ioctl result. */
  export function ioctl(handle: bigint, request: number, arg?: Buffer): number;
  export function enumerate(vendorId: number, productId?: number): string[];
}

declare module 'pgwire-native' {
  export interface Row {
    readonly [column: string]: unknown;
  }
  /** @nativeResource */
  export class Connection {
    static connect(url: string): Promise<Connection>;
    /**
     * Pointer to the libpq socket.
     * @rawHandle
     */
    readonly socketPtr: bigint;
    /**
     * Holds the connection open until the returned lease is disposed.
     * @lease
     */
    lease(): Disposable;
    query(sql: string, params?: readonly unknown[]): Promise<Row[]>;
    close(): void;
  }
  export function setKeepAlive(socketPtr: bigint, idleSeconds: number): void;
  export function socketInfo(socketPtr: bigint): { rttMicros: number; unacked: number };
}

declare module 'lmdb-lite' {
  /** @nativeResource */
  export class Environment {
    static open(path: string, options?: { mapSize?: number }): Environment;
    /** @addRef */
    retain(): void;
    /** @release */
    release(): void;
    /** @lease */
    pin(): Disposable;
    get(key: string): Promise<Buffer | undefined>;
    put(key: string, value: Buffer): Promise<void>;
    remove(key: string): Promise<boolean>;
    sync(): Promise<void>;
    stat(): { entries: number; pageSize: number };
    close(): void;
  }
}

declare module 'serialport-native' {
  /**
   * A tty opened in raw mode.
   * @nativeResource
   */
  export class SerialPort {
    constructor(path: string, baudRate: number);
    readonly path: string;
    read(size: number): Promise<Buffer>;
    write(data: Buffer, callback: (err: Error | null) => void): void;
    drain(callback: (err: Error | null) => void): void;
    setBaudRate(rate: number): void;
    /**
     * Makes pending reads and writes fail with ECANCELED now.
     * @cancel
     */
    cancelIo(): void;
    close(): void;
  }

  /** @nativeResource */
  export class BulkEndpoint {
    constructor(device: string, address: number);
    transfer(length: number): Promise<Buffer>;
    /**
     * Cancels outstanding transfers and releases the endpoint.
     * @close
     * @cancel
     */
    destroy(): void;
  }
}

declare module 'zeromq-lite' {
  export type SocketType = 'pub' | 'sub' | 'req' | 'rep' | 'dealer' | 'router';
  export class Socket {
    constructor(type: SocketType);
    bind(endpoint: string): Promise<void>;
    connect(endpoint: string): void;
    subscribe(topic: string): void;
    send(message: string | Buffer): Promise<void>;
    receive(): Promise<Buffer[]>;
    /** ZMQ_FD: the edge-triggered notification fd. */
    getFd(): number;
    ref(): void;
    unref(): void;
    close(): void;
    readonly closed: boolean;
  }
  export const POLLIN: number;
  export const POLLOUT: number;
  /** ZMQ_EVENTS for a notification fd, without blocking. */
  export function pollEvents(fd: number): number;
}

declare module 'nanomsg-lite' {
  export class Subscriber {
    constructor(url: string);
    subscribe(topic: string): void;
    receive(): Promise<Buffer>;
    /** Wakes a blocked receive() with an EINTR error. */
    interrupt(): void;
    close(): void;
    terminate(): void;
  }
}

declare module 'sqlite-native' {
  /** @nativeResource */
  export class Database {
    constructor(file: string);
    run(sql: string, ...params: unknown[]): void;
    exec(sql: string, callback: (err: Error | null) => void): void;
    backup(destination: string): Promise<void>;
    checkpoint(): void;
    close(): Promise<void>;
    closeSync(): void;
  }
}

declare module 'signal-exit' {
  export type Handler = (code: number | null | undefined, signal: NodeJS.Signals | null) => void;
  export function onExit(cb: Handler, opts?: { alwaysLast?: boolean }): () => void;
}
