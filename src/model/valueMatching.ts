/**
 * Values (callees) matched through their symbol: whether a callee is one of Node's built-in
 * values, a value a setting names, or tagged — with the syntactic prefilter that spares asking
 * for a symbol where the syntax already says no. Functions of the ResourceModel (src/model/owners.ts).
 */
import { valueMatchesSpecifier } from '../util/type-utils.cjs';
import { AST_NODE_TYPES } from '@typescript-eslint/utils';
import tsutils from '../util/ts-api-utils.cjs';
import * as path from 'node:path';
import ts from '../util/typescript.cjs';
import type { NodeSpecifier } from './node.js';
import type { ResourceModel } from './owners.js';
import type { ObjectSpecifier } from './settings.js';
import { constructorHasTag, symbolHasTag } from './tags.js';
import { isConst, skipOuterExpressions } from './values.js';
import { matchesUnresolvedImport, specifierNames, symbolHasSpecifierName, withSimpleNames } from './valueSpecifiers.js';

/** A settings specifier or a Node one: what the syntactic prefilter of value matching reads. */
type NamedSpecifier = Pick<ObjectSpecifier | NodeSpecifier, 'name'>;

/**
 * Whether the value is one of Node's `builtins`, matches one of the settings' `specifiers`, or
 * (with `tag`) is tagged. `known`: asked only once the syntax has not ruled the value out, the
 * member's symbol the caller can find from its object's declared type (no flow walk); undefined
 * from it means "ask the checker".
 */
export function valueMatches(
  model: ResourceModel,
  node: ts.Node,
  specifiers: readonly ObjectSpecifier[],
  tag?: string,
  builtins: readonly NodeSpecifier[] = [],
  known?: () => ts.Symbol | undefined,
): boolean {
  const tagged = tag !== undefined && model.mentionsTag(tag);
  if (specifiers.length === 0 && builtins.length === 0 && !tagged) return false; // no symbol needed
  // An unresolved import has no declared type, so no symbol is known from one.
  if (matchesUnresolvedImport(model.checker, node, specifiers)) return true;
  if (!tagged && !mayNameValue(model, node, { builtins, settings: specifiers.map(withSimpleNames) })) return false;
  const symbol = known?.() ?? model.symbolOf(node);
  if (!symbol) return false;
  if (tagged && (symbolHasTag(symbol, tag, model.checker) || constructorHasTag(symbol, tag, model.checker))) return true;
  if (builtins.some(builtin => model.node.symbolIs(symbol, builtin))) return true;
  const name = symbol.name;
  // Names first: the symbol's type (which may mean inferring a whole initializer) is asked only
  // of a value some specifier names (a dotted name by the symbol's class or namespaces).
  const named = specifiers.filter(specifier => specifierNames(specifier).some(wanted => symbolHasSpecifierName(symbol, wanted)));
  if (named.length === 0) return false;
  let type: ts.Type | undefined;
  return named.some(specifier => {
    const files = (symbol.declarations ?? []).map(declaration => declaration.getSourceFile());
    switch (specifier.from) {
      case 'package': {
        type ??= model.checker.getTypeOfSymbolAtLocation(symbol, node);
        const simple = { ...specifier, name };
        if (valueMatchesSpecifier({ type: AST_NODE_TYPES.Identifier, name } as never, simple, model.program, type)) return true;
        return model.node.symbolIs(symbol, model.node.moduleSpecifier(simple));
      }
      case 'lib':
        return files.some(file => model.program.isSourceFileDefaultLibrary(file));
      case 'file': {
        const wanted = specifier.path === undefined ? undefined : path.resolve(model.program.getCurrentDirectory(), specifier.path);
        return files.some(
          file =>
            !model.program.isSourceFileFromExternalLibrary(file) &&
            !model.program.isSourceFileDefaultLibrary(file) &&
            (wanted === undefined || path.resolve(file.fileName) === wanted),
        );
      }
    }
  });
}

/** The names a value may be matched by: Node's built-in values (module functions) and the settings' specifiers. */
interface Listed {
  readonly builtins: readonly NamedSpecifier[];
  readonly settings: readonly NamedSpecifier[];
}

/**
 * Syntax before types for {@link valueMatches}: `obj.name` can denote a value declared under
 * another name only through a namespace (a re-exported alias, an exported const alias), so a
 * member whose name no specifier lists, on an object that is no import, namespace or variable
 * holding one, needs no symbol (whose resolution asks the type of `obj`, with control-flow
 * narrowing). Node's built-in values are module functions (`fs.close`), so a member a built-in
 * lists, read from `this` or from a variable that holds no namespace (`socket.close(cb)`), needs
 * none either. Everything else is left to the symbol.
 */
function mayNameValue(model: ResourceModel, node: ts.Node, listed: Listed, depth = 0): boolean {
  const inSettings = (name: string): boolean => listedIn(listed.settings, name);
  const anywhere = (name: string): boolean => inSettings(name) || listedIn(listed.builtins, name);
  if (ts.isIdentifier(node)) return depth >= 4 || identifierMayNameValue(model, node, anywhere, listed, depth);
  if (node.kind === ts.SyntaxKind.SuperKeyword) {
    // `super(…)` names the base class: asking its symbol means resolving the class hierarchy.
    let current: ts.Node = node;
    while (!ts.isClassLike(current) && !ts.isSourceFile(current)) current = current.parent;
    const heritage = ts.isClassLike(current)
      ? current.heritageClauses?.find(clause => clause.token === ts.SyntaxKind.ExtendsKeyword)
      : undefined;
    const base = heritage?.types[0];
    return base !== undefined && depth < 4 && mayNameValue(model, base.expression, listed, depth + 1);
  }
  if (!ts.isPropertyAccessExpression(node)) return true;
  const name = node.name.text;
  if (inSettings(name)) return true;
  const object = node.expression;
  const plainObject = ts.isIdentifier(object) || object.kind === ts.SyntaxKind.ThisKeyword;
  if (listedIn(listed.builtins, name) && !plainObject) return true;
  return mayBeNamespace(model, object);
}

/**
 * The syntactic prefilter of {@link valueMatches} alone, for a value that could only be one of
 * Node's built-in module functions of these names: false means no symbol need be asked.
 */
export function mayNameBuiltin(model: ResourceModel, node: ts.Node, names: readonly string[]): boolean {
  return mayNameValue(model, node, { builtins: [{ name: names }], settings: [] });
}

function listedIn(specifiers: readonly NamedSpecifier[], name: string): boolean {
  return specifiers.some(specifier => (typeof specifier.name === 'string' ? specifier.name === name : specifier.name.includes(name)));
}

/**
 * {@link mayNameValue} for an identifier, from its declaration: a function or class of another
 * name, a named import of another name, or a `const` alias (`= a.b`, `{ b: x } = a`) of
 * another name cannot denote a listed value. Node's built-in values are reached only through
 * imports and `const` aliases, so for them any other identifier (a parameter, a `let`, a global
 * of several declarations) of another name cannot either; a setting may name those (by name and
 * file), so with settings they may.
 */
function identifierMayNameValue(
  model: ResourceModel,
  node: ts.Identifier,
  listed: (name: string) => boolean,
  specifiers: Listed,
  depth: number,
): boolean {
  const symbol = model.checker.getSymbolAtLocation(node);
  if (!symbol) return true;
  const declaration = symbol.declarations?.length === 1 ? symbol.declarations[0] : undefined;
  if (declaration && ts.isImportSpecifier(declaration)) return listed((declaration.propertyName ?? declaration.name).text);
  if (declaration && (ts.isFunctionDeclaration(declaration) || ts.isClassDeclaration(declaration))) return listed(symbol.name);
  if (declaration && ts.isBindingElement(declaration) && ts.isObjectBindingPattern(declaration.parent) && !declaration.dotDotDotToken) {
    const key = declaration.propertyName ?? declaration.name;
    return !(ts.isIdentifier(key) || ts.isStringLiteral(key)) || listed(key.text);
  }
  if (
    declaration &&
    ts.isVariableDeclaration(declaration) &&
    ts.isIdentifier(declaration.name) &&
    declaration.initializer &&
    isConst(declaration)
  ) {
    const init = skipOuterExpressions(declaration.initializer);
    if (ts.isIdentifier(init) || ts.isPropertyAccessExpression(init)) return mayNameValue(model, init, specifiers, depth + 1);
    return listed(symbol.name); // a const function or value of its own
  }
  if (specifiers.settings.length > 0 || tsutils.isSymbolFlagSet(symbol, ts.SymbolFlags.Alias)) return true;
  return listed(symbol.name);
}

function mayBeNamespace(model: ResourceModel, expression: ts.Expression, depth = 0): boolean {
  const node = skipOuterExpressions(expression); // `this.fh!`, `(ns as T)`
  if (ts.isIdentifier(node)) {
    const symbol = model.checker.getSymbolAtLocation(node);
    if (symbol === undefined || tsutils.isSymbolFlagSet(symbol, ts.SymbolFlags.Module)) return true;
    if (tsutils.isSymbolFlagSet(symbol, ts.SymbolFlags.Alias)) {
      // A named import is a namespace only when it names a module (`export * as ns`); its
      // target says so without the type of an exported value (which may mean another file's inference).
      const declaration = symbol.declarations?.[0];
      if (declaration === undefined || !ts.isImportSpecifier(declaration)) return true;
      return tsutils.isSymbolFlagSet(model.checker.getAliasedSymbol(symbol), ts.SymbolFlags.Module | ts.SymbolFlags.Alias);
    }
    if (!tsutils.isSymbolFlagSet(symbol, ts.SymbolFlags.Variable)) return false;
    // `const mm = ns` (or a parameter typed `typeof import('fs')`): a namespace object held in a
    // variable. Told by its declaration where the syntax tells (asking the variable's type may
    // mean inferring its whole initializer), else by its type.
    const syntactic = depth < 4 ? mayHoldNamespace(model, symbol.valueDeclaration, depth) : undefined;
    if (syntactic !== undefined) return syntactic;
    const typeSymbol = model.checker.getTypeOfSymbol(symbol).getSymbol();
    return typeSymbol !== undefined && tsutils.isSymbolFlagSet(typeSymbol, ts.SymbolFlags.Module | ts.SymbolFlags.Alias);
  }
  if (ts.isPropertyAccessExpression(node)) return mayBeNamespace(model, node.expression, depth);
  // `await import('fs')` may be one; `(await send(…)).cookies`, a call's result, is not.
  if (ts.isAwaitExpression(node)) return isModuleLoad(node) || mayBeNamespace(model, node.expression, depth);
  return !(
    node.kind === ts.SyntaxKind.ThisKeyword ||
    node.kind === ts.SyntaxKind.SuperKeyword ||
    ts.isCallExpression(node) ||
    ts.isNewExpression(node) ||
    ts.isElementAccessExpression(node) ||
    ts.isLiteralExpression(node) ||
    ts.isArrayLiteralExpression(node) ||
    ts.isObjectLiteralExpression(node)
  );
}

/**
 * Whether a variable's declaration can hold a namespace object: a type annotation
 * `typeof import('fs')`/`typeof ns`, or an initializer that is another such name, `require(…)`
 * or `await import(…)`. A destructured name ({@link bindingMayHoldNamespace}) is told by what it
 * destructures. Undefined when the declaration does not tell.
 */
function mayHoldNamespace(model: ResourceModel, declaration: ts.Declaration | undefined, depth: number): boolean | undefined {
  if (declaration === undefined) return undefined;
  if (ts.isParameter(declaration)) return declaration.type !== undefined && isNamespaceTypeNode(declaration.type);
  if (ts.isBindingElement(declaration)) return bindingMayHoldNamespace(declaration);
  if (!ts.isVariableDeclaration(declaration)) return undefined;
  if (declaration.type) return isNamespaceTypeNode(declaration.type);
  return initializerMayHoldNamespace(model, declaration.initializer, depth);
}

/**
 * A destructured name (`const { promises } = fs`, `({ sink }) => …`, `const [a, b] = await f()`)
 * is a member of what the pattern destructures. Left to its type where that is cheap to ask: an
 * annotated pattern, or one that destructures a name (`const { fs: io } = deps`). Taken to hold
 * no namespace where asking means inferring a call, like a plain name declared so: a parameter
 * with no annotation (a callback's, typed by the call it is passed to: an RxJS pipeline took
 * 0.6 s for one in @temporalio/worker), a `for … of` element, a call's or a literal's result.
 * `require(…)` and `await import(…)` may hold one.
 */
function bindingMayHoldNamespace(element: ts.BindingElement): boolean | undefined {
  let root: ts.Node = element.parent.parent;
  while (ts.isBindingElement(root)) root = root.parent.parent;
  if (ts.isParameter(root)) return root.type === undefined ? false : undefined;
  if (!ts.isVariableDeclaration(root)) return undefined;
  const init = root.initializer && skipOuterExpressions(root.initializer);
  if (root.type || (init && (ts.isIdentifier(init) || ts.isPropertyAccessExpression(init)))) return undefined;
  return init !== undefined && isModuleLoad(init);
}

/** Whether a variable set by this initializer can hold a namespace object (none: a `for … of` element, a `catch` binding). */
function initializerMayHoldNamespace(model: ResourceModel, initializer: ts.Expression | undefined, depth: number): boolean {
  const init = initializer && skipOuterExpressions(initializer);
  if (init === undefined) return false;
  if (ts.isIdentifier(init) || ts.isPropertyAccessExpression(init)) return mayBeNamespace(model, init, depth + 1);
  return isModuleLoad(init);
}

/** `require(…)`, `import(…)`, `await import(…)`. */
function isModuleLoad(init: ts.Expression): boolean {
  const call = ts.isAwaitExpression(init) ? skipOuterExpressions(init.expression) : init;
  if (!ts.isCallExpression(call)) return false;
  return call.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(call.expression) && call.expression.text === 'require');
}

/** `typeof import('fs')`, `typeof fs`, `import('fs')`: a type that may be a namespace object's. */
function isNamespaceTypeNode(type: ts.TypeNode): boolean {
  return ts.isTypeQueryNode(type) || ts.isImportTypeNode(type);
}
