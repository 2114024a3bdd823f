// settings: {"native-handle":{"exitHooks":[{"from":"package","package":"signal-exit","name":"onExit"}]}}
// A daemon that uses signal-exit (configured as an exit hook, imported under another name).
// A local function with a similar job is not an exit hook.
import fs from 'node:fs';
import { rm } from 'node:fs/promises';
import { onExit as whenExiting } from 'signal-exit';

const pidFile = '/run/mydaemon.pid';
const socketPath = '/run/mydaemon.sock';
const cacheDir = '/var/cache/mydaemon';

fs.writeFileSync(pidFile, String(process.pid));

const shutdownSteps: (() => Promise<void>)[] = [];

function registerShutdownStep(step: () => Promise<void>): void {
  shutdownSteps.push(step);
}

export async function runShutdownSteps(): Promise<void> {
  for (const step of shutdownSteps) await step();
}

whenExiting(() => {
  try {
    fs.unlinkSync(pidFile);
  } catch {
    // not ours any more
  }
});

whenExiting(async () => { // expect: no-cleanup-in-exit-handler
  await rm(cacheDir, { recursive: true, force: true }); // expect: no-cleanup-in-exit-handler
});

whenExiting(
  () => {
    fs.unlink(socketPath, () => {}); // expect: no-cleanup-in-exit-handler
  },
  { alwaysLast: true },
);

whenExiting((code, signal) => {
  fs.writeFileSync('/var/log/mydaemon/last-exit', `${code ?? signal ?? 'unknown'}\n`);
});

registerShutdownStep(async () => {
  await rm(cacheDir, { recursive: true, force: true });
});

process.on('SIGTERM', async () => {
  await runShutdownSteps();
  process.exit(0);
});
