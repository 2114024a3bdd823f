import { parseForESLint } from '@typescript-eslint/parser';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { SourceCode } from 'eslint';
import { getNativeHandleServices, type NativeHandleServices } from '../../src/model/index.js';
import { compile, testFile, type TestProgram } from './program.js';

/** Sets `parent` on every node under `root`, as ESLint does before rules run. */
export function linkParents(root: TSESTree.Node, visitorKeys: Readonly<Record<string, readonly string[] | undefined>>): void {
  const link = (node: TSESTree.Node, parent: TSESTree.Node | undefined): void => {
    (node as { parent?: TSESTree.Node }).parent = parent;
    for (const key of visitorKeys[node.type] ?? []) {
      const value = (node as unknown as Record<string, unknown>)[key];
      for (const item of Array.isArray(value) ? (value as unknown[]) : [value]) {
        if (item && typeof item === 'object' && 'type' in item) link(item as TSESTree.Node, node);
      }
    }
  };
  link(root, undefined);
}

/** ESLint's SourceCode of parsed code (scopes, parser services and visitor keys included). */
export function sourceCodeOf(code: string, parsed: ReturnType<typeof parseForESLint>): SourceCode {
  return new SourceCode({
    text: code,
    ast: parsed.ast as never,
    parserServices: parsed.services,
    scopeManager: parsed.scopeManager as never,
    visitorKeys: parsed.visitorKeys as never,
  });
}

export interface TypedFile {
  /** The TypeScript program and resource model of the code (see {@link compile}). */
  readonly t: TestProgram;
  /** The code's ESTree, parents linked, from that program. */
  readonly ast: TSESTree.Program;
  readonly visitorKeys: Readonly<Record<string, readonly string[] | undefined>>;
  /** ESLint's source code object of the file (scopes included). */
  readonly sourceCode: SourceCode;
  /** The services a rule linting the code gets. */
  readonly services: NativeHandleServices;
}

/** Compiles `code` as `fixtures/file.ts`, parses it from that program as ESLint would, and builds a rule's services for it. */
export function typedFile(code: string, settings: Record<string, unknown> = {}): TypedFile {
  const t = compile(code, settings['native-handle'] ?? {});
  const parsed = parseForESLint(code, { programs: [t.program], filePath: testFile, range: true, loc: true, tokens: true, comment: true });
  const ast = parsed.ast as unknown as TSESTree.Program;
  linkParents(ast, parsed.visitorKeys);
  const sourceCode = sourceCodeOf(code, parsed);
  const context = { sourceCode, settings, languageOptions: {} };
  const services = getNativeHandleServices(context as unknown as Readonly<TSESLint.RuleContext<string, readonly unknown[]>>);
  return { t, ast, visitorKeys: parsed.visitorKeys, sourceCode, services };
}
