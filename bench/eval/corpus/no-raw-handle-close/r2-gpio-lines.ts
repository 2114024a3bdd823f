// settings: {"native-handle":{"resources":[{"type":{"from":"package","package":"gpiod-lite","name":"LineRequest"},"rawHandle":"fd","close":"release","guard":"released"}],"rawClose":{"from":"package","package":"gpiod-lite","name":"closeLineFd"},"adopt":{"from":"package","package":"gpiod-lite","name":"EdgeReader"}}}
// A GPIO service for a door controller. The gpiod addon has no tags: settings make a
// LineRequest the owner of the descriptor its fd() returns (closed by release()),
// closeLineFd() a raw close, and EdgeReader an adopter of the descriptor it is given.
import * as fs from 'fs';
import { closeLineFd as closeLine, EdgeReader, lineInfo, LineRequest, type EdgeEvent } from 'gpiod-lite';

interface LineStatus {
  readonly offset: number;
  readonly fd: number;
  readonly consumer: string;
}

export function consumerOf(req: LineRequest): string {
  return lineInfo(req.fd()).consumer;
}

/** Releases the lines by closing the request descriptor directly. */
export function releaseFast(req: LineRequest): void {
  closeLine(req.fd()); // expect: no-raw-handle-close
}

export function releaseMaybe(req: LineRequest | undefined): void {
  if (req) closeLine(req.fd()); // expect: no-raw-handle-close
}

export function releaseMaybeProperly(req: LineRequest | undefined): void {
  if (req && !req.released) req.release();
}

/** Status rows from the supervisor: numbers it reported, not descriptors owned here. */
export function closeReported(rows: readonly LineStatus[]): void {
  for (const row of rows) if (row.consumer === 'stale') closeLine(row.fd);
}

/** Reads edge events through a reader built on a chip descriptor of our own. */
export function edgesOnce(chipPath: string): EdgeEvent[] {
  const fd = fs.openSync(chipPath, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  const reader = new EdgeReader(fd);
  const events = reader.read();
  reader.close();
  fs.closeSync(fd); // expect: no-raw-handle-close
  return events;
}

export function edgesOnceProperly(chipPath: string): EdgeEvent[] {
  const fd = fs.openSync(chipPath, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  const reader = new EdgeReader(fd);
  try {
    return reader.read();
  } finally {
    reader.close();
  }
}

/** Probes a chip descriptor of our own and closes it; no reader was ever built on it. */
export function chipInUse(chipPath: string): boolean {
  const fd = fs.openSync(chipPath, fs.constants.O_RDONLY);
  try {
    return lineInfo(fd).used;
  } finally {
    closeLine(fd);
  }
}

export class DoorLines {
  readonly #lock: LineRequest;
  readonly #sensors: LineRequest[] = [];
  #closed = false;

  constructor(chip: string, lockOffset: number) {
    this.#lock = LineRequest.request(chip, [lockOffset], 'door-lock');
  }

  addSensor(chip: string, offset: number): void {
    this.#sensors.push(LineRequest.request(chip, [offset], 'door-sensor'));
  }

  unlock(): void {
    if (!this.#closed) this.#lock.setValues([1]);
  }

  /** Hands the lock line back to the kernel without going through release(). */
  yieldLock(): void {
    fs.closeSync(this.#lock.fd()); // expect: no-raw-handle-close
  }

  dropSensor(index: number): void {
    const req = this.#sensors[index];
    if (req === undefined) return;
    this.#sensors.splice(index, 1);
    const fd = req.fd();
    if (lineInfo(fd).used) closeLine(fd); // expect: no-raw-handle-close
  }

  dropSensorProperly(index: number): void {
    const [req] = this.#sensors.splice(index, 1);
    req?.release();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const s of this.#sensors) s.release();
    this.#lock.release();
  }
}
