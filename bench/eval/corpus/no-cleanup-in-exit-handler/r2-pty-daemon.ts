// A terminal-sharing daemon: a Unix socket server hands each client a pty. Its runtime
// directory (pid file, socket) must be gone when the process ends. Ptys and child processes
// have their own 'exit' events, which are ordinary async-capable listeners.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Terminal } from 'node-pty-native';

const runtimeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ptyd-'));
const pidFile = path.join(runtimeDir, 'ptyd.pid');
const socketPath = path.join(runtimeDir, 'ptyd.sock');
const sessionLog = path.join(runtimeDir, 'sessions.log');
fs.writeFileSync(pidFile, String(process.pid));

const terminals = new Set<Terminal>();
const clients = new Set<net.Socket>();

const server = net.createServer(sock => {
  clients.add(sock);
  sock.on('close', () => clients.delete(sock));
  const term = Terminal.spawn(process.env['SHELL'] ?? '/bin/sh', ['-l'], { cols: 80, rows: 24 });
  terminals.add(term);
  term.onData(data => sock.write(data));
  sock.on('data', chunk => term.write(chunk.toString('utf8')));
  term.onExit(async ({ exitCode }) => {
    terminals.delete(term);
    await fsp.appendFile(sessionLog, `session ${term.pid} exited with ${exitCode}\n`);
    sock.end('\r\n[session ended]\r\n');
  });
});
server.listen(socketPath);

const utmpHelper = spawn('/usr/lib/ptyd/utmp-helper', [], { stdio: 'ignore' });
utmpHelper.on('exit', async code => {
  await fsp.appendFile(sessionLog, `utmp helper exited with ${code}\n`);
});

/** Runs a user hook script; the local `process` here is the hook's child process. */
export function runHook(script: string): void {
  const process = spawn(script, [], { stdio: 'inherit' });
  process.on('exit', async code => {
    await fsp.writeFile(path.join(runtimeDir, `${path.basename(script)}.status`), String(code));
  });
}

function killSessions(): void {
  for (const term of terminals) if (!term.exited) term.kill('SIGHUP');
  terminals.clear();
}

function removeRuntimeFilesSync(): void {
  for (const file of [pidFile, socketPath]) {
    try {
      fs.unlinkSync(file);
    } catch {
      // already gone
    }
  }
  fs.rmSync(runtimeDir, { recursive: true, force: true });
}

function stopAccepting(): void {
  server.close(); // expect: no-cleanup-in-exit-handler
  for (const sock of clients) sock.end('\r\n[ptyd shutting down]\r\n'); // expect: no-cleanup-in-exit-handler
}

async function archiveSessions(code: number): Promise<void> { // expect: no-cleanup-in-exit-handler
  const text = await fsp.readFile(sessionLog, 'utf8').catch(() => ''); // expect: no-cleanup-in-exit-handler
  fs.writeFileSync(path.join(os.homedir(), '.ptyd-last-sessions'), `exit ${code}\n${text}`);
}

process.on('exit', () => {
  killSessions();
  for (const sock of clients) sock.destroy();
  removeRuntimeFilesSync();
});

process.once('exit', stopAccepting);

process.on('exit', archiveSessions);

process.on('exit', code => {
  if (code !== 0) fs.copyFile(sessionLog, `${sessionLog}.crashed`, () => {}); // expect: no-cleanup-in-exit-handler
});

process.on('exit', code => {
  if (code !== 0) fs.copyFileSync(sessionLog, path.join(os.tmpdir(), 'ptyd-crash.log'));
});

process.on('SIGTERM', async () => {
  const hardStop = setTimeout(() => process.exit(1), 5000);
  hardStop.unref();
  await new Promise<void>(resolve => server.close(() => resolve()));
  await archiveSessions(0);
  process.exit(0);
});

process.on('SIGHUP', () => {
  void archiveSessions(129);
  killSessions();
  process.exit(129); // expect: no-cleanup-in-exit-handler
});

process.on('SIGINT', () => {
  void fsp.rm(runtimeDir, { recursive: true, force: true });
  killSessions();
  server.close();
  process.exitCode = 130;
});

process.on('beforeExit', async () => {
  await archiveSessions(0);
  await fsp.rm(runtimeDir, { recursive: true, force: true });
});
