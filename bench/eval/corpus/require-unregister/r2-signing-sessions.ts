// Signing sessions over a PKCS#11 addon, with FinalizationRegistry backstops that close a
// session handle whose owner was dropped without logout. A registration whose token close()
// never unregisters stays armed: the finalizer later closes a handle that logout() already
// closed, and that the module may have handed to another session since (NODE-FACTS §6).
import { closeSessionHandle, openSession, type HsmSession } from 'hsm-native';

const orphans = new FinalizationRegistry<bigint>(handle => closeSessionHandle(handle));

interface HeldSession {
  readonly handle: bigint;
  readonly slot: number;
}

const described = new FinalizationRegistry<HeldSession>(held => {
  console.warn(`session on slot ${held.slot} collected without logout`);
  closeSessionHandle(held.handle);
});

export class Signer {
  static readonly #leaks = new FinalizationRegistry<bigint>(h => closeSessionHandle(h));
  readonly #session: HsmSession;
  #closed = false;

  constructor(slot: number, pin: string) {
    this.#session = openSession(slot, pin);
    Signer.#leaks.register(this, this.#session.handle); // expect: require-unregister
  }

  sign(label: string, data: Buffer): Promise<Buffer> {
    if (this.#closed) return Promise.reject(new Error('signer closed'));
    return this.#session.sign(label, data);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#session.logout();
  }
}

/** The recommended shape: `this` as the token, unregistered before logout. */
export class TrackedSigner {
  static readonly #leaks = new FinalizationRegistry<bigint>(h => closeSessionHandle(h));
  readonly #session: HsmSession;
  #closed = false;

  constructor(slot: number, pin: string) {
    this.#session = openSession(slot, pin);
    TrackedSigner.#leaks.register(this, this.#session.handle, this);
  }

  digest(data: Buffer): Buffer {
    if (this.#closed) throw new Error('signer closed');
    return this.#session.digest(data);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    TrackedSigner.#leaks.unregister(this);
    this.#session.logout();
  }
}

/** A separate token object, unregistered by a helper that close() calls. */
export class PooledSigner {
  readonly #session: HsmSession;
  readonly #token = {};
  #closed = false;

  private constructor(session: HsmSession) {
    this.#session = session;
  }

  static open(slot: number, pin: string): PooledSigner {
    const signer = new PooledSigner(openSession(slot, pin));
    orphans.register(signer, signer.#session.handle, signer.#token);
    return signer;
  }

  #forget(): void {
    orphans.unregister(this.#token);
  }

  digest(data: Buffer): Buffer {
    if (this.#closed) throw new Error('signer closed');
    return this.#session.digest(data);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#forget();
    this.#session.logout();
  }
}

/** Registered from a factory with the instance as token; close() unregisters `this`. */
export class BatchSigner {
  readonly #session: HsmSession;
  #closed = false;

  private constructor(session: HsmSession) {
    this.#session = session;
  }

  static open(slot: number, pin: string): BatchSigner {
    const s = new BatchSigner(openSession(slot, pin));
    orphans.register(s, s.#session.handle, s);
    return s;
  }

  static openUntracked(slot: number, pin: string): BatchSigner {
    const s = new BatchSigner(openSession(slot, pin));
    orphans.register(s, s.#session.handle); // expect: require-unregister
    return s;
  }

  digestAll(items: readonly Buffer[]): Buffer[] {
    if (this.#closed) throw new Error('signer closed');
    const out: Buffer[] = [];
    for (const b of items) out.push(this.#session.digest(b));
    return out;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    orphans.unregister(this);
    this.#session.logout();
  }
}

/** Unregisters only when detached for hand-over; close() leaves the registration armed. */
export class TransferableSigner {
  readonly #session: HsmSession;
  #closed = false;

  constructor(session: HsmSession) {
    this.#session = session;
    orphans.register(this, session.handle, this); // expect: require-unregister
  }

  detach(): HsmSession {
    orphans.unregister(this);
    this.#closed = true;
    return this.#session;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#session.logout();
  }
}

/** Registers with `this` as token but unregisters a different object in close(). */
export class MistokenedSigner {
  readonly #session: HsmSession;
  readonly #token = {};
  #closed = false;

  constructor(session: HsmSession) {
    this.#session = session;
    orphans.register(this, session.handle, this); // expect: require-unregister
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    orphans.unregister(this.#token);
    this.#session.logout();
  }
}

/** The held value is a record that carries the raw handle; no token at all. */
export class DescribedSigner {
  readonly #session: HsmSession;
  #closed = false;

  constructor(session: HsmSession) {
    this.#session = session;
    described.register(this, { handle: session.handle, slot: session.slot }); // expect: require-unregister
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#session.logout();
  }
}
