// settings: {"native-handle":{"resources":[{"type":{"from":"package","package":"gpiod-lite","name":"LineRequest"},"rawHandle":"fd","close":"release","guard":"released"}]}}
// A door controller with an audit trail. Settings make a gpiod LineRequest an owner whose close
// is release() and whose guard is `released`; an HSM session (tagged interface) closes with
// logout(); the audit directory is an fs.Dir and the config file is watched by an FSWatcher.
import { watch, type Dir, type FSWatcher } from 'node:fs';
import { opendir } from 'node:fs/promises';
import { lineInfo, LineRequest } from 'gpiod-lite';
import { openSession, type HsmSession } from 'hsm-native';

export interface DoorEvent {
  readonly at: number;
  readonly open: boolean;
}

/** Locks the door and releases the line, then "double-checks" the lock on the released line. */
export function lockAndRelease(lock: LineRequest): boolean {
  lock.setValues([0]);
  lock.release();
  return lock.getValues()[0] === 0; // expect: no-use-after-close
}

export function lockAndReleaseCorrectly(lock: LineRequest): boolean {
  lock.setValues([0]);
  const locked = lock.getValues()[0] === 0;
  lock.release();
  return locked && lock.released;
}

export function consumerAfterRelease(req: LineRequest): string {
  const chip = req.chip;
  req.release();
  return `${chip}: ${lineInfo(req.fd()).consumer}`; // expect: no-use-after-close
}

/** Signs the event with a session that was just logged out. */
export async function signAfterLogout(slot: number, pin: string, ev: DoorEvent): Promise<Buffer> {
  const session = openSession(slot, pin);
  const digest = session.digest(Buffer.from(JSON.stringify(ev)));
  session.logout();
  return session.sign('door-audit', digest); // expect: no-use-after-close
}

export async function signThenLogout(slot: number, pin: string, ev: DoorEvent): Promise<Buffer> {
  const session = openSession(slot, pin);
  try {
    return await session.sign('door-audit', session.digest(Buffer.from(JSON.stringify(ev))));
  } finally {
    session.logout();
  }
}

/** Logs out on an invalid event, but still digests it. */
export function digestOrLogout(session: HsmSession, ev: DoorEvent): Buffer {
  if (ev.at <= 0) session.logout();
  return session.digest(Buffer.from(JSON.stringify(ev))); // expect: no-use-after-close
}

export function logoutIfIdle(session: HsmSession, idle: boolean): number {
  if (idle) {
    session.logout();
    return session.slot;
  }
  return session.digest(Buffer.alloc(0)).length;
}

/** Lists audit files; closes the Dir early on the first corrupt name and keeps reading. */
export async function listAudit(path: string): Promise<string[]> {
  const dir: Dir = await opendir(path);
  const names: string[] = [];
  let ent = await dir.read();
  while (ent !== null) {
    if (ent.name.includes('\0')) await dir.close();
    else names.push(ent.name);
    ent = await dir.read(); // expect: no-use-after-close
  }
  await dir.close();
  return names;
}

export async function listAuditCorrectly(path: string): Promise<string[]> {
  const dir = await opendir(path);
  const names: string[] = [];
  try {
    for (let ent = await dir.read(); ent !== null; ent = await dir.read()) {
      if (ent.name.includes('\0')) break;
      names.push(ent.name);
    }
  } finally {
    await dir.close();
  }
  return names;
}

/** Stops watching the config; registering a listener on the closed watcher is no use. */
export function stopWatching(w: FSWatcher, onStopped: () => void): void {
  w.close();
  w.once('close', onStopped);
  w.removeAllListeners('change');
}

export class DoorController {
  #lock: LineRequest;
  readonly #session: HsmSession;
  readonly #watcher: FSWatcher;
  #closed = false;

  constructor(chip: string, offset: number, session: HsmSession, configPath: string) {
    this.#lock = LineRequest.request(chip, [offset], 'door');
    this.#session = session;
    this.#watcher = watch(configPath);
  }

  /** Re-requests the line; the old request is released and replaced first. */
  rerequest(chip: string, offset: number): void {
    this.#lock.release();
    this.#lock = LineRequest.request(chip, [offset], 'door');
    this.#lock.setValues([0]);
  }

  /** Releases and then drives the line it just released. */
  emergencyUnlock(): void {
    this.#lock.release();
    this.#lock.setValues([1]); // expect: no-use-after-close
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#watcher.close();
    this.#lock.release();
    this.#session.logout();
  }
}
