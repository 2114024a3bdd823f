import { Linter, type ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import * as path from 'node:path';
import * as ts from 'typescript';
import nativeHandle from '../../src/index.js';

/**
 * The machinery of the fix-safety harness (tests/meta/fix-safety.test.ts): lint a file of a
 * TypeScript project with real types, apply each autofix and each suggestion on its own, and
 * check what CONTRIBUTING.md#quality-bars asks of a fix. One language service per project is reused for every
 * version of every file, so the library files are parsed and bound once.
 */

const documentRegistry = ts.createDocumentRegistry();

/** A TypeScript project whose files can be given in-memory contents, one at a time. */
export class Workspace {
  private readonly overrides = new Map<string, { text: string; version: number }>();
  private readonly service: ts.LanguageService;
  private readonly fileNames: string[];
  private version = 0;

  /** `plugin` is the plugin whose rules `lint` runs, under the `native-handle/` prefix (the real one unless a test gives another). */
  constructor(
    configPath: string,
    private readonly plugin: ESLint.Plugin = nativeHandle,
  ) {
    const parsed = ts.getParsedCommandLineOfConfigFile(
      configPath,
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: diagnostic => {
          throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
        },
      },
    );
    if (!parsed) throw new Error(`cannot read ${configPath}`);
    this.fileNames = parsed.fileNames;
    const directory = path.dirname(configPath);
    const host: ts.LanguageServiceHost = {
      // Lets the service skip comparing every file's version when nothing changed since the last program.
      getProjectVersion: () => String(this.version),
      getScriptFileNames: () => this.fileNames,
      getScriptVersion: fileName => String(this.overrides.get(fileName)?.version ?? 0),
      getScriptSnapshot: fileName => {
        const text = this.overrides.get(fileName)?.text ?? ts.sys.readFile(fileName);
        return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
      },
      getCurrentDirectory: () => directory,
      getCompilationSettings: () => parsed.options,
      getDefaultLibFileName: options => ts.getDefaultLibFilePath(options),
      fileExists: fileName => this.overrides.has(fileName) || ts.sys.fileExists(fileName),
      readFile: fileName => this.overrides.get(fileName)?.text ?? ts.sys.readFile(fileName),
      readDirectory: ts.sys.readDirectory.bind(ts.sys),
      directoryExists: ts.sys.directoryExists.bind(ts.sys),
      getDirectories: ts.sys.getDirectories.bind(ts.sys),
    };
    this.service = ts.createLanguageService(host, documentRegistry);
  }

  /** Gives `fileName` this text (every other file keeps its text on disk) and returns the program. */
  program(fileName: string, text: string): ts.Program {
    const known = this.overrides.get(fileName);
    if (known?.text !== text) this.overrides.set(fileName, { text, version: ++this.version });
    const program = this.service.getProgram();
    if (!program?.getSourceFile(fileName)) throw new Error(`${fileName} is not part of the project (its tsconfig.json must include it)`);
    return program;
  }

  /** The number of syntax and type errors TypeScript reports in the file with this text. */
  errorCount(fileName: string, text: string): { syntax: number; all: number } {
    this.program(fileName, text);
    const syntax = this.service.getSyntacticDiagnostics(fileName).length;
    const semantic = this.service
      .getSemanticDiagnostics(fileName)
      .filter(diagnostic => diagnostic.category === ts.DiagnosticCategory.Error);
    return { syntax, all: syntax + semantic.length };
  }

  /** Lints the file with this text and the given plugin rules (names without the `native-handle/` prefix). */
  lint(
    fileName: string,
    text: string,
    rules: Readonly<Record<string, unknown[]>>,
    settings: Record<string, unknown> = {},
  ): Linter.LintMessage[] {
    const program = this.program(fileName, text);
    const linter = new Linter({ configType: 'flat', cwd: path.dirname(fileName) });
    const config: Linter.Config[] = [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tseslint.parser, parserOptions: { programs: [program] } },
        plugins: { 'native-handle': this.plugin },
        linterOptions: { reportUnusedDisableDirectives: 'off' },
        rules: Object.fromEntries(Object.entries(rules).map(([name, options]) => [`native-handle/${name}`, ['error', ...options]])),
        settings,
      },
    ];
    return linter.verify(text, config, { filename: fileName });
  }
}

/** One edit, as ESLint hands it out: a range replaced by a text. */
export interface Edit {
  readonly range: readonly [number, number];
  readonly text: string;
}

export function applyEdit(text: string, edit: Edit): string {
  return text.slice(0, edit.range[0]) + edit.text + text.slice(edit.range[1]);
}

/** The line-ending style of a text: only `\r\n`, only `\n`, or a mix (not checked). */
export function lineEndings(text: string): 'crlf' | 'lf' | 'mixed' | 'none' {
  const crlf = (text.match(/\r\n/g) ?? []).length;
  const lf = (text.match(/\n/g) ?? []).length - crlf;
  const cr = (text.match(/\r/g) ?? []).length - crlf;
  if (crlf + lf + cr === 0) return 'none';
  if (cr === 0 && lf === 0) return 'crlf';
  if (cr === 0 && crlf === 0) return 'lf';
  return 'mixed';
}

export function toCrlf(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

/** The offset of a message's start in the text. */
export function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let current = 1; current < line; current++) {
    const next = text.indexOf('\n', offset);
    if (next === -1) return text.length;
    offset = next + 1;
  }
  return offset + column - 1;
}

/**
 * Where a position of the input is after an edit: the same offset before the edit, shifted
 * after it; inside the replaced range, the whole replacement (as a range).
 */
export function mapThroughEdit(offset: number, edit: Edit): readonly [number, number] {
  if (offset < edit.range[0]) return [offset, offset];
  if (offset >= edit.range[1] && !(offset === edit.range[0] && edit.range[0] === edit.range[1])) {
    const shifted = offset + edit.text.length - (edit.range[1] - edit.range[0]);
    return [shifted, shifted];
  }
  return [edit.range[0], edit.range[0] + edit.text.length];
}

/** How many lines repeat the (non-trivial) line before them: `await fh.close();` twice in a row. */
export function repeatedLines(text: string): number {
  const lines = text.split(/\r?\n/).map(line => line.trim());
  let count = 0;
  for (let index = 1; index < lines.length; index++) {
    const line = lines[index]!;
    if (line === lines[index - 1] && /[\w$]\s*\(/.test(line)) count++;
  }
  return count;
}

/** What went wrong with one fix or suggestion. */
export interface FixProblem {
  readonly rule: string;
  readonly kind: 'fix' | 'suggestion';
  readonly source: string;
  readonly finding: string;
  readonly problem: string;
  readonly output: string;
}

export interface CheckTarget {
  readonly workspace: Workspace;
  readonly fileName: string;
  readonly text: string;
  /** The rules to run (with their options); every finding of each is checked. */
  readonly rules: Readonly<Record<string, unknown[]>>;
  readonly settings?: Record<string, unknown>;
  /** How a failure names where the input came from. */
  readonly source: string;
  /**
   * Compare TypeScript's error counts (default true). The CRLF run of an input leaves it out:
   * line endings change no type, and the LF run has checked the same edits.
   */
  readonly typeCheck?: boolean;
}

export interface CheckResult {
  /** Per rule: how many autofixes and suggestions were applied and checked. */
  readonly counts: Map<string, { fixes: number; suggestions: number }>;
  readonly problems: FixProblem[];
}

/**
 * Applies every autofix and every suggestion of every finding on its own, and checks that the
 * output parses, has no more TypeScript errors than the input, keeps the input's line endings,
 * is offered no further autofix by the same rule where the finding was, and (for an autofix)
 * is no longer reported by the rule there.
 */
export function checkFixes(target: CheckTarget, result: CheckResult): void {
  const { workspace, fileName, text } = target;
  const messages = workspace.lint(fileName, text, target.rules, target.settings);
  const fatal = messages.find(message => message.fatal === true);
  if (fatal) throw new Error(`${target.source}: the input does not parse: ${fatal.message}`);
  let baseline: { syntax: number; all: number } | undefined;
  const endings = lineEndings(text);
  for (const message of messages) {
    const rule = message.ruleId?.replace(/^native-handle\//, '');
    if (rule === undefined || !(rule in target.rules)) continue;
    const edits: { kind: 'fix' | 'suggestion'; edit: Edit; description: string }[] = [];
    if (message.fix) edits.push({ kind: 'fix', edit: message.fix, description: 'autofix' });
    for (const suggestion of message.suggestions ?? [])
      edits.push({ kind: 'suggestion', edit: suggestion.fix, description: `suggestion "${suggestion.desc}"` });
    if (edits.length === 0) continue;
    const counts = result.counts.get(rule) ?? { fixes: 0, suggestions: 0 };
    result.counts.set(rule, counts);
    const start = offsetOf(text, message.line, message.column);
    const finding = `${message.messageId ?? '?'} at ${String(message.line)}:${String(message.column)}`;
    for (const { kind, edit, description } of edits) {
      if (kind === 'fix') counts.fixes++;
      else counts.suggestions++;
      const output = applyEdit(text, edit);
      const fail = (problem: string): void => {
        result.problems.push({ rule, kind, source: target.source, finding: `${finding} (${description})`, problem, output });
      };
      if (target.typeCheck !== false) {
        baseline ??= workspace.errorCount(fileName, text);
        const errors = workspace.errorCount(fileName, output);
        if (errors.syntax > baseline.syntax) {
          fail('the output does not parse');
          continue;
        }
        if (errors.all > baseline.all) fail(`TypeScript reports ${String(errors.all)} errors, ${String(baseline.all)} before`);
      }
      const outputEndings = lineEndings(output);
      if ((endings === 'lf' || endings === 'crlf') && outputEndings !== endings)
        fail(`the file's line endings (${endings}) became ${outputEndings}`);
      if (endings === 'none' && outputEndings !== 'none' && outputEndings !== 'lf')
        fail(`a one-line file got ${outputEndings} line endings`);
      if (repeatedLines(output) > repeatedLines(text)) fail('the output repeats a statement line right after itself');
      const [from, to] = mapThroughEdit(start, edit);
      const again = workspace.lint(fileName, output, { [rule]: target.rules[rule]! }, target.settings);
      const fatalAgain = again.find(other => other.fatal === true);
      if (fatalAgain) {
        fail(`the output does not parse: ${fatalAgain.message}`);
        continue;
      }
      const here = again.filter(other => {
        const offset = offsetOf(output, other.line, other.column);
        return offset >= from && offset <= to;
      });
      if (here.some(other => other.fix)) fail('a second pass offers another autofix for the same finding');
      if (kind === 'fix' && here.some(other => other.messageId === message.messageId))
        fail('the rule still reports the finding after its autofix');
    }
  }
}
