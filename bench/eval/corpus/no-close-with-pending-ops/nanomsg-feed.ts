// settings: {"native-handle":{"resources":[{"type":{"from":"package","package":"nanomsg-lite","name":"Subscriber"},"cancel":"interrupt","close":["close","terminate"]}]}}
// A metrics feed over a nanomsg subscriber configured in settings (the addon has no tags):
// receive() is a pending operation, interrupt() cancels it, close()/terminate() close.
import { Subscriber } from 'nanomsg-lite';
import { setTimeout as sleep } from 'node:timers/promises';

export async function pollOnce(url: string, ms: number): Promise<Buffer | undefined> {
  const sub = new Subscriber(url);
  sub.subscribe('metrics.');
  const next = sub.receive();
  const got = await Promise.race([next, sleep(ms, undefined)]);
  sub.close(); // expect: no-close-with-pending-ops
  return got;
}

export async function pollOnceCancelling(url: string, ms: number): Promise<Buffer | undefined> {
  const sub = new Subscriber(url);
  sub.subscribe('metrics.');
  const next = sub.receive();
  next.catch(() => undefined);
  const got = await Promise.race([next, sleep(ms, undefined)]);
  sub.interrupt();
  sub.close();
  return got;
}

export async function collect(url: string, count: number): Promise<Buffer[]> {
  const sub = new Subscriber(url);
  sub.subscribe('');
  const out: Buffer[] = [];
  try {
    while (out.length < count) out.push(await sub.receive());
  } finally {
    sub.terminate();
  }
  return out;
}

export class Feed {
  private current: Promise<Buffer> | undefined;

  constructor(private readonly sub: Subscriber) {}

  pump(): void {
    this.current = this.sub.receive();
  }

  next(): Promise<Buffer> | undefined {
    return this.current;
  }

  close(): void {
    this.sub.terminate(); // expect: no-close-with-pending-ops
  }
}

export class InterruptibleFeed {
  private current: Promise<Buffer> | undefined;

  constructor(private readonly sub: Subscriber) {}

  pump(): void {
    this.current = this.sub.receive();
  }

  next(): Promise<Buffer> | undefined {
    return this.current;
  }

  close(): void {
    this.sub.interrupt();
    this.sub.close();
  }
}
