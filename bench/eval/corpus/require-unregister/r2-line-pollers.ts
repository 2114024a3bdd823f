// settings: {"native-handle":{"resources":[{"type":{"from":"package","package":"gpiod-lite","name":"LineRequest"},"rawHandle":"fd","close":"release","guard":"released"}]}}
// Pollers for GPIO inputs on a configured (untagged) gpiod addon: a LineRequest owns its line
// descriptor and release() closes it. Each poller samples its lines on an interval; an interval
// the poller keeps and does not clear on close keeps firing against released lines (and keeps
// the poller reachable) for the life of the process.
import { clearInterval as stopEvery, setInterval as every } from 'node:timers';
import { LineRequest } from 'gpiod-lite';

export type Sample = (values: readonly number[]) => void;

export class ButtonPoller {
  readonly #req: LineRequest;
  readonly #timer = setInterval(() => this.#tick(), 20); // expect: require-unregister
  #closed = false;

  constructor(
    chip: string,
    offsets: readonly number[],
    private readonly onSample: Sample,
  ) {
    this.#req = LineRequest.request(chip, offsets, 'buttons');
  }

  #tick(): void {
    if (this.#closed) return;
    this.onSample(this.#req.getValues());
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#req.release();
  }
}

/** Same poller, cleared through the Timeout's own close(). */
export class SwitchPoller {
  readonly #req: LineRequest;
  readonly #timer = setInterval(() => this.#tick(), 50);
  #closed = false;

  constructor(chip: string, offsets: readonly number[], private readonly onSample: Sample) {
    this.#req = LineRequest.request(chip, offsets, 'switches');
  }

  #tick(): void {
    if (this.#closed) return;
    this.onSample(this.#req.getValues());
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#timer.close();
    this.#req.release();
  }
}

/** An unref'd interval still fires; unref only stops it from holding the process open. */
export class BackgroundPoller {
  readonly #req: LineRequest;
  readonly #poll: NodeJS.Timeout;
  #closed = false;

  constructor(req: LineRequest, onSample: Sample) {
    this.#req = req;
    this.#poll = setInterval(() => { // expect: require-unregister
      if (!this.#closed) onSample(this.#req.getValues());
    }, 250).unref();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#req.release();
  }
}

/** Aliased timer functions from node:timers; one interval is cleared, the other forgotten. */
export class DualRatePoller {
  readonly #req: LineRequest;
  readonly #fast: NodeJS.Timeout;
  readonly #slow: NodeJS.Timeout;
  #closed = false;

  constructor(req: LineRequest, onFast: Sample, onSlow: Sample) {
    this.#req = req;
    this.#fast = every(() => {
      if (!this.#closed) onFast(this.#req.getValues());
    }, 10);
    this.#slow = every(() => { // expect: require-unregister
      if (!this.#closed) onSlow(this.#req.getValues());
    }, 1000);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    stopEvery(this.#fast);
    this.#req.release();
  }
}

/** Several intervals in one array field; close() clears them in a helper. */
export class MultiPoller {
  readonly #requests: LineRequest[] = [];
  readonly #timers: NodeJS.Timeout[] = [];
  #closed = false;

  add(req: LineRequest, everyMs: number, onSample: Sample): void {
    if (this.#closed) return;
    this.#requests.push(req);
    this.#timers.push(
      setInterval(() => {
        if (!this.#closed && !req.released) onSample(req.getValues());
      }, everyMs),
    );
  }

  #stopTimers(): void {
    for (const t of this.#timers) clearInterval(t);
    this.#timers.length = 0;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#stopTimers();
    for (const r of this.#requests) r.release();
  }
}

/** The same, but close() releases the lines and leaves every interval running. */
export class LeakyMultiPoller {
  readonly #requests: LineRequest[] = [];
  readonly #timers: NodeJS.Timeout[] = [];
  #closed = false;

  add(req: LineRequest, everyMs: number, onSample: Sample): void {
    if (this.#closed) return;
    this.#requests.push(req);
    const t = setInterval(() => { // expect: require-unregister
      if (!this.#closed && !req.released) onSample(req.getValues());
    }, everyMs);
    this.#timers.push(t);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const r of this.#requests) r.release();
  }
}

/** The close method is `[Symbol.asyncDispose]`; it drains the lines but forgets the interval. */
export class ScopedPoller {
  readonly #req: LineRequest;
  readonly #heartbeat: NodeJS.Timeout;
  #disposed = false;

  constructor(req: LineRequest, onSample: Sample) {
    this.#req = req;
    this.#heartbeat = setInterval(() => { // expect: require-unregister
      if (!this.#disposed) onSample(this.#req.getValues());
    }, 100);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    await new Promise<void>(resolve => setImmediate(resolve));
    this.#req.release();
  }
}

/** A custom close method tagged @close; it stops the interval before releasing the lines. */
export class LatchPoller {
  readonly #req: LineRequest;
  readonly #poll: NodeJS.Timeout;
  #stopped = false;

  constructor(req: LineRequest, onSample: Sample) {
    this.#req = req;
    this.#poll = setInterval(() => {
      if (!this.#stopped) onSample(this.#req.getValues());
    }, 500);
  }

  /** @close */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    clearInterval(this.#poll);
    this.#req.release();
  }
}

/** Tagged @close too, but the interval survives it. */
export class LeakyLatchPoller {
  readonly #req: LineRequest;
  readonly #poll: NodeJS.Timeout;
  #stopped = false;

  constructor(req: LineRequest, onSample: Sample) {
    this.#req = req;
    this.#poll = setInterval(() => { // expect: require-unregister
      if (!this.#stopped) onSample(this.#req.getValues());
    }, 500);
  }

  pollTimer(): NodeJS.Timeout {
    return this.#poll;
  }

  /** @close */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#req.release();
  }
}
