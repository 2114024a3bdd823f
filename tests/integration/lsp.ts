import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ApplyWorkspaceEditRequest,
  CodeActionRequest,
  ConfigurationRequest,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentDiagnosticRequest,
  ExecuteCommandRequest,
  ExitNotification,
  InitializeRequest,
  InitializedNotification,
  ShutdownRequest,
  createProtocolConnection,
  type ApplyWorkspaceEditParams,
  type CodeAction,
  type Command,
  type Diagnostic,
  type ProtocolConnection,
  type Range,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { applyOffsetEdits, repoRoot } from './project.js';

/** `vscode-eslint-language-server`: the server behind VS Code's ESLint extension. */
export const serverBin = path.join(repoRoot, 'node_modules', 'vscode-langservers-extracted', 'bin', 'vscode-eslint-language-server');

/**
 * The settings VS Code's ESLint extension sends for a workspace folder with its defaults. The server
 * needs them complete: a missing one (`experimental`, `nodePath`, `codeAction`, …) makes it fail
 * silently with no diagnostics at all. `experimental.useFlatConfig` stays unset: ESLint 10 only has
 * flat config, which the server detects from `eslint.config.*`.
 */
export function extensionSettings(projectDir: string): Record<string, unknown> {
  return {
    validate: 'on',
    packageManager: 'npm',
    useESLintClass: false,
    experimental: {},
    codeAction: {
      disableRuleComment: { enable: true, location: 'separateLine', commentStyle: 'line' },
      showDocumentation: { enable: true },
    },
    codeActionOnSave: { mode: 'all' },
    format: false,
    quiet: false,
    onIgnoredFiles: 'off',
    options: {},
    rulesCustomizations: [],
    run: 'onType',
    problems: { shortenToSingleLine: false },
    nodePath: null,
    workspaceFolder: { name: path.basename(projectDir), uri: pathToFileURL(projectDir).href },
  };
}

/** Applies LSP text edits to a text. */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const lineStarts = [0];
  for (let index = 0; index < text.length; index++) if (text[index] === '\n') lineStarts.push(index + 1);
  const offset = (position: { line: number; character: number }): number =>
    Math.min((lineStarts[position.line] ?? text.length) + position.character, text.length);
  return applyOffsetEdits(
    text,
    edits.map(edit => ({ start: offset(edit.range.start), end: offset(edit.range.end), text: edit.newText })),
  );
}

/** The text edits a workspace edit makes to one document (`documentChanges` or `changes`). */
export function editsFor(edit: WorkspaceEdit, uri: string): TextEdit[] {
  const fromDocumentChanges = (edit.documentChanges ?? []).flatMap(change =>
    'textDocument' in change && change.textDocument.uri === uri ? change.edits.filter((e): e is TextEdit => 'range' in e) : [],
  );
  return [...fromDocumentChanges, ...(edit.changes?.[uri] ?? [])];
}

/** A client of a real `vscode-eslint-language-server` process over stdio. */
export class EslintLanguageClient {
  /** Workspace edits the server asked the client to apply (answered `{ applied: true }`). */
  readonly appliedEdits: WorkspaceEdit[] = [];
  /** What the server logged, for failure messages. */
  readonly log: string[] = [];
  private readonly texts = new Map<string, string>();
  private readonly versions = new Map<string, number>();

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly connection: ProtocolConnection,
  ) {}

  static async start(projectDir: string): Promise<EslintLanguageClient> {
    const child = spawn(process.execPath, [serverBin, '--stdio'], { cwd: projectDir, stdio: 'pipe' });
    const connection = createProtocolConnection(child.stdout, child.stdin);
    const client = new EslintLanguageClient(child, connection);
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => client.log.push(`stderr: ${chunk}`));
    connection.onRequest(ConfigurationRequest.type, params => params.items.map(() => extensionSettings(projectDir)));
    connection.onRequest(ApplyWorkspaceEditRequest.type, (params: ApplyWorkspaceEditParams) => {
      client.appliedEdits.push(params.edit);
      return { applied: true };
    });
    // The other requests this server can send: accept them and note them. (eslint/noConfig,
    // eslint/noLibrary and eslint/probeFailed mean the server found no ESLint or no config.)
    for (const method of [
      'client/registerCapability',
      'window/workDoneProgress/create',
      'window/showMessageRequest',
      'workspace/diagnostic/refresh',
      'eslint/noConfig',
      'eslint/noLibrary',
      'eslint/openDoc',
      'eslint/probeFailed',
    ]) {
      connection.onRequest(method, (params: unknown) => {
        client.log.push(`request ${method}: ${JSON.stringify(params)}`);
        return null;
      });
    }
    connection.onUnhandledNotification(message => {
      client.log.push(`${message.method}: ${JSON.stringify(message.params)}`);
    });
    connection.listen();
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      // Required by the protocol's types although deprecated; VS Code still sends it.
      // eslint-disable-next-line @typescript-eslint/no-deprecated
      rootUri: pathToFileURL(projectDir).href,
      workspaceFolders: [{ name: path.basename(projectDir), uri: pathToFileURL(projectDir).href }],
      capabilities: {
        workspace: { configuration: true, applyEdit: true, workspaceEdit: { documentChanges: true } },
        textDocument: {
          diagnostic: { dynamicRegistration: false },
          codeAction: {
            codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll', 'source.fixAll.eslint'] } },
          },
        },
      },
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  /** Opens a document with the given text (version 1) and returns its URI. */
  async open(filePath: string, text: string): Promise<string> {
    const uri = pathToFileURL(filePath).href;
    this.texts.set(uri, text);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'typescript', version: 1, text },
    });
    return uri;
  }

  /** Replaces the whole text of an open document (as an editor does after applying edits). */
  async change(uri: string, text: string): Promise<void> {
    this.texts.set(uri, text);
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [{ text }],
    });
  }

  /** Pulls the diagnostics of a document (the server publishes none by itself). */
  async diagnostics(uri: string): Promise<Diagnostic[]> {
    const report = await this.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } });
    return report.kind === 'full' ? report.items : [];
  }

  /** The code actions offered for a range: for diagnostics, or of a kind (`only`). */
  async codeActions(uri: string, range: Range, diagnostics: Diagnostic[], only?: string): Promise<(Command | CodeAction)[]> {
    const actions = await this.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range,
      context: { diagnostics, ...(only === undefined ? {} : { only: [only] }) },
    });
    return actions ?? [];
  }

  /** Executes a command the server offered; the server answers through `workspace/applyEdit`. */
  async execute(command: Command): Promise<void> {
    await this.connection.sendRequest(ExecuteCommandRequest.type, {
      command: command.command,
      ...(command.arguments === undefined ? {} : { arguments: command.arguments }),
    });
  }

  /** The text of an open document with the edits of a workspace edit applied. */
  applied(uri: string, edit: WorkspaceEdit): string {
    return applyTextEdits(this.texts.get(uri) ?? '', editsFor(edit, uri));
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest(ShutdownRequest.type), new Promise(resolve => setTimeout(resolve, 2000))]);
      await this.connection.sendNotification(ExitNotification.type);
    } finally {
      this.connection.dispose();
      if (this.child.exitCode === null) this.child.kill();
    }
  }
}
