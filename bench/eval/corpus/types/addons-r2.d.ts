// Ambient declarations for the second-round corpus files (r2-*.ts). Like addons.d.ts: an
// addon describes its own lifetime with JSDoc role tags (spec §2, source 2); `nng-native`
// and `proc-exit-hooks` carry no tags and are configured by the files that use them through
// `// settings:` (spec §2, source 3). Listener parameters are typed so that no event
// listener looks like a completion callback (first parameter never accepts `Error | null`).

declare module 'node-pty-native' {
  export interface TerminalOptions {
    readonly cols: number;
    readonly rows: number;
    readonly cwd?: string;
    readonly env?: Readonly<Record<string, string>>;
  }
  export interface ExitEvent {
    readonly exitCode: number;
    readonly signal?: number;
  }
  export interface Subscription {
    dispose(): void;
  }
  /**
   * A pseudo-terminal with a child process attached to its slave side.
   * @nativeResource
   */
  export class Terminal {
    static spawn(file: string, args: readonly string[], options: TerminalOptions): Terminal;
    readonly pid: number;
    readonly cols: number;
    readonly rows: number;
    /**
     * The pty master file descriptor.
     * @rawHandle
     */
    readonly masterFd: number;
    /** @addRef */
    hold(): void;
    /** @release */
    unhold(): void;
    /** @lifetimeGuard */
    readonly exited: boolean;
    write(data: string): void;
    resize(cols: number, rows: number): void;
    onData(listener: (data: string) => void): Subscription;
    onExit(listener: (event: ExitEvent) => void): Subscription;
    /** Resolves with the exit code of the child once it has exited. */
    waitExit(): Promise<number>;
    /**
     * Sends the signal to the child and closes the master side.
     * @close
     */
    kill(signal?: string): void;
  }
  /** tcgetpgrp(3) on a pty master fd; synchronous. */
  export function tcgetpgrp(fd: number): number;
  /** TIOCSWINSZ on a pty master fd; synchronous. */
  export function setWindowSize(fd: number, cols: number, rows: number): void;
}

declare module 'inotify-native' {
  export interface InotifyEvent {
    readonly wd: number;
    readonly mask: number;
    readonly cookie: number;
    readonly name?: string;
  }
  export const IN_MODIFY: number;
  export const IN_CLOSE_WRITE: number;
  export const IN_MOVE_SELF: number;
  export const IN_IGNORED: number;
  /** @nativeResource */
  export class Inotify {
    constructor(options?: { nonBlocking?: boolean });
    /**
     * The inotify instance's file descriptor.
     * @rawHandle
     */
    readonly fd: number;
    readonly closed: boolean;
    addWatch(path: string, mask: number): number;
    removeWatch(wd: number): void;
    /** Waits (in the thread pool) for the next batch of events. */
    read(): Promise<InotifyEvent[]>;
    /** Returns the queued events without blocking (empty when none). */
    readSync(): InotifyEvent[];
    /**
     * Makes a pending read() resolve now with no events.
     * @cancel
     */
    wake(): void;
    close(): void;
  }
  /** poll(2) for POLLIN on a descriptor; synchronous. */
  export function pollReadable(fd: number, timeoutMs: number): boolean;
}

declare module 'pg-pool-native' {
  export type Row = Readonly<Record<string, unknown>>;
  /** @nativeResource */
  export class PgClient {
    readonly processId: number;
    readonly isClosed: boolean;
    /**
     * The libpq backend socket descriptor.
     * @rawHandle
     */
    backendSocket(): number;
    /** @addRef */
    retain(): void;
    /** @release */
    unretain(): void;
    /**
     * Keeps the connection open until the returned lease is disposed.
     * @lease
     */
    pin(): Disposable;
    query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<R[]>;
    /**
     * Sends a cancel request; the running query rejects with 57014 at once.
     * @cancel
     */
    cancelQuery(): void;
    /** @close */
    end(): Promise<void>;
  }
  /** A pool of connections; the pool object itself owns nothing native. */
  export class PgPool {
    constructor(options: { connectionString: string; max?: number });
    readonly totalCount: number;
    acquire(): Promise<PgClient>;
    /** Returns a client to the pool. */
    release(client: PgClient): void;
    end(): Promise<void>;
  }
  export function socketStats(fd: number): { rttMicros: number; sendQueue: number };
  export function setTcpUserTimeout(fd: number, ms: number): void;
}

declare module 'usb-native' {
  export interface DeviceDescriptor {
    readonly idVendor: number;
    readonly idProduct: number;
  }
  /** @nativeResource */
  export class UsbDevice {
    static find(vendorId: number, productId: number): UsbDevice | undefined;
    readonly descriptor: DeviceDescriptor;
    readonly isClosed: boolean;
    open(): void;
    /**
     * Claims an interface until the returned lease is disposed.
     * @lease
     */
    claimInterface(iface: number): Disposable;
    controlTransfer(
      requestType: number,
      request: number,
      value: number,
      index: number,
      dataOrLength: Buffer | number,
      callback: (error: Error | null, data?: Buffer) => void,
    ): void;
    bulkIn(endpoint: number, length: number): Promise<Buffer>;
    bulkOut(endpoint: number, data: Buffer): Promise<number>;
    /**
     * Cancels every submitted transfer (they fail with LIBUSB_TRANSFER_CANCELLED).
     * @cancel
     */
    cancelTransfers(): void;
    close(): void;
  }
}

declare module 'zmq-native' {
  /** @nativeResource */
  export class Dealer {
    constructor(options?: { routingId?: string; linger?: number });
    readonly closed: boolean;
    connect(endpoint: string): void;
    disconnect(endpoint: string): void;
    send(frames: Buffer | readonly Buffer[]): Promise<void>;
    receive(): Promise<Buffer[]>;
    close(): void;
  }
}

declare module 'serial-line-native' {
  export interface ModemSignals {
    readonly dtr?: boolean;
    readonly rts?: boolean;
  }
  /** @nativeResource */
  export class SerialLine {
    static open(path: string, baudRate: number): Promise<SerialLine>;
    readonly path: string;
    readonly isClosed: boolean;
    write(data: Buffer): Promise<void>;
    read(length: number): Promise<Buffer>;
    flush(): Promise<void>;
    setSignals(signals: ModemSignals): void;
    on(event: 'data', listener: (chunk: Buffer) => void): this;
    on(event: 'break', listener: (durationMs: number) => void): this;
    close(): void;
  }
  /** @nativeResource */
  export class Gpio {
    constructor(line: number, direction: 'in' | 'out');
    readonly isClosed: boolean;
    readValue(): 0 | 1;
    writeValue(value: 0 | 1): void;
    on(event: 'change', listener: (value: 0 | 1) => void): this;
    /** @close */
    unexport(): void;
  }
}

declare module 'nng-native' {
  export class ReqSocket {
    constructor(url: string);
    send(body: Buffer): Promise<void>;
    recv(): Promise<Buffer>;
    abort(): void;
    close(): void;
    readonly closed: boolean;
  }
  export class SubSocket {
    constructor(url: string);
    subscribe(topic: string): void;
    recv(): Promise<Buffer>;
    abort(): void;
    close(): void;
    readonly closed: boolean;
  }
  /** A request context on a ReqSocket; not configured as a resource by the corpus. */
  export class Context {
    constructor(socket: ReqSocket);
    send(body: Buffer): Promise<void>;
    recv(): Promise<Buffer>;
    close(): void;
  }
}

declare module 'remote-fs-client' {
  /** A file opened on the remote agent: a protocol object, not a node:fs FileHandle. */
  export interface FileHandle {
    readonly fd: number;
    readonly path: string;
    read(length: number, position: number): Promise<Buffer>;
    sync(): Promise<void>;
    close(): Promise<void>;
  }
  export function openRemote(host: string, path: string): Promise<FileHandle>;
}

declare module 'proc-exit-hooks' {
  export type ExitCallback = (code: number) => void;
  /** Runs `cb` from process 'exit' (and after the default signal handlers). */
  export function onExit(cb: ExitCallback): () => void;
  /** Runs `cb` on SIGINT/SIGTERM before exiting; awaits the returned promise. */
  export function onShutdown(cb: (signal: NodeJS.Signals) => Promise<void>): () => void;
}

declare module 'structured-log-native' {
  export class Logger {
    constructor(path: string);
    info(msg: string, fields?: Readonly<Record<string, unknown>>): void;
    /** Flushes the native ring buffer in the background. */
    flush(): PromiseLike<void>;
    flushSync(): void;
  }
}
