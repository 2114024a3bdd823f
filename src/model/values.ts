import * as tsutils from 'ts-api-utils';
import * as ts from 'typescript';

/** The global timer functions (Node's and the lib's): they schedule their callback for later. */
export const TIMER_FUNCTIONS: ReadonlySet<string> = new Set(['setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask']);

/** The symbol a value expression names (`a.b` → the symbol of `b`), through import aliases. */
export function valueSymbol(checker: ts.TypeChecker, node: ts.Node): ts.Symbol | undefined {
  const symbol = checker.getSymbolAtLocation(ts.isPropertyAccessExpression(node) ? node.name : node);
  return symbol && tsutils.isSymbolFlagSet(symbol, ts.SymbolFlags.Alias) ? checker.getAliasedSymbol(symbol) : symbol;
}

/** The ambient module a declaration sits in (`declare module "fs"` → `fs`, `"node:fs"` → `fs`), if any. */
export function ambientModuleOf(declaration: ts.Node): string | undefined {
  for (let current: ts.Node = declaration; !ts.isSourceFile(current); current = current.parent) {
    if (ts.isModuleDeclaration(current) && ts.isStringLiteral(current.name)) return current.name.text.replace(/^node:/, '');
  }
  return undefined;
}

/** Whether every declaration of the symbol (there is at least one) satisfies the predicate. */
export function everyDeclaration(symbol: ts.Symbol | undefined, predicate: (declaration: ts.Declaration) => boolean): boolean {
  const declarations = symbol?.declarations ?? [];
  return declarations.length > 0 && declarations.every(predicate);
}
