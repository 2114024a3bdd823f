/**
 * The syntactic prefilter of value matching (src/model/valueMatching.ts, `mayNameValue`) read
 * from ESLint's scope analysis instead of TypeScript's symbols, for the common question "can this
 * callee be one of Node's built-in module functions of these names" with no setting and no tag
 * in play. ESLint has already resolved every identifier of the file to its declaration; asking
 * the checker instead means resolving names and, for imports, the modules they come from.
 *
 * It answers only "cannot" (false) where the model's own prefilter would, and "ask the model"
 * (true) everywhere else: a declaration it does not read (an import of another kind, a merged or
 * redeclared name, a global) is left to the checker.
 */
import { isBuiltin } from 'node:module';
import { AST_NODE_TYPES, TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { skipWrappers } from '../util/ast.js';
import { propertyKeyName } from './names.js';
import type { NodeSpecifier } from './node.js';
import { referencesOf, type ScopeSource } from './references.js';

/** How many `const` aliases deep the prefilter follows, as the model's does. */
const MAX_DEPTH = 4;

/**
 * Whether the callee may denote one of the built-in values (module functions such as `fs.close`);
 * false only where neither the callee's name nor its declaration can lead to one. Valid without
 * settings or tags that could name other values.
 */
export function mayNameBuiltinByScope(source: ScopeSource, callee: TSESTree.Node, builtins: readonly NodeSpecifier[]): boolean {
  let wanted = wantedOf.get(builtins);
  if (!wanted) {
    wanted = { builtins, names: builtins.flatMap(namesOf) };
    wantedOf.set(builtins, wanted);
  }
  return mayName(source, callee, wanted, 0);
}

const wantedOf = new WeakMap<readonly NodeSpecifier[], Wanted>();

interface Wanted {
  readonly builtins: readonly NodeSpecifier[];
  /** Every name the built-ins list. */
  readonly names: readonly string[];
}

function mayName(source: ScopeSource, callee: TSESTree.Node, wanted: Wanted, depth: number): boolean {
  const node = skipWrappers(callee);
  if (node.type === AST_NODE_TYPES.Identifier) return depth >= MAX_DEPTH || identifierMayName(source, node, wanted, depth);
  if (node.type !== AST_NODE_TYPES.MemberExpression) return true;
  const name = node.computed ? undefined : node.property.type === AST_NODE_TYPES.Identifier ? node.property.name : undefined;
  if (name === undefined) return true;
  const object = skipWrappers(node.object);
  // A member of one of Node's modules (`import * as path from 'path'`, `require('fs')`) is the
  // module's function of that name: no module of Node's re-exports another's under a new name.
  const module = object.type === AST_NODE_TYPES.Identifier ? nodeModuleHeld(source, object) : undefined;
  if (module !== undefined) return wanted.builtins.some(builtin => builtin.module === module && namesOf(builtin).includes(name));
  // Otherwise a built-in is read from a namespace (or from a member of one) under its own name,
  // or under another name only through a namespace's alias.
  const plainObject = object.type === AST_NODE_TYPES.Identifier || object.type === AST_NODE_TYPES.ThisExpression;
  if (wanted.names.includes(name) && !plainObject) return true;
  return mayBeNamespace(source, object, depth);
}

function namesOf(builtin: NodeSpecifier): readonly string[] {
  return typeof builtin.name === 'string' ? [builtin.name] : builtin.name;
}

/**
 * The Node module (without `node:`) a namespace or default import, or a `const` holding
 * `require('<module>')`, binds the identifier to; undefined for anything else.
 */
function nodeModuleHeld(source: ScopeSource, identifier: TSESTree.Identifier): string | undefined {
  const def = singleDefinition(source, identifier);
  let specifier: TSESTree.Node | undefined;
  if (def?.type === TSESLint.Scope.DefinitionType.ImportBinding) {
    if (def.node.type === AST_NODE_TYPES.ImportNamespaceSpecifier || def.node.type === AST_NODE_TYPES.ImportDefaultSpecifier) {
      specifier = def.node.parent.source;
    }
  } else if (def?.type === TSESLint.Scope.DefinitionType.Variable && def.node.id === def.name && def.node.parent.kind === 'const') {
    const init = def.node.init ? skipWrappers(def.node.init) : undefined;
    if (init?.type === AST_NODE_TYPES.CallExpression && isRequire(init.callee) && init.arguments.length === 1)
      specifier = init.arguments[0];
  }
  if (specifier?.type !== AST_NODE_TYPES.Literal || typeof specifier.value !== 'string' || !isBuiltin(specifier.value)) return undefined;
  return specifier.value.replace(/^node:/, '');
}

/** An identifier's declaration: a function, class, parameter or variable of another name cannot be a listed value. */
function identifierMayName(source: ScopeSource, identifier: TSESTree.Identifier, wanted: Wanted, depth: number): boolean {
  const def = singleDefinition(source, identifier);
  if (def === undefined) return true;
  const listed = wanted.names.includes(identifier.name);
  switch (def.type) {
    case TSESLint.Scope.DefinitionType.FunctionName:
    case TSESLint.Scope.DefinitionType.ClassName:
      return listed;
    case TSESLint.Scope.DefinitionType.ImportBinding:
      // `import { close as c }` names `close`; default and namespace imports are the model's.
      return def.node.type !== AST_NODE_TYPES.ImportSpecifier || wanted.names.includes(importedName(def.node));
    case TSESLint.Scope.DefinitionType.Parameter:
      // A destructured parameter (`{ close: c }`) is the model's to read.
      return !isPlainParameter(def.name) || listed;
    case TSESLint.Scope.DefinitionType.Variable:
      return variableMayName(source, def, wanted, listed, depth);
    default:
      return true;
  }
}

function variableMayName(source: ScopeSource, def: TSESLint.Scope.Definition, wanted: Wanted, listed: boolean, depth: number): boolean {
  const declarator = def.node;
  if (declarator.type !== AST_NODE_TYPES.VariableDeclarator || declarator.id !== def.name) return true; // destructuring
  const init = declarator.init ? skipWrappers(declarator.init) : undefined;
  if (declarator.parent.kind === 'const' && init !== undefined) {
    // `const c = fs.close` / `= other`: an alias, judged by its source.
    if (init.type === AST_NODE_TYPES.Identifier || init.type === AST_NODE_TYPES.MemberExpression) {
      return mayName(source, init, wanted, depth + 1);
    }
  }
  return listed; // a value of its own, or a `let`/`var` (built-ins are reached through imports and `const` aliases)
}

/**
 * Whether the expression may be a namespace object (`fs`, `import * as fs`, `const f = require('fs')`):
 * `this`, calls, literals and variables whose declaration holds none cannot.
 */
function mayBeNamespace(source: ScopeSource, expression: TSESTree.Node, depth: number): boolean {
  const node = skipWrappers(expression);
  switch (node.type) {
    case AST_NODE_TYPES.MemberExpression:
      return node.object.type === AST_NODE_TYPES.Super ? false : mayBeNamespace(source, node.object, depth);
    case AST_NODE_TYPES.AwaitExpression:
      // `await import('fs')` may; `(await send(…)).cookies` may not (a call's result).
      return mayBeNamespace(source, node.argument, depth);
    case AST_NODE_TYPES.ThisExpression:
    case AST_NODE_TYPES.CallExpression:
    case AST_NODE_TYPES.NewExpression:
    case AST_NODE_TYPES.Literal:
    case AST_NODE_TYPES.TemplateLiteral:
    case AST_NODE_TYPES.ArrayExpression:
    case AST_NODE_TYPES.ObjectExpression:
      return false;
    case AST_NODE_TYPES.Identifier:
      return identifierMayBeNamespace(source, node, depth);
    default:
      return true;
  }
}

function identifierMayBeNamespace(source: ScopeSource, identifier: TSESTree.Identifier, depth: number): boolean {
  const def = singleDefinition(source, identifier);
  if (def === undefined) return true;
  switch (def.type) {
    case TSESLint.Scope.DefinitionType.FunctionName:
    case TSESLint.Scope.DefinitionType.ClassName:
      return false;
    case TSESLint.Scope.DefinitionType.Parameter: {
      // A parameter holds a namespace only when typed as one (`typeof import('fs')`, `typeof fs`).
      if (!isPlainParameter(def.name)) return true;
      const annotation = def.name.typeAnnotation?.typeAnnotation;
      return annotation !== undefined && isNamespaceType(annotation);
    }
    case TSESLint.Scope.DefinitionType.Variable: {
      const declarator = def.node;
      if (declarator.id !== def.name) return true; // destructuring
      const annotation = def.name.typeAnnotation?.typeAnnotation;
      if (annotation) return isNamespaceType(annotation);
      if (!declarator.init) return false;
      const init = skipWrappers(declarator.init);
      if (init.type === AST_NODE_TYPES.Identifier || init.type === AST_NODE_TYPES.MemberExpression) {
        return depth >= MAX_DEPTH || mayBeNamespace(source, init, depth + 1);
      }
      const call = init.type === AST_NODE_TYPES.AwaitExpression ? skipWrappers(init.argument) : init;
      // `require('fs')`, `await import('fs')`: the model asks which module.
      return call.type === AST_NODE_TYPES.ImportExpression || (call.type === AST_NODE_TYPES.CallExpression && isRequire(call.callee));
    }
    default:
      return true; // imports, enums, namespaces, catch parameters: the model's
  }
}

/** The one definition of the identifier's variable; undefined for a global, a merged or a redeclared name. */
function singleDefinition(source: ScopeSource, identifier: TSESTree.Identifier): TSESLint.Scope.Definition | undefined {
  const variable = referencesOf(source).variableOf(identifier);
  return variable?.defs.length === 1 ? variable.defs[0] : undefined;
}

/** A parameter bound by its own name (`x`, `x = d`, `private x`), not inside a destructuring pattern. */
function isPlainParameter(name: TSESTree.Node): name is TSESTree.Identifier {
  if (name.type !== AST_NODE_TYPES.Identifier) return false;
  let node: TSESTree.Node = name;
  if (node.parent.type === AST_NODE_TYPES.AssignmentPattern && node.parent.left === node) node = node.parent;
  if (node.parent.type === AST_NODE_TYPES.TSParameterProperty) node = node.parent;
  switch (node.parent.type) {
    case AST_NODE_TYPES.FunctionDeclaration:
    case AST_NODE_TYPES.FunctionExpression:
    case AST_NODE_TYPES.ArrowFunctionExpression:
    case AST_NODE_TYPES.TSDeclareFunction:
    case AST_NODE_TYPES.TSEmptyBodyFunctionExpression:
      return true;
    default:
      return false;
  }
}

function importedName(specifier: TSESTree.ImportSpecifier): string {
  return propertyKeyName(specifier.imported, false) ?? '';
}

/** `typeof import('fs')`, `typeof fs`, `import('fs')`: a type that may be a namespace object's. */
function isNamespaceType(type: TSESTree.TypeNode): boolean {
  return type.type === AST_NODE_TYPES.TSTypeQuery || type.type === AST_NODE_TYPES.TSImportType;
}

function isRequire(callee: TSESTree.Node): boolean {
  return callee.type === AST_NODE_TYPES.Identifier && callee.name === 'require';
}
