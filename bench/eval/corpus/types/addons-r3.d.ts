// Ambient declarations for the corpus files of the four ownership rules (no-raw-handle-close,
// no-handle-adoption, require-unregister, no-use-after-close). Like addons.d.ts: `evdev-native`
// and `pixbuf-native` describe themselves with JSDoc role tags (spec §2, source 2), including
// `@adoptsHandle` and `@closesHandle`; `fdpass-lite` carries no tags and is configured by the
// files that use it through `// settings:` (spec §2, source 3).

declare module 'evdev-native' {
  export interface InputEvent {
    readonly type: number;
    readonly code: number;
    readonly value: number;
  }
  /**
   * An open /dev/input/eventN node.
   * @nativeResource
   */
  export class InputDevice {
    static open(path: string): InputDevice;
    readonly path: string;
    readonly name: string;
    /**
     * The evdev file descriptor.
     * @rawHandle
     */
    readonly fd: number;
    /** @lifetimeGuard */
    readonly closed: boolean;
    grab(): void;
    ungrab(): void;
    setRepeat(delayMs: number, periodMs: number): void;
    /** Waits (in the thread pool) for the next input event. */
    nextEvent(): Promise<InputEvent>;
    close(): void;
  }
  /**
   * A batch reader over a non-blocking evdev descriptor.
   * @nativeResource
   */
  export class EventReader {
    /**
     * Takes ownership of the descriptor: close() closes it.
     * @adoptsHandle
     */
    constructor(fd: number);
    /** @lifetimeGuard */
    readonly closed: boolean;
    pending(): number;
    readBatch(): InputEvent[];
    close(): void;
  }
  /**
   * Wraps a descriptor in an InputDevice that owns it from now on.
   * @adoptsHandle
   */
  export function adoptFd(fd: number): InputDevice;
  /** EVIOCGNAME on a descriptor; synchronous. */
  export function deviceName(fd: number): string;
  /** EVIOCGBIT(EV_KEY) on a descriptor; synchronous. */
  export function keyBits(fd: number): Buffer;
  /**
   * close(2) on an evdev descriptor.
   * @closesHandle
   */
  export function closeFd(fd: number): void;
}

declare module 'fdpass-lite' {
  /** A Unix-domain connection to the privileged helper; it can receive descriptors (SCM_RIGHTS). */
  export class Channel {
    static connect(path: string): Promise<Channel>;
    readonly fd: number;
    readonly closed: boolean;
    send(data: Buffer): Promise<void>;
    /** Receives one descriptor; the caller owns it. */
    recvFd(): Promise<number>;
    close(): void;
  }
  /** A byte stream over a descriptor that it owns from construction on. */
  export class FdStream {
    constructor(fd: number, options?: { readonly label?: string });
    read(length: number): Promise<Buffer>;
    write(data: Buffer): Promise<void>;
    close(): void;
  }
  /** Same as `new FdStream(fd)`. */
  export function wrapFd(fd: number): FdStream;
  /** close(2) on a descriptor. */
  export function closeDescriptor(fd: number): void;
  /** fstat(2)-based description of a descriptor; synchronous. */
  export function describeFd(fd: number): { readonly type: 'file' | 'socket' | 'pipe'; readonly inode: number };
}

declare module 'pixbuf-native' {
  /**
   * A native pixel buffer (malloc'd, refcounted by the addon).
   * @nativeResource
   */
  export class Surface {
    static create(width: number, height: number): Surface;
    readonly width: number;
    readonly height: number;
    /**
     * The native pointer, for the addon's free functions.
     * @rawHandle
     */
    readonly ptr: bigint;
    fill(rgba: number): void;
    blit(src: Surface, x: number, y: number): void;
    encodePng(): Promise<Buffer>;
    /** @close */
    free(): void;
  }
  /** Bytes allocated behind a pointer; synchronous. */
  export function allocatedBytes(ptr: bigint): number;
  /** Counts a pointer the GC found unreleased (leak statistics only; frees nothing). */
  export function noteLeak(ptr: bigint): void;
}
