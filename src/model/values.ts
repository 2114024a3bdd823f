import tsutils from '../util/ts-api-utils.cjs';
import ts from '../util/typescript.cjs';

/** The global timer functions (Node's and the lib's): they schedule their callback for later. */
export const TIMER_FUNCTIONS: ReadonlySet<string> = new Set(['setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask']);

/** How many `const` aliases {@link valueSymbol} follows. */
const MAX_VALUE_ALIASES = 3;

/**
 * The symbol a value expression names (`a.b` → the symbol of `b`), through import aliases and
 * through `const` aliases: `const shut = fs.closeSync` and `const { closeSync: shut } = fs` both
 * name `fs.closeSync`.
 */
export function valueSymbol(checker: ts.TypeChecker, node: ts.Node, depth = 0): ts.Symbol | undefined {
  const symbol =
    (ts.isPropertyAccessExpression(node) ? namespaceMember(checker, node) : undefined) ??
    checker.getSymbolAtLocation(ts.isPropertyAccessExpression(node) ? node.name : node);
  const resolved = symbol && tsutils.isSymbolFlagSet(symbol, ts.SymbolFlags.Alias) ? checker.getAliasedSymbol(symbol) : symbol;
  if (!resolved || depth >= MAX_VALUE_ALIASES) return resolved;
  return constAliasTarget(checker, resolved, depth) ?? resolved;
}

/**
 * `ns.member` where `ns` is a namespace import (`import * as ns from 'm'`) of a module without
 * `export =`: the member's symbol from the module's exports, as TypeScript resolves the property
 * of the namespace object, but without checking the reference `ns` (TypeScript 6 narrows an
 * import's references too, walking the function's control flow back from each one: asked at every
 * `fs.fstatSync(…)` of a long function, that was quadratic). Undefined when `ns` is anything else
 * or the module exports no such name (the checker answers those).
 */
export function namespaceMember(checker: ts.TypeChecker, node: ts.PropertyAccessExpression): ts.Symbol | undefined {
  if (!ts.isIdentifier(node.expression) || ts.isPrivateIdentifier(node.name)) return undefined;
  const alias = checker.getSymbolAtLocation(node.expression);
  const declaration = alias?.declarations?.length === 1 ? alias.declarations[0] : undefined;
  if (!alias || !declaration || !ts.isNamespaceImport(declaration) || !tsutils.isSymbolFlagSet(alias, ts.SymbolFlags.Alias))
    return undefined;
  const module = checker.getAliasedSymbol(alias);
  if (!tsutils.isSymbolFlagSet(module, ts.SymbolFlags.ValueModule) || module.exports?.has(ts.InternalSymbolName.ExportEquals))
    return undefined;
  return checker.tryGetMemberInModuleExports(node.name.text, module);
}

/** For a `const` whose value is another named value (`= fs.closeSync`, `{ closeSync } = fs`): that value's symbol. */
function constAliasTarget(checker: ts.TypeChecker, symbol: ts.Symbol, depth: number): ts.Symbol | undefined {
  const declaration = symbol.declarations?.length === 1 ? symbol.declarations[0] : undefined;
  if (!declaration) return undefined;
  if (ts.isVariableDeclaration(declaration)) {
    const init = declaration.initializer && skipOuterExpressions(declaration.initializer);
    if (!isConst(declaration) || !init || !ts.isIdentifier(declaration.name)) return undefined;
    if (!ts.isIdentifier(init) && !ts.isPropertyAccessExpression(init)) return undefined;
    return valueSymbol(checker, init, depth + 1);
  }
  if (!ts.isBindingElement(declaration) || declaration.dotDotDotToken || !ts.isObjectBindingPattern(declaration.parent)) return undefined;
  const variable = declaration.parent.parent;
  if (!ts.isVariableDeclaration(variable) || !isConst(variable) || !variable.initializer) return undefined;
  const key = declaration.propertyName ?? declaration.name;
  if (!ts.isIdentifier(key) && !ts.isStringLiteral(key)) return undefined;
  const property = checker.getPropertyOfType(checker.getTypeAtLocation(variable.initializer), key.text);
  return property && tsutils.isSymbolFlagSet(property, ts.SymbolFlags.Alias) ? checker.getAliasedSymbol(property) : property;
}

/** Whether a variable is declared with `const`. */
export function isConst(declaration: ts.VariableDeclaration): boolean {
  return ts.isVariableDeclarationList(declaration.parent) && (declaration.parent.flags & ts.NodeFlags.Const) !== 0;
}

/** The expression inside parentheses, `as`, `!` and `satisfies`. */
export function skipOuterExpressions(node: ts.Expression): ts.Expression {
  let current = node;
  while (
    ts.isParenthesizedExpression(current) ||
    ts.isAsExpression(current) ||
    ts.isNonNullExpression(current) ||
    ts.isSatisfiesExpression(current)
  ) {
    current = current.expression;
  }
  return current;
}

/** Whether every declaration of the symbol (there is at least one) satisfies the predicate. */
export function everyDeclaration(symbol: ts.Symbol | undefined, predicate: (declaration: ts.Declaration) => boolean): boolean {
  const declarations = symbol?.declarations ?? [];
  return declarations.length > 0 && declarations.every(predicate);
}
