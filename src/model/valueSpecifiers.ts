import ts from '../util/typescript.cjs';
import { isConst, skipOuterExpressions } from './values.js';

// Value specifiers (`rawClose`, `adopt`, `exitHooks` in settings) beyond what typescript-eslint's
// `valueMatchesSpecifier` does (README.md#settings-for-types-you-cannot-annotate, docs/resource-model.md#package-values-without-types):
// - a dotted name (`EventsHelper.addEventListener`) names a static method of a class, or a member
//   of a namespace (a TypeScript `namespace`, or an object literal held by a `const`);
// - a `from: 'package'` specifier also matches a value imported from a package that resolves to
//   no declaration (not installed, or installed without types), by the imported name.

interface NamedValueSpecifier {
  readonly name: string | readonly string[];
}

/** A specifier's names as given (`'onExit'`, `'EventsHelper.addEventListener'`). */
export function specifierNames(specifier: NamedValueSpecifier): readonly string[] {
  return typeof specifier.name === 'string' ? [specifier.name] : specifier.name;
}

/** The specifier with each name cut to its last part (`EventsHelper.addEventListener` → `addEventListener`): the name a matching symbol has. */
export function withSimpleNames<T extends NamedValueSpecifier>(specifier: T): T {
  const names = specifierNames(specifier);
  if (!names.some(name => name.includes('.'))) return specifier;
  return { ...specifier, name: names.map(simpleName) };
}

function simpleName(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}

/**
 * Whether the symbol is the one a specifier's name denotes: an undotted name by the symbol's own
 * name (wherever it is declared); a dotted one by the symbol's qualified name (its class or
 * namespaces, outermost first), from one of its declarations.
 */
export function symbolHasSpecifierName(symbol: ts.Symbol, name: string): boolean {
  if (!name.includes('.')) return symbol.name === name;
  if (simpleName(name) !== symbol.name) return false;
  return (symbol.declarations ?? []).some(declaration => qualifiedNameOf(declaration) === name);
}

/**
 * The dotted name a declaration has through its containers: a static class member
 * (`Helper.m`), a declaration inside namespaces (`A.B.m`), a property or method of an object
 * literal that initializes a `const` (`helpers.m`). Undefined for anything else (an instance
 * member has no dotted name: `Helper.prototype.m` is not a value a call names statically).
 */
function qualifiedNameOf(declaration: ts.Declaration): string | undefined {
  const name = ts.getNameOfDeclaration(declaration);
  if (!name || !(ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isPrivateIdentifier(name))) return undefined;
  const parts = [name.text];
  let current: ts.Node = declaration;
  for (let depth = 0; depth < 8; depth++) {
    const container = containerOf(current);
    if (!container) break;
    parts.unshift(container.name);
    current = container.node;
  }
  return parts.length > 1 ? parts.join('.') : undefined;
}

/** The named container of a declaration (class, namespace, `const` object), for {@link qualifiedNameOf}. */
function containerOf(node: ts.Node): { readonly name: string; readonly node: ts.Node } | undefined {
  const parent = node.parent;
  if (ts.isClassElement(node) && ts.isClassLike(parent)) {
    if ((ts.getCombinedModifierFlags(node) & ts.ModifierFlags.Static) === 0) return undefined;
    if (parent.name) return { name: parent.name.text, node: parent };
    return ts.isClassExpression(parent) ? constHolderOf(parent) : undefined;
  }
  if (ts.isObjectLiteralElementLike(node) && ts.isObjectLiteralExpression(parent)) return constHolderOf(parent);
  const statement = ts.isVariableDeclaration(node) ? node.parent.parent : node;
  if (ts.isModuleBlock(statement.parent)) {
    const namespace = statement.parent.parent;
    return ts.isIdentifier(namespace.name) ? { name: namespace.name.text, node: namespace } : undefined;
  }
  // `namespace A.B {}`: B's declaration is the body of A's.
  if (ts.isModuleDeclaration(node) && ts.isModuleDeclaration(parent) && ts.isIdentifier(parent.name)) {
    return { name: parent.name.text, node: parent };
  }
  return undefined;
}

/** `const name = <expression>` (through `as const`, `satisfies`, parentheses): the variable. */
function constHolderOf(expression: ts.Expression): { readonly name: string; readonly node: ts.Node } | undefined {
  let current: ts.Node = expression;
  while (
    ts.isParenthesizedExpression(current.parent) ||
    ts.isAsExpression(current.parent) ||
    ts.isSatisfiesExpression(current.parent) ||
    ts.isNonNullExpression(current.parent)
  ) {
    current = current.parent;
  }
  const variable = current.parent;
  if (!ts.isVariableDeclaration(variable) || variable.initializer !== current || !ts.isIdentifier(variable.name) || !isConst(variable)) {
    return undefined;
  }
  return { name: variable.name.text, node: variable };
}

// -----------------------------------------------------------------------------------------
// Imports of packages whose types are missing

/** A value named through an import of a module that resolves to no declaration. */
export interface UnresolvedImportValue {
  /** The module name as imported (`signal-exit`, `my-addon/helpers`). */
  readonly module: string;
  /** The dotted names the value may have in the module (`onExit`, `default`, `EventsHelper.on`). */
  readonly names: readonly string[];
}

/**
 * For a value named through an import of a module whose types are missing (not installed, no
 * declaration file, or a shorthand `declare module 'x';`): the module and the names the value
 * may have there. A named import `{ a as b }` gives `a`; a namespace import `ns` gives what
 * follows it (`ns.a` → `a`); a default import (also `import x = require('m')` and
 * `const x = require('m')`) gives `default` and, since a default export has no name of its own,
 * the name it is imported under (`import onExit from 'signal-exit'` → `onExit`), and acts as a
 * namespace too (a CommonJS module's object: `x.a` → `a`). Undefined for anything else.
 */
export function unresolvedImportValue(checker: ts.TypeChecker, node: ts.Node): UnresolvedImportValue | undefined {
  const members: string[] = [];
  let current = node;
  while (ts.isPropertyAccessExpression(current) && ts.isIdentifier(current.name)) {
    members.unshift(current.name.text);
    current = skipOuterExpressions(current.expression);
  }
  if (!ts.isIdentifier(current) || members.length > 8) return undefined;
  const symbol = checker.getSymbolAtLocation(current);
  const declaration = symbol?.declarations?.length === 1 ? symbol.declarations[0] : undefined;
  const binding = declaration && importBindingOf(declaration);
  if (!binding || !isUnresolvedModule(checker, binding.moduleSpecifier)) return undefined;
  const names = binding.bases.filter(base => base.length + members.length > 0).map(base => [...base, ...members].join('.'));
  return { module: binding.moduleSpecifier.text, names };
}

interface ImportBinding {
  readonly moduleSpecifier: ts.StringLiteralLike;
  /** The name paths the bound value has in the module (empty: the module itself). */
  readonly bases: readonly (readonly string[])[];
}

function importBindingOf(declaration: ts.Declaration): ImportBinding | undefined {
  if (ts.isImportSpecifier(declaration)) {
    const moduleSpecifier = declaration.parent.parent.parent.moduleSpecifier;
    const imported = declaration.propertyName ?? declaration.name;
    return ts.isStringLiteralLike(moduleSpecifier) ? { moduleSpecifier, bases: [[imported.text]] } : undefined;
  }
  if (ts.isNamespaceImport(declaration)) {
    const moduleSpecifier = declaration.parent.parent.moduleSpecifier;
    return ts.isStringLiteralLike(moduleSpecifier) ? { moduleSpecifier, bases: [[]] } : undefined;
  }
  const local = (declaration as ts.NamedDeclaration).name;
  if (!local || !ts.isIdentifier(local)) return undefined;
  const defaultBases = [['default'], [local.text], []];
  if (ts.isImportClause(declaration)) {
    const moduleSpecifier = declaration.parent.moduleSpecifier;
    return ts.isStringLiteralLike(moduleSpecifier) ? { moduleSpecifier, bases: defaultBases } : undefined;
  }
  if (ts.isImportEqualsDeclaration(declaration)) {
    const reference = declaration.moduleReference;
    if (!ts.isExternalModuleReference(reference) || !ts.isStringLiteralLike(reference.expression)) return undefined;
    return { moduleSpecifier: reference.expression, bases: defaultBases };
  }
  if (ts.isVariableDeclaration(declaration) && isConst(declaration) && declaration.initializer) {
    const init = skipOuterExpressions(declaration.initializer);
    const [argument] = ts.isCallExpression(init) ? init.arguments : [];
    if (!ts.isCallExpression(init) || !ts.isIdentifier(init.expression) || init.expression.text !== 'require') return undefined;
    if (init.arguments.length !== 1 || !argument || !ts.isStringLiteralLike(argument)) return undefined;
    return { moduleSpecifier: argument, bases: defaultBases };
  }
  return undefined;
}

/** Whether an import's module resolves to no declaration: no module at all, or only a shorthand `declare module 'x';`. */
function isUnresolvedModule(checker: ts.TypeChecker, moduleSpecifier: ts.StringLiteralLike): boolean {
  const module = checker.getSymbolAtLocation(moduleSpecifier);
  if (!module) return true;
  const declarations = module.declarations ?? [];
  return (
    declarations.length > 0 && declarations.every(declaration => ts.isModuleDeclaration(declaration) && declaration.body === undefined)
  );
}

/** Whether an imported module name is the package's or a file of it (`pkg`, `pkg/sub`). */
export function moduleIsInPackage(module: string, packageName: string): boolean {
  return module === packageName || module.startsWith(`${packageName}/`);
}

/** Whether the value is imported from an untyped package that some `from: 'package'` specifier names, by one of its names. */
export function matchesUnresolvedImport(
  checker: ts.TypeChecker,
  node: ts.Node,
  specifiers: readonly { readonly from: string; readonly package?: string; readonly name: string | readonly string[] }[],
): boolean {
  const packages = specifiers.filter(specifier => specifier.from === 'package' && specifier.package !== undefined);
  if (packages.length === 0) return false;
  const value = unresolvedImportValue(checker, node);
  if (!value) return false;
  return packages.some(
    specifier => moduleIsInPackage(value.module, specifier.package!) && specifierNames(specifier).some(name => value.names.includes(name)),
  );
}
