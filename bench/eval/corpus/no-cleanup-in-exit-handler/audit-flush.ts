// An audit trail flushed at exit. Writable#end and Socket#end finish later; local functions
// are followed transitively (each examined once) and an async local function is reported
// where it is called.
import fs from 'node:fs';
import net from 'node:net';

const audit = fs.createWriteStream('/var/log/app/audit.log', { flags: 'a' });
const control = net.connect('/run/app/control.sock');
const auditFd = fs.openSync('/var/log/app/audit.sync.log', 'a');

function closeAudit(): void {
  audit.end('-- process exiting --\n'); // expect: no-cleanup-in-exit-handler
}

function notifyController(code: number): void {
  control.end(JSON.stringify({ type: 'exit', code })); // expect: no-cleanup-in-exit-handler
}

async function uploadCrashReport(code: number): Promise<void> {
  const body = JSON.stringify({ code, pid: process.pid, at: Date.now() });
  await fetch('https://crash.example.com/report', { method: 'POST', body });
}

function reportIfFailed(code: number): void {
  if (code !== 0) uploadCrashReport(code); // expect: no-cleanup-in-exit-handler
}

function finalFlush(code: number): void {
  closeAudit();
  notifyController(code);
  reportIfFailed(code);
}

function writeTrailerSync(code: number): void {
  fs.writeSync(auditFd, `exit ${code} at ${new Date().toISOString()}\n`);
  fs.fsyncSync(auditFd);
  fs.closeSync(auditFd);
}

process.on('exit', code => {
  finalFlush(code);
  writeTrailerSync(code);
});

process.once('exit', code => {
  finalFlush(code);
});

process.on('exit', code => {
  if (code !== 0) uploadCrashReport(code); // expect: no-cleanup-in-exit-handler
});

process.on('SIGTERM', async () => {
  await new Promise<void>(resolve => audit.end('-- SIGTERM --\n', resolve));
  await uploadCrashReport(143);
  process.exit(143);
});

process.on('SIGUSR1', () => {
  audit.write('-- rotated --\n');
  control.write('{"type":"rotated"}\n');
});
