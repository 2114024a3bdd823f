// Graceful shutdown of an HTTP service. Signal handlers may do async work if they await it
// before process.exit(); an 'exit' listener may only do synchronous work.
import fs from 'node:fs';
import http from 'node:http';
import type { Socket } from 'node:net';

const sockets = new Set<Socket>();
const server = http.createServer((_req, res) => res.end('ok'));
server.on('connection', sock => {
  sockets.add(sock);
  sock.on('close', () => sockets.delete(sock));
});
server.listen(8080);

const logFd = fs.openSync('/var/log/svc/shutdown.log', 'a');
const pending: string[] = [];

async function drain(graceMs: number): Promise<void> {
  await new Promise<void>(resolve => {
    server.close(() => resolve());
    setTimeout(() => server.closeAllConnections(), graceMs).unref();
  });
}

async function flushLogs(): Promise<void> {
  await fs.promises.appendFile('/var/log/svc/app.log', pending.splice(0).join('\n'));
}

process.on('SIGTERM', () => {
  void drain(5000);
  process.exit(0); // expect: no-cleanup-in-exit-handler
});

process.on('SIGINT', async () => {
  await drain(1000);
  process.exit(130);
});

process.on('uncaughtException', err => {
  pending.push(String(err.stack));
  flushLogs();
  process.exit(1); // expect: no-cleanup-in-exit-handler
});

process.on('unhandledRejection', reason => {
  fs.writeSync(logFd, `unhandled rejection: ${String(reason)}\n`);
  process.exit(1);
});

process.on('SIGHUP', async () => {
  await flushLogs();
  fs.fsyncSync(logFd);
  process.exit(0);
});

process.on('exit', () => {
  server.close(); // expect: no-cleanup-in-exit-handler
  for (const sock of sockets) sock.destroy();
  fs.writeSync(logFd, `exit with ${sockets.size} open sockets\n`);
  fs.closeSync(logFd);
});
