import type { TSESLint } from '@typescript-eslint/utils';
import * as fs from 'node:fs';
import { isMainThread } from 'node:worker_threads';
import type ts from '../util/typescript.cjs';
import { runByEslintCli } from '../util/invocation.js';
import type { NativeHandleSettings, NativeHandleSettingsError } from './settings.js';
import { checkSettingsInProgram, settingsShapeWarnings, unmatchedEverywhere, type ProgramSettingsCheck } from './settingsCheck.js';

// How the plugin tells the user about its settings.
//
// Invalid settings (docs/resource-model.md#settings-errors-and-warnings) stop the `eslint` command with exit code 2, as ESLint does for
// an invalid rule option, and the first line on stderr names the key. ESLint's CLI prints any
// error a rule throws behind an "Oops! Something went wrong!" banner, and offers plugins no way to
// format it (its `messageTemplate` only loads ESLint's own message files), so the plugin writes
// the message itself, once, synchronously to fd 2 (in order even from a --concurrency worker
// thread), then throws. Everywhere else — the editor's language server, the `ESLint` class in a
// script — a thrown error would drop every diagnostic of the file, from every plugin, so the
// plugin reports the error as one diagnostic on the file instead, and its rules stay off there.
//
// Well-formed settings that match nothing draw a process warning (`NativeHandleSettingsWarning`),
// the channel ESLint uses for its own configuration warnings. It is about the configuration, not a
// file: said once per process rather than once per file and rule, not counted by --max-warnings,
// not hidden by --quiet, not stored with a file's results in the cache (a run that takes every
// file from the cache checks nothing), and the exit code stays that of the findings. The language
// server forwards it to the editor's ESLint output channel. `--no-warnings` silences it, as it
// does ESLint's own.

const said = new Set<string>();

/**
 * True the first time this process is to say `text`. ESLint starts its --concurrency worker
 * threads with a shared environment (`SHARE_ENV`), the one piece of state its threads share: a
 * worker thread marks there what it said, so two threads do not say the same thing twice.
 */
function firstTime(text: string): boolean {
  if (said.has(text)) return false;
  said.add(text);
  if (!isMainThread) {
    const mark = `NATIVE_HANDLE_SAID_${hash(text)}`;
    if (process.env[mark] !== undefined) return false;
    process.env[mark] = '1';
  }
  return true;
}

/** FNV-1a, as hex: a short, stable environment-variable suffix for a text. */
function hash(text: string): string {
  let value = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    value ^= text.charCodeAt(index);
    value = Math.imul(value, 0x01000193) >>> 0;
  }
  return value.toString(16);
}

const WARNING = 'NativeHandleSettingsWarning';

function warn(message: string): void {
  if (firstTime(message)) process.emitWarning(message, WARNING);
}

const CLI_HINT =
  '  (eslint-plugin-native-handle: invalid settings in the ESLint configuration; ESLint stops, with exit code 2, until this key is fixed)';
const EDITOR_HINT =
  'eslint-plugin-native-handle: fix this key in the ESLint configuration; no native-handle rule runs on this file until it is fixed.';
const reportedFiles = new WeakSet<object>();

/**
 * What a rule does when the settings are invalid. In the `eslint` command: writes the message
 * (once) and throws. Elsewhere: reports it on the file (once per file, by whichever rule runs
 * first) and returns no listeners, so the rule is off for the file.
 */
export function onInvalidSettings(
  context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>,
  error: NativeHandleSettingsError,
): Record<string, never> {
  if (runByEslintCli()) {
    if (firstTime(`error ${error.message}`)) fs.writeSync(2, `${error.message}\n${CLI_HINT}\n`);
    throw error;
  }
  if (!reportedFiles.has(context.sourceCode)) {
    reportedFiles.add(context.sourceCode);
    // A plain `message` (ESLint accepts one beside `meta.messages`): the same report for every rule.
    const report = context.report as unknown as (descriptor: { loc: { line: number; column: number }; message: string }) => void;
    report({ loc: { line: 1, column: 0 }, message: `${error.message}\n${EDITOR_HINT}` });
  }
  return {};
}

/** The checks of each settings object in the programs of this run, for the end-of-run warnings. */
const runChecks = new Map<NativeHandleSettings, ProgramSettingsCheck[]>();

/**
 * Warns about well-formed settings that match nothing in a program (called once per program and
 * settings object). What a program cannot decide alone (a package no program of the run contains)
 * is said when the `eslint` command ends, once every program has been seen. That needs the whole
 * run in one thread: with --concurrency, each worker sees only some programs, and in the editor
 * the run never ends, so those warnings are left out there.
 */
export function reportSettingsWarnings(program: ts.Program, settings: NativeHandleSettings): void {
  for (const message of settingsShapeWarnings(settings)) warn(message);
  let check: ProgramSettingsCheck;
  try {
    check = checkSettingsInProgram(program, settings);
  } catch {
    // A program without the compiler API the check reads (typescript-eslint's experimental tsgo
    // backend may lack some): the check is advice, never a reason for a rule to fail.
    return;
  }
  for (const message of check.warnings) warn(message);
  if (!isMainThread || !runByEslintCli()) return;
  const configured = settings.resources.length + settings.rawClose.length + settings.adopt.length + settings.exitHooks.length;
  if (configured === 0) return;
  if (runChecks.size === 0) process.once('exit', warnUnmatched);
  const group = runChecks.get(settings);
  if (group) group.push(check);
  else runChecks.set(settings, [check]);
}

function warnUnmatched(): void {
  if (process.env.NODE_NO_WARNINGS === '1' || process.execArgv.includes('--no-warnings')) return;
  for (const group of runChecks.values()) {
    for (const message of unmatchedEverywhere(group)) {
      // process.emitWarning prints on a later tick, which never comes during 'exit'.
      if (firstTime(message)) fs.writeSync(2, `(node:${process.pid}) ${WARNING}: ${message}\n`);
    }
  }
}
