// Session housekeeping for a signing service on a PKCS#11 addon. HsmSession (an interface
// tagged @nativeResource) owns its `handle` and closes it in logout(); closeSessionHandle() is
// the addon's raw close (@closesHandle), resumeSession() adopts a handle (@adoptsHandle).
// Crash-recovery records hold handles that a previous run left open: plain numbers here.
import { closeSessionHandle, openSession, resumeSession, sessionState, type HsmSession } from 'hsm-native';

export interface RecoveryRecord {
  readonly slot: number;
  readonly handle: bigint;
}

const CKS_RW_USER_FUNCTIONS = 3n;

/** A session that memoises digests; it implements the tagged interface, so it is an owner. */
export class CachingSession implements HsmSession {
  readonly #inner: HsmSession;
  readonly #digests = new Map<string, Buffer>();

  constructor(inner: HsmSession) {
    this.#inner = inner;
  }

  get slot(): number {
    return this.#inner.slot;
  }

  get handle(): bigint {
    return this.#inner.handle; // expect: no-unguarded-raw-handle
  }

  get loggedOut(): boolean {
    return this.#inner.loggedOut;
  }

  sign(keyLabel: string, data: Buffer): Promise<Buffer> {
    return this.#inner.sign(keyLabel, data);
  }

  digest(data: Buffer): Buffer {
    const key = data.toString('base64');
    const hit = this.#digests.get(key);
    if (hit !== undefined) return hit;
    const d = this.#inner.digest(data);
    this.#digests.set(key, d);
    return d;
  }

  logout(): void {
    this.#digests.clear();
    this.#inner.logout();
  }
}

export function isReadWrite(session: HsmSession): boolean {
  return BigInt(sessionState(session.handle)) === CKS_RW_USER_FUNCTIONS;
}

/** "Fast" logout that skips C_Logout and just closes the session handle. */
export function dropSession(session: HsmSession): void {
  closeSessionHandle(session.handle); // expect: no-raw-handle-close
}

export function dropSessionProperly(session: HsmSession): void {
  session.logout();
}

export function dropCached(session: CachingSession): void {
  closeSessionHandle(session.handle); // expect: no-raw-handle-close
}

export function rotate(session: HsmSession, pin: string): HsmSession {
  const { handle, slot } = session;
  const state = sessionState(handle);
  closeSessionHandle(handle); // expect: no-raw-handle-close
  const next = openSession(slot, pin);
  if (state !== sessionState(next.handle)) throw new Error('session state changed across rotation');
  return next;
}

/** Records left by a crashed run: their handles belong to no session object here. */
export function discardStale(records: readonly RecoveryRecord[]): number {
  let closed = 0;
  for (const rec of records) {
    if (sessionState(rec.handle) === 0) continue;
    closeSessionHandle(rec.handle);
    closed++;
  }
  return closed;
}

/** Resumes a recorded session, or closes the handle when it is not logged in any more. */
export function recover(rec: RecoveryRecord): HsmSession | undefined {
  const h = rec.handle;
  if (BigInt(sessionState(h)) !== CKS_RW_USER_FUNCTIONS) {
    closeSessionHandle(h);
    return undefined;
  }
  return resumeSession(h);
}

/** Resumes first and closes the handle afterwards when the slot does not match. */
export function recoverForSlot(rec: RecoveryRecord, slot: number): HsmSession | undefined {
  const h = rec.handle;
  const session = resumeSession(h);
  if (session.slot === slot) return session;
  closeSessionHandle(h); // expect: no-raw-handle-close
  return undefined;
}

export class SessionPool {
  readonly #bySlot = new Map<number, HsmSession>();
  #closed = false;

  constructor(private readonly pin: string) {}

  get(slot: number): HsmSession {
    if (this.#closed) throw new Error('pool closed');
    let s = this.#bySlot.get(slot);
    if (s === undefined || s.loggedOut) {
      s = openSession(slot, this.pin);
      this.#bySlot.set(slot, s);
    }
    return s;
  }

  /** Drops every session that is not read-write, by handle. */
  prune(): void {
    for (const [slot, s] of this.#bySlot) {
      if (s.loggedOut || isReadWrite(s)) continue;
      this.#bySlot.delete(slot);
      closeSessionHandle(s.handle); // expect: no-raw-handle-close
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const s of this.#bySlot.values()) if (!s.loggedOut) s.logout();
    this.#bySlot.clear();
  }
}
