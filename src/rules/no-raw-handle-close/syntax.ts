// no-raw-handle-close: syntax helpers (variables, writes, `this` paths) shared by the collector,
// the analysis, the flow and the suggestions. Nothing here looks at types.
import { AST_NODE_TYPES, TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { isClass, isFunction, skipWrappers } from '../../util/ast.js';
import { referencesOf } from '../../model/references.js';
import { contains } from '../../model/util.js';
import type { SourceCode, Variable } from './records.js';

/** The scope variable an identifier names: the model's identity service answers (docs/architecture.md). */
export function variableOf(sourceCode: SourceCode, identifier: TSESTree.Identifier): Variable | undefined {
  return referencesOf(sourceCode).variableOf(identifier);
}

/** The variables an assignment target or pattern writes (members of objects are not variables). */
export function patternVariables(sourceCode: SourceCode, pattern: TSESTree.Node): Variable[] {
  const node = skipWrappers(pattern);
  switch (node.type) {
    case AST_NODE_TYPES.Identifier: {
      const variable = variableOf(sourceCode, node);
      return variable ? [variable] : [];
    }
    case AST_NODE_TYPES.ObjectPattern:
      return node.properties.flatMap(property =>
        patternVariables(sourceCode, property.type === AST_NODE_TYPES.Property ? property.value : property.argument),
      );
    case AST_NODE_TYPES.ArrayPattern:
      return node.elements.flatMap(element => (element ? patternVariables(sourceCode, element) : []));
    case AST_NODE_TYPES.AssignmentPattern:
      return patternVariables(sourceCode, node.left);
    case AST_NODE_TYPES.RestElement:
      return patternVariables(sourceCode, node.argument);
    default:
      return [];
  }
}

/** A parameter or a variable written only by its declaration. */
export function isStable(variable: Variable): boolean {
  const def = variable.defs[0];
  if (variable.defs.length !== 1 || !def) return false;
  if (def.type !== TSESLint.Scope.DefinitionType.Variable && def.type !== TSESLint.Scope.DefinitionType.Parameter) return false;
  return variable.references.every(reference => !reference.isWrite() || reference.init === true);
}

/** Functions and classes: their bodies run at another time, or with another `this`. */
export function isNestedScope(node: TSESTree.Node): boolean {
  return isFunction(node) || isClass(node);
}

export function declaredInside(variable: Variable, node: TSESTree.Node): boolean {
  return variable.defs.some(def => contains(node, def.name));
}

/** `this.a`, `this.#b.c`: a member path on `this` with no computed or optional link. */
export function isThisPath(node: TSESTree.Node): boolean {
  let current = node;
  while (current.type === AST_NODE_TYPES.MemberExpression && !current.computed && !current.optional) current = current.object;
  return current !== node && current.type === AST_NODE_TYPES.ThisExpression;
}

/** The node that decides what `this` is at a node: the nearest non-arrow function, field initializer, static block or the program. */
export function thisContext(node: TSESTree.Node): TSESTree.Node | undefined {
  for (let current = node.parent; current; current = current.parent) {
    switch (current.type) {
      case AST_NODE_TYPES.FunctionDeclaration:
      case AST_NODE_TYPES.FunctionExpression:
      case AST_NODE_TYPES.PropertyDefinition:
      case AST_NODE_TYPES.AccessorProperty:
      case AST_NODE_TYPES.StaticBlock:
      case AST_NODE_TYPES.Program:
        return current;
      default:
        break;
    }
  }
  return undefined;
}

/** Whether an `await` is allowed where the node is: its nearest function is `async`. */
export function inAsyncFunction(node: TSESTree.Node): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (isFunction(current)) return current.async;
    if (current.type === AST_NODE_TYPES.PropertyDefinition || current.type === AST_NODE_TYPES.StaticBlock) return false;
  }
  return false;
}
