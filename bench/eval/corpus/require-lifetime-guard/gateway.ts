// An HTTP gateway that registers itself with an upstream control socket. Two resource
// fields: after one await each gets its own finding. A request listener on the server that
// writes to the upstream socket is a callback that can run after close().
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import { readFile } from 'node:fs/promises';

export class Gateway {
  private closed = false;
  private readonly server: Server;
  private readonly upstream: Socket;
  private configText = '';

  constructor(
    upstreamPath: string,
    private readonly configPath: string,
  ) {
    this.upstream = connect(upstreamPath);
    this.server = createServer((req, res) => this.handle(req, res));
    this.server.on('request', (req: IncomingMessage) => {
      this.upstream.write(`SEEN ${req.method ?? 'GET'} ${req.url ?? '/'}\n`); // expect: require-lifetime-guard
    });
    this.server.on('clientError', (_err, socket) => {
      if (this.server.listening) socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
    });
  }

  private handle(_req: IncomingMessage, res: ServerResponse): void {
    res.end('ok');
  }

  async start(port: number): Promise<void> {
    this.server.listen(port);
    await once(this.server, 'listening');
    const addr = this.server.address(); // expect: require-lifetime-guard
    this.upstream.write(`REGISTER ${JSON.stringify(addr)}\n`); // expect: require-lifetime-guard
  }

  async startGuarded(port: number): Promise<void> {
    this.server.listen(port);
    await once(this.server, 'listening');
    if (this.closed) return;
    const addr = this.server.address();
    this.upstream.write(`REGISTER ${JSON.stringify(addr)}\n`);
  }

  private async configChanged(): Promise<boolean> {
    const text = await readFile(this.configPath, 'utf8');
    const changed = text !== this.configText;
    this.configText = text;
    return changed;
  }

  async reload(): Promise<void> {
    if (await this.configChanged()) {
      this.server.closeIdleConnections(); // expect: require-lifetime-guard
    }
  }

  async reloadGuarded(): Promise<void> {
    if ((await this.configChanged()) && !this.closed) {
      this.server.closeIdleConnections();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.upstream.end('BYE\n');
    await new Promise<void>(resolve => this.server.close(() => resolve()));
    this.upstream.destroy();
  }
}
