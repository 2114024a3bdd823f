// An HTTP API plus a TCP admin port with graceful shutdown. Signal handlers drain and then
// exit; 'exit' listeners may only do synchronous bookkeeping. Helpers called from an 'exit'
// listener are followed through the file (a chain of synchronous functions, each once).
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

const sockets = new Set<net.Socket>();
const api = http.createServer((_req, res) => {
  res.end('ok');
});
const admin = net.createServer(sock => {
  sock.end(`open sockets: ${sockets.size}\n`);
});
const metricsFd = fs.openSync('/var/run/svc/metrics.prom', 'w');
let shuttingDown = false;

api.on('connection', sock => {
  sockets.add(sock);
  sock.once('close', () => sockets.delete(sock));
});
api.listen(8080);
admin.listen(9090);

async function drain(graceMs: number): Promise<void> {
  shuttingDown = true;
  const closed = new Promise<void>(resolve => api.close(() => resolve()));
  const timer = setTimeout(() => api.closeAllConnections(), graceMs);
  timer.unref();
  await closed;
  clearTimeout(timer);
  await new Promise<void>(resolve => admin.close(() => resolve()));
}

async function writeFinalMetrics(): Promise<void> {
  await fsp.writeFile('/var/run/svc/final.prom', `svc_open_sockets ${sockets.size}\n`);
}

function writeMetricsSync(): void {
  fs.ftruncateSync(metricsFd, 0);
  fs.writeSync(metricsFd, `svc_open_sockets ${sockets.size}\nsvc_shutting_down ${shuttingDown ? 1 : 0}\n`, 0);
}

function hangUpClients(): void {
  for (const sock of sockets) sock.resetAndDestroy();
}

function notifyPeers(): void {
  for (const sock of sockets) sock.end('server exiting\n'); // expect: no-cleanup-in-exit-handler
}

function deregister(): void {
  void fetch('http://lb.internal/deregister?port=8080', { method: 'POST' }); // expect: no-cleanup-in-exit-handler
}

function finalBookkeeping(): void {
  writeMetricsSync();
  notifyPeers();
  deregister();
}

process.on('exit', () => {
  api.closeAllConnections();
  hangUpClients();
  finalBookkeeping();
});

process.on('exit', () => {
  writeMetricsSync();
  finalBookkeeping();
});

process.on('exit', () => {
  hangUpClients();
  writeFinalMetrics(); // expect: no-cleanup-in-exit-handler
});

process.on('exit', () => {
  admin.close(); // expect: no-cleanup-in-exit-handler
});

process.on('exit', code => {
  if (code === 0 && sockets.size > 0) process.exitCode = 3;
  console.log(`exiting with ${sockets.size} sockets still open`);
  fs.closeSync(metricsFd);
});

process.on('SIGTERM', async () => {
  if (shuttingDown) return;
  const hardStop = setTimeout(() => {
    writeMetricsSync();
    process.exit(1);
  }, 10_000);
  hardStop.unref();
  await drain(5_000);
  await writeFinalMetrics();
  process.exit(0);
});

process.once('SIGINT', () => {
  writeMetricsSync();
  api.close();
  admin.close();
  hangUpClients();
  process.exit(130);
});

process.on('SIGUSR2', () => {
  const pending = shuttingDown ? undefined : writeFinalMetrics();
  console.log('metrics dump requested', pending !== undefined);
  process.exit(0); // expect: no-cleanup-in-exit-handler
});

process.on('SIGHUP', () => {
  void sleep(100).then(() => writeMetricsSync());
});

process.on('uncaughtException', async err => {
  console.error(err);
  await Promise.race([drain(2_000), sleep(2_500)]);
  process.exit(1);
});

process.on('beforeExit', async () => {
  if (!shuttingDown) await drain(0);
  await writeFinalMetrics();
});
