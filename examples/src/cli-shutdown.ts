// The shutdown path of a small CLI daemon: a pid file, a log stream, a local status server and a
// state file. `no-cleanup-in-exit-handler` reports the cleanup that never completes, because it
// runs in an 'exit' listener or is cut short by process.exit(). Each hazard sits next to its
// correct twin.
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as http from 'node:http';

const PID_FILE = '/tmp/cli-demo.pid';
const STATE_FILE = '/tmp/cli-demo.state.json';

const log = fs.createWriteStream('/tmp/cli-demo.log', { flags: 'a' });
const status = http.createServer((_request, response) => {
  response.end('ok\n');
});
status.listen(0, '127.0.0.1');
fs.writeFileSync(PID_FILE, String(process.pid));

let state = { startedAt: Date.now(), jobs: 0 };

export function recordJob(): void {
  state = { ...state, jobs: state.jobs + 1 };
  log.write(`job ${state.jobs} done\n`);
}

async function saveState(): Promise<void> {
  await fsp.writeFile(STATE_FILE, JSON.stringify(state));
}

// ❌ Reported inside this helper, because an 'exit' listener below calls it: end() and close()
// finish asynchronously, after the process is gone.
function closeOutputs(): void {
  log.end('exiting\n');
  status.close();
}

// ❌ An async 'exit' listener: the write never happens (the state file is left empty), and
// neither does the pid-file removal. The empty-callback unlink gets an autofix to unlinkSync.
process.on('exit', async () => {
  closeOutputs();
  fs.unlink(PID_FILE, () => {});
  await saveState();
});

// ✅ The twin: only synchronous work in 'exit'. The OS closes the log fd and the server's socket.
process.on('exit', code => {
  fs.writeFileSync(STATE_FILE, JSON.stringify({ ...state, exitCode: code }));
  try {
    fs.unlinkSync(PID_FILE);
  } catch {}
});

// ❌ process.exit() abandons the cleanup that the handler has just started.
process.on('SIGINT', () => {
  saveState();
  process.exit(130);
});

// ❌ Logging whether a save is pending does not wait for it: process.exit() still abandons it.
process.on('SIGUSR2', () => {
  const saving = state.jobs > 0 ? saveState() : undefined;
  console.log('state save pending:', saving !== undefined);
  process.exit(0);
});

// ✅ The twin: await the save whenever it was started.
process.on('SIGUSR1', async () => {
  const saving = state.jobs > 0 ? saveState() : undefined;
  console.log('state save pending:', saving !== undefined);
  if (saving) await saving;
  process.exit(0);
});

// ✅ The twin: await the cleanup with a hard stop, then exit.
process.once('SIGTERM', async () => {
  const hardStop = setTimeout(() => process.exit(1), 5000);
  hardStop.unref();
  await saveState();
  await new Promise<void>(resolve => status.close(() => resolve()));
  await new Promise<void>(resolve => log.end(resolve));
  process.exit(0);
});

// ✅ 'beforeExit' runs while the event loop is still alive, so async work there completes
// (it is not emitted on process.exit(), so it is not a replacement for the handlers above).
process.on('beforeExit', async () => {
  await fsp.rm('/tmp/cli-demo.cache', { recursive: true, force: true });
});
