// settings: {"native-handle":{"resources":[{"type":{"from":"package","package":"gpiod-lite","name":"LineRequest"},"rawHandle":"fd","close":"release","guard":"released"}],"adopt":{"from":"package","package":"gpiod-lite","name":"EdgeReader"}}}
// A tamper-evident door controller: an HSM signs every door event, and GPIO edge readers watch
// the door sensors. resumeSession() (@adoptsHandle) owns the session handle it is given; an
// EdgeReader (configured adopter) owns the descriptor it is built on. Built on a live session's
// handle, or on a line request's descriptor, they become second owners.
import { constants, openSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { EdgeReader as Edges, lineInfo, LineRequest, type EdgeEvent } from 'gpiod-lite';
import { openSession, resumeSession, sessionState, type HsmSession } from 'hsm-native';

export interface SavedSession {
  readonly slot: number;
  readonly handle: bigint;
}

/** A second session object over the same PKCS#11 handle. */
export function cloneSession(session: HsmSession): HsmSession {
  return resumeSession(session.handle); // expect: no-handle-adoption
}

export function forkSession(active: HsmSession): HsmSession {
  const h = active.handle;
  if (sessionState(h) === 0) throw new Error('session not logged in');
  const fork = resumeSession(h); // expect: no-handle-adoption
  return fork;
}

/** A handle saved by the previous process: resuming it is how recovery works. */
export function restore(saved: SavedSession): HsmSession {
  return resumeSession(saved.handle);
}

export function freshSession(slot: number, pin: string): HsmSession {
  return openSession(slot, pin);
}

/** Readers on the line request's own descriptor. */
export function edgesFor(req: LineRequest): Edges {
  return new Edges(req.fd()); // expect: no-handle-adoption
}

export function edgesForChip(chipPath: string): Edges {
  return new Edges(openSync(chipPath, constants.O_RDONLY | constants.O_NONBLOCK));
}

export class DoorMonitor {
  readonly #sensor: LineRequest;
  readonly #signer: HsmSession;
  readonly #auditor: Worker;
  #reader: Edges | undefined;
  #closed = false;

  constructor(sensor: LineRequest, signer: HsmSession, auditScript: URL) {
    this.#sensor = sensor;
    this.#signer = signer;
    this.#auditor = new Worker(auditScript);
  }

  watch(): void {
    if (this.#closed || this.#reader !== undefined) return;
    this.#reader = new Edges(this.#sensor.fd()); // expect: no-handle-adoption
  }

  events(): EdgeEvent[] {
    return this.#reader?.read() ?? [];
  }

  consumer(): string {
    return lineInfo(this.#sensor.fd()).consumer;
  }

  /** The audit thread signs with its own session object over our handle. */
  shareSigner(): void {
    this.#auditor.postMessage({ type: 'signer', slot: this.#signer.slot, handle: this.#signer.handle }); // expect: no-handle-adoption
  }

  /** The audit thread opens its own session on the same slot. */
  shareSlot(): void {
    this.#auditor.postMessage({ type: 'signer', slot: this.#signer.slot });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#reader?.close();
    this.#sensor.release();
    this.#signer.logout();
    void this.#auditor.terminate();
  }
}
