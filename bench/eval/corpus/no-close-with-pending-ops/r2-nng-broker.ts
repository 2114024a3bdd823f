// settings: {"native-handle":{"resources":[{"type":{"from":"package","package":"nng-native","name":["ReqSocket","SubSocket"]},"cancel":"abort","guard":"closed"}]}}
// A small request broker on nng sockets, configured in settings (the addon ships no tags):
// send()/recv() are pending operations, abort() cancels them, close() (a conventional name)
// closes. Request contexts (Context) are not configured and stay unknown.
import { setTimeout as sleep } from 'node:timers/promises';
import { Context, ReqSocket, SubSocket } from 'nng-native';

export async function requestOnce(url: string, body: Buffer, ms: number): Promise<Buffer | undefined> {
  const sock = new ReqSocket(url);
  await sock.send(body);
  const reply = sock.recv();
  const got = await Promise.race([reply, sleep(ms, undefined)]);
  sock.close(); // expect: no-close-with-pending-ops
  return got;
}

export async function requestOnceAborting(url: string, body: Buffer, ms: number): Promise<Buffer | undefined> {
  const sock = new ReqSocket(url);
  await sock.send(body);
  const reply = sock.recv();
  reply.catch(() => undefined);
  const got = await Promise.race([reply, sleep(ms, undefined)]);
  sock.abort();
  sock.close();
  return got;
}

export function notifyAndClose(url: string, body: Buffer): void {
  const sock = new ReqSocket(url);
  void sock.send(body);
  sock.close(); // expect: no-close-with-pending-ops
}

export async function callPipelined(url: string, body: Buffer): Promise<Buffer> {
  const sock = new ReqSocket(url);
  const sent = sock.send(body);
  const reply = await sock.recv();
  await sent;
  sock.close();
  return reply;
}

export async function collect(url: string, topic: string, count: number, signal: AbortSignal): Promise<Buffer[]> {
  const sub = new SubSocket(url);
  sub.subscribe(topic);
  const onAbort = (): void => sub.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  const out: Buffer[] = [];
  try {
    while (out.length < count && !signal.aborted) out.push(await sub.recv());
  } finally {
    signal.removeEventListener('abort', onAbort);
    sub.close();
  }
  return out;
}

export async function peekOrWait(sub: SubSocket, mode: 'peek' | 'skip', ms: number): Promise<Buffer | undefined> {
  let next: Promise<Buffer> | undefined;
  switch (mode) {
    case 'peek':
      next = sub.recv();
      break;
    case 'skip':
      break;
  }
  const got = next === undefined ? undefined : await Promise.race([next, sleep(ms, undefined)]);
  sub.close(); // expect: no-close-with-pending-ops
  return got;
}

export function receiveThenClose(sub: SubSocket, onMessage: (msg: Buffer) => void): Promise<void> {
  return sub.recv().then(msg => {
    sub.close();
    onMessage(msg);
  });
}

/** Contexts are not configured resources: nothing is known about their lifetime. */
export async function contextCall(sock: ReqSocket, body: Buffer, ms: number): Promise<Buffer | undefined> {
  const ctx = new Context(sock);
  const reply = ctx.recv();
  await ctx.send(body);
  const got = await Promise.race([reply, sleep(ms, undefined)]);
  ctx.close();
  return got;
}

export function closeAll(sockets: Iterable<ReqSocket | SubSocket>): void {
  for (const s of sockets) {
    s.abort();
    s.close();
  }
}

export class Requester {
  #inflight: Promise<Buffer> | undefined;

  constructor(private readonly sock: ReqSocket) {}

  async call(body: Buffer): Promise<Buffer> {
    if (this.sock.closed) throw new Error('requester closed');
    await this.sock.send(body);
    if (this.sock.closed) throw new Error('requester closed');
    this.#inflight = this.sock.recv();
    try {
      return await this.#inflight;
    } finally {
      this.#inflight = undefined;
    }
  }

  close(): void {
    this.sock.abort();
    this.sock.close();
  }
}

/** Forwards subscriptions to a request socket; each side keeps its next receive on `this`. */
export class Broker {
  #upstream: Promise<Buffer> | undefined;
  #downstream: Promise<Buffer> | undefined;

  constructor(
    private readonly front: SubSocket,
    private readonly back: ReqSocket,
  ) {}

  pumpFront(): void {
    this.#upstream = this.front.recv();
  }

  pumpBack(): void {
    this.#downstream = this.back.recv();
  }

  next(): [Promise<Buffer> | undefined, Promise<Buffer> | undefined] {
    return [this.#upstream, this.#downstream];
  }

  close(): void {
    this.front.abort();
    this.front.close();
    this.back.close(); // expect: no-close-with-pending-ops
  }
}

export class TopicTap {
  #next: Promise<Buffer> | undefined;

  constructor(private readonly sub: SubSocket) {}

  arm(): void {
    this.#next = this.sub.recv();
  }

  next(): Promise<Buffer> | undefined {
    return this.#next;
  }

  close(): void {
    this.sub.abort();
    this.sub.close();
  }
}
