// The editor path, end to end: the real `vscode-eslint-language-server` (the server of VS Code's
// ESLint extension) on a temporary copy of a small project that uses the plugin through the
// README config. Everything the server says is compared with what the ESLint CLI says about the
// same file, and the findings of three stable rules are also pinned by hand.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodeAction, Command, Diagnostic, Range } from 'vscode-languageserver-protocol/node';
import { rules } from '../../src/rules/index.js';
import { EslintLanguageClient, editsFor } from './lsp.js';
import { STABLE_RULES, applyOffsetEdits, eslint, linkedE2eProject, rmTemp } from './project.js';

interface EslintFix {
  readonly range: readonly [number, number];
  readonly text: string;
}
interface EslintMessage {
  readonly ruleId: string | null;
  readonly severity: number;
  readonly message: string;
  readonly line: number;
  readonly column: number;
  readonly endLine?: number;
  readonly endColumn?: number;
  readonly fix?: EslintFix;
  readonly suggestions?: readonly { desc: string; fix: EslintFix }[];
}
interface EslintResult {
  readonly messages: readonly EslintMessage[];
  readonly output?: string;
}

const HAZARDS = path.join('src', 'hazards.ts');
const EXIT_HANDLER = 'native-handle/no-cleanup-in-exit-handler';
const PENDING_OPS = 'native-handle/no-close-with-pending-ops';
const LIFETIME_GUARD = 'native-handle/require-lifetime-guard';

const docsUrl = (ruleId: string): string | undefined => rules[ruleId.replace('native-handle/', '') as keyof typeof rules].meta.docs?.url;

/** The diagnostic the server should publish for an ESLint message. */
function asDiagnostic(message: EslintMessage): Diagnostic {
  const url = message.ruleId === null ? undefined : docsUrl(message.ruleId);
  return {
    message: message.message,
    severity: message.severity === 2 ? 1 : 2,
    source: 'eslint',
    range: {
      start: { line: message.line - 1, character: message.column - 1 },
      end: { line: (message.endLine ?? message.line) - 1, character: (message.endColumn ?? message.column) - 1 },
    },
    ...(message.ruleId === null ? {} : { code: message.ruleId }),
    ...(url === undefined ? {} : { codeDescription: { href: url } }),
  };
}

const byPosition = (a: Diagnostic, b: Diagnostic): number =>
  a.range.start.line - b.range.start.line ||
  a.range.start.character - b.range.start.character ||
  String(a.code).localeCompare(String(b.code));

const titles = (actions: readonly (Command | CodeAction)[]): string[] => actions.map(action => action.title);

function commandTitled(actions: readonly (Command | CodeAction)[], title: string): Command {
  const action = actions.find(candidate => candidate.title === title);
  const command = action && 'kind' in action ? action.command : (action as Command | undefined);
  if (!command) throw new Error(`no code action "${title}" among ${JSON.stringify(titles(actions))}`);
  return command;
}

const lineOf = (text: string, line: number): string | undefined => text.split('\n')[line - 1];

describe('the ESLint language server on the README config', () => {
  let dir: string | undefined;
  let client: EslintLanguageClient | undefined;
  let uri = '';
  let original = '';
  let reference: EslintResult = { messages: [] };
  let fixedByCli = '';

  const server = (): EslintLanguageClient => client!;
  const stableDiagnostics = (diagnostics: readonly Diagnostic[]): Diagnostic[] =>
    diagnostics.filter(diagnostic => (STABLE_RULES as readonly unknown[]).includes(diagnostic.code));
  const referenceMessage = (ruleId: string): EslintMessage => {
    const message = reference.messages.find(candidate => candidate.ruleId === ruleId);
    if (!message) throw new Error(`the ESLint CLI reported no ${ruleId}`);
    return message;
  };

  beforeAll(async () => {
    dir = linkedE2eProject();
    original = fs.readFileSync(path.join(dir, HAZARDS), 'utf8');
    // What the CLI says about the same file: its findings, and its `--fix` output.
    const [lint, fix] = await Promise.all([
      eslint(['--format', 'json', HAZARDS], dir),
      eslint(['--fix-dry-run', '--format', 'json', HAZARDS], dir),
    ]);
    expect(lint.status, lint.stderr).toBe(1);
    expect(fix.status, fix.stderr).toBe(1);
    reference = (JSON.parse(lint.stdout) as EslintResult[])[0]!;
    fixedByCli = (JSON.parse(fix.stdout) as EslintResult[])[0]!.output ?? original;

    client = await EslintLanguageClient.start(dir);
    uri = await client.open(path.join(dir, HAZARDS), original);
  }, 120_000);

  afterAll(async () => {
    await client?.stop();
    rmTemp(dir);
  });

  it('answers a diagnostic pull with our rule ids, messages and ranges, as the CLI reports them', async () => {
    const diagnostics = await server().diagnostics(uri);
    // A server missing a setting answers with an empty report instead of failing: never accept one.
    expect(diagnostics.length, `no diagnostics; server log:\n${server().log.join('\n')}`).toBeGreaterThan(0);
    expect([...diagnostics].sort(byPosition)).toEqual(reference.messages.map(asDiagnostic).sort(byPosition));

    const stable = stableDiagnostics(diagnostics).sort(byPosition);
    expect(stable.map(diagnostic => [diagnostic.code, diagnostic.range.start.line + 1, diagnostic.range.start.character + 1])).toEqual([
      [EXIT_HANDLER, 6, 3],
      [PENDING_OPS, 13, 9],
      [LIFETIME_GUARD, 29, 18],
    ]);
    expect(stable.map(diagnostic => [diagnostic.range.end.line + 1, diagnostic.range.end.character + 1])).toEqual([
      [6, 38],
      [13, 19],
      [29, 25],
    ]);
    expect(stable[0]!.message).toMatch(/^This call completes through a callback, which never runs in an exit listener/);
    expect(stable[1]!.message).toMatch(
      /^`fh\.close\(\)` closes this FileHandle while `fh\.readFile\(\)` started on it may still be pending/,
    );
    expect(stable[2]!.message).toMatch(/^`this\.fd` \(a raw handle\) is read after an `await` with no check that this Log is still open/);
    for (const diagnostic of stable) {
      expect(diagnostic.severity).toBe(1);
      expect(diagnostic.codeDescription?.href).toBe(docsUrl(String(diagnostic.code)));
    }
  });

  it('offers the quick fix, "disable for this line" and the docs at an autofixable finding, and applies them through workspace/applyEdit', async () => {
    const diagnostic = stableDiagnostics(await server().diagnostics(uri)).find(candidate => candidate.code === EXIT_HANDLER)!;
    const actions = await server().codeActions(uri, diagnostic.range, [diagnostic]);
    expect(titles(actions)).toEqual([
      `Fix this ${EXIT_HANDLER} problem`,
      `Disable ${EXIT_HANDLER} for this line`,
      `Disable ${EXIT_HANDLER} for the entire file`,
      `Show documentation for ${EXIT_HANDLER}`,
      'Fix all auto-fixable problems',
    ]);
    expect(actions.every(action => 'kind' in action && action.kind === 'quickfix')).toBe(true);

    // Executing the quick fix makes the server send workspace/applyEdit (answered `applied: true`).
    const before = server().appliedEdits.length;
    await server().execute(commandTitled(actions, `Fix this ${EXIT_HANDLER} problem`));
    expect(server().appliedEdits).toHaveLength(before + 1);
    const fixed = server().applied(uri, server().appliedEdits.at(-1)!);
    const { fix } = referenceMessage(EXIT_HANDLER);
    expect(fixed).toBe(applyOffsetEdits(original, [{ start: fix!.range[0], end: fix!.range[1], text: fix!.text }]));
    expect(lineOf(fixed, 6)).toBe("  try { fs.unlinkSync('/tmp/e2e.pid'); } catch {}");

    await server().execute(
      commandTitled(await server().codeActions(uri, diagnostic.range, [diagnostic]), `Disable ${EXIT_HANDLER} for this line`),
    );
    expect(server().appliedEdits).toHaveLength(before + 2);
    const disabled = server().applied(uri, server().appliedEdits.at(-1)!);
    expect(lineOf(disabled, 6)).toBe(`  // eslint-disable-next-line ${EXIT_HANDLER}`);
    expect(lineOf(disabled, 7)).toBe(lineOf(original, 6));
  });

  it('offers the suggestions of a suggestion-only finding as quick fixes, and applies one', async () => {
    const diagnostic = stableDiagnostics(await server().diagnostics(uri)).find(candidate => candidate.code === PENDING_OPS)!;
    const actions = await server().codeActions(uri, diagnostic.range, [diagnostic]);
    const { suggestions = [], fix } = referenceMessage(PENDING_OPS);
    expect(fix).toBeUndefined();
    expect(suggestions.map(suggestion => suggestion.desc)).toEqual([
      'Call `controller.abort()` before closing (the pending operation then rejects with an AbortError).',
    ]);
    expect(titles(actions)).toEqual([
      ...suggestions.map(suggestion => `${suggestion.desc} (${PENDING_OPS})`),
      `Disable ${PENDING_OPS} for this line`,
      `Disable ${PENDING_OPS} for the entire file`,
      `Show documentation for ${PENDING_OPS}`,
    ]);

    const before = server().appliedEdits.length;
    await server().execute(commandTitled(actions, `${suggestions[0]!.desc} (${PENDING_OPS})`));
    expect(server().appliedEdits).toHaveLength(before + 1);
    const suggested = server().applied(uri, server().appliedEdits.at(-1)!);
    const suggestion = suggestions[0]!.fix;
    expect(suggested).toBe(applyOffsetEdits(original, [{ start: suggestion.range[0], end: suggestion.range[1], text: suggestion.text }]));
    expect(suggested).toContain('  controller.abort();\n  await fh.close();\n');
  });

  it('runs source.fixAll.eslint (fix on save) to the eslint --fix output, leaving the suggestion-only finding', async () => {
    const wholeFile: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const actions = await server().codeActions(uri, wholeFile, [], 'source.fixAll.eslint');
    expect(actions).toHaveLength(1);
    const fixAll = actions[0] as CodeAction;
    expect(fixAll.kind).toBe('source.fixAll.eslint');
    expect(fixAll.edit?.documentChanges).toHaveLength(1);
    expect(editsFor(fixAll.edit!, uri).length).toBeGreaterThan(0);

    const fixed = server().applied(uri, fixAll.edit!);
    expect(fixedByCli).not.toBe(original);
    expect(fixed).toBe(fixedByCli);
    expect(fixed).toContain("  try { fs.unlinkSync('/tmp/e2e.pid'); } catch {}\n");
    expect(fixed).toContain(
      "    const text = await Promise.resolve(line.trim());\n    this.throwIfClosed();\n    fs.writeSync(this.fd, text + '\\n');\n",
    );

    // Saved with the fixes, the file keeps only the finding that needs a human.
    await server().change(uri, fixed);
    const after = stableDiagnostics(await server().diagnostics(uri));
    expect(after.map(diagnostic => [diagnostic.code, diagnostic.range.start.line + 1])).toEqual([[PENDING_OPS, 13]]);
  });
});

/**
 * A language server on a copy of the e2e project whose `eslint.config.mjs` gets `extra` (a config
 * object's source) right after the plugin's recommended config; set up once for the enclosing
 * `describe` (the server's start and first lint take many seconds on a loaded machine).
 */
function serverOnProjectWith(extra: string): () => { readonly dir: string; readonly client: EslintLanguageClient } {
  let dir: string | undefined;
  let client: EslintLanguageClient | undefined;
  beforeAll(async () => {
    dir = linkedE2eProject();
    const config = path.join(dir, 'eslint.config.mjs');
    const text = fs.readFileSync(config, 'utf8');
    const changed = text.replace('  nativeHandle.configs.recommended,\n', `  nativeHandle.configs.recommended,\n  ${extra},\n`);
    expect(changed).not.toBe(text);
    fs.writeFileSync(config, changed);
    client = await EslintLanguageClient.start(dir);
  }, 120_000);
  afterAll(async () => {
    await client?.stop();
    rmTemp(dir);
  });
  return () => ({ dir: dir!, client: client! });
}

describe('the ESLint language server on a project whose native-handle settings are invalid', () => {
  const server = serverOnProjectWith(
    "{ settings: { 'native-handle': { resources: [{ type: 'FileHandle' }] } }, rules: { 'no-debugger': 'error' } }",
  );

  it('shows the error as one diagnostic on the file naming the key, and keeps the other rules’ diagnostics', async () => {
    const { dir, client } = server();
    const file = path.join(dir, HAZARDS);
    const text = `${fs.readFileSync(file, 'utf8')}\nexport function pause(): void {\n  debugger;\n}\n`;
    const uri = await client.open(file, text);
    for (const round of [1, 2]) {
      if (round === 2) await client.change(uri, `${text}// edited\n`);
      const diagnostics = await client.diagnostics(uri);
      const ours = diagnostics.filter(diagnostic => String(diagnostic.code).startsWith('native-handle/'));
      expect(ours, `server log:\n${client.log.join('\n')}`).toHaveLength(1);
      const message = ours[0]!.message;
      expect((typeof message === 'string' ? message : message.value).split('\n')[0]).toBe(
        "settings['native-handle'].resources[0].type: the bare-string form ('FileHandle') matches by name alone and is not accepted; expected { from: 'file' | 'lib' | 'package', name, package? | path? }",
      );
      expect(ours[0]!.range.start).toEqual({ line: 0, character: 0 });
      expect(ours[0]!.severity).toBe(1);
      expect(
        diagnostics.filter(diagnostic => diagnostic.code === 'no-debugger').map(diagnostic => diagnostic.range.start.line + 1),
      ).toEqual([text.split('\n').indexOf('  debugger;') + 1]);
    }
  });
});

describe('the ESLint language server on a project whose native-handle settings name a missing member', () => {
  const server = serverOnProjectWith(
    "{ settings: { 'native-handle': { resources: [{ type: { from: 'package', package: 'fs/promises', name: 'FileHandle' }, close: 'shutdown' }] } } }",
  );

  it('says it once in the server’s output (the ESLint output channel), and lints as usual', async () => {
    const { dir, client } = server();
    const file = path.join(dir, HAZARDS);
    const uri = await client.open(file, fs.readFileSync(file, 'utf8'));
    const first = await client.diagnostics(uri);
    await client.change(uri, `${fs.readFileSync(file, 'utf8')}// edited\n`);
    const second = await client.diagnostics(uri);
    for (const diagnostics of [first, second]) {
      expect(
        diagnostics.filter(diagnostic => (STABLE_RULES as readonly unknown[]).includes(diagnostic.code)).map(diagnostic => diagnostic.code),
      ).toEqual([EXIT_HANDLER, PENDING_OPS, LIFETIME_GUARD]);
    }
    // The server forwards its stderr to the client as window/logMessage (the ESLint output channel).
    const logged = client.log
      .filter(line => line.startsWith('window/logMessage: '))
      .map(line => (JSON.parse(line.slice('window/logMessage: '.length)) as { message: string }).message);
    const said = logged.filter(message => message.includes('NativeHandleSettingsWarning'));
    expect(said.map(message => message.replace(/^\(node:\d+\) NativeHandleSettingsWarning: /, '').split('\n')[0])).toEqual([
      "settings['native-handle'].resources[0].close: 'shutdown' is not a member of FileHandle (package 'fs/promises'); the role matches nothing there",
    ]);
  });
});
