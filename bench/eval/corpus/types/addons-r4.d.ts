// Ambient declarations for the second-round files of the four ownership rules (r2-*.ts in
// no-raw-handle-close, no-handle-adoption, require-unregister, no-use-after-close).
// `tun-native` and `hsm-native` describe themselves with JSDoc role tags (spec §2, source 2),
// `hsm-native` on an interface rather than a class; `gpiod-lite` carries no tags and is
// configured by the files that use it through `// settings:` (spec §2, source 3).

declare module 'tun-native' {
  /**
   * One queue of a TUN interface (/dev/net/tun, IFF_TUN | IFF_NO_PI).
   * @nativeResource
   */
  export class TunDevice {
    static open(name: string, options?: { readonly multiQueue?: boolean }): TunDevice;
    readonly name: string;
    readonly mtu: number;
    /**
     * The queue descriptor.
     * @rawHandle
     */
    readonly fd: number;
    /** @lifetimeGuard */
    readonly down: boolean;
    setMtu(mtu: number): void;
    setUp(up: boolean): void;
    /** Waits (in the thread pool) for the next packet. */
    readPacket(): Promise<Buffer>;
    /** Writes one packet; returns the bytes written. Synchronous (non-blocking fd). */
    writePacket(packet: Buffer): number;
    /**
     * Brings the queue down and closes its descriptor.
     * @close
     */
    shutdown(): void;
  }
  /**
   * A memory-mapped packet ring over a descriptor.
   * @nativeResource
   */
  export class PacketRing {
    /**
     * Takes ownership of the descriptor: close() closes it.
     * @adoptsHandle
     */
    constructor(fd: number, slots: number);
    readonly slots: number;
    drain(): Buffer[];
    close(): void;
  }
  /**
   * Adds a queue descriptor to the interface's multiqueue set, which owns and closes it from now on.
   * @adoptsHandle
   */
  export function attachQueue(fd: number, ifname: string): void;
  /**
   * close(2) on a queue descriptor.
   * @closesHandle
   */
  export function closeQueue(fd: number): void;
  /** SIOCGIFINDEX through a descriptor; synchronous. */
  export function ifIndex(fd: number): number;
  /** TUNGETFEATURES through a descriptor; synchronous. */
  export function features(fd: number): number;
  export const IFF_MULTI_QUEUE: number;
}

declare module 'hsm-native' {
  /**
   * A logged-in PKCS#11 session on a hardware security module slot.
   * @nativeResource
   */
  export interface HsmSession {
    readonly slot: number;
    /**
     * The PKCS#11 session handle (CK_SESSION_HANDLE).
     * @rawHandle
     */
    readonly handle: bigint;
    /** @lifetimeGuard */
    readonly loggedOut: boolean;
    sign(keyLabel: string, data: Buffer): Promise<Buffer>;
    digest(data: Buffer): Buffer;
    /**
     * C_Logout + C_CloseSession.
     * @close
     */
    logout(): void;
  }
  export function openSession(slot: number, pin: string): HsmSession;
  /**
   * Wraps an existing session handle; the returned session closes it on logout().
   * @adoptsHandle
   */
  export function resumeSession(handle: bigint): HsmSession;
  /**
   * C_CloseSession on a raw session handle.
   * @closesHandle
   */
  export function closeSessionHandle(handle: bigint): void;
  /** C_GetSessionInfo state; synchronous. */
  export function sessionState(handle: bigint): number;
}

declare module 'gpiod-lite' {
  export interface EdgeEvent {
    readonly offset: number;
    readonly rising: boolean;
    readonly timestampNs: bigint;
  }
  /** A GPIO line request (GPIO_V2_GET_LINE_IOCTL); untagged. */
  export class LineRequest {
    static request(chip: string, offsets: readonly number[], consumer: string): LineRequest;
    readonly chip: string;
    readonly offsets: readonly number[];
    readonly released: boolean;
    /** The line request descriptor. */
    fd(): number;
    getValues(): number[];
    setValues(values: readonly number[]): void;
    /** Waits for an edge; resolves undefined on timeout. */
    waitEdge(timeoutMs: number): Promise<EdgeEvent | undefined>;
    release(): void;
  }
  /** Reads edge events from a descriptor it owns from construction on. */
  export class EdgeReader {
    constructor(fd: number);
    read(): EdgeEvent[];
    close(): void;
  }
  /** close(2) on a line descriptor. */
  export function closeLineFd(fd: number): void;
  /** GPIO_V2_GET_LINEINFO through a descriptor; synchronous. */
  export function lineInfo(fd: number): { readonly used: boolean; readonly consumer: string };
}
