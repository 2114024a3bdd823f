import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { type FunctionNode, isFunction } from '../util/ast.js';

/**
 * Helpers the flow rules share: where code runs (its function, the class of its `this`) and
 * how their per-path states are merged. Nothing here looks at types.
 */

export type ClassLike = TSESTree.ClassDeclaration | TSESTree.ClassExpression;

/** Whether `inner` lies within `outer` (or is it), by source range. */
export function contains(outer: TSESTree.Node, inner: TSESTree.Node): boolean {
  return inner.range[0] >= outer.range[0] && inner.range[1] <= outer.range[1];
}

/**
 * The flow engine analyses functions: top-level code is analysed as the body of an arrow
 * function that spans the program (the program itself is returned as such a function).
 */
export function asFunction(node: FunctionNode | TSESTree.Program): FunctionNode {
  if (node.type !== AST_NODE_TYPES.Program) return node;
  const body = { type: AST_NODE_TYPES.BlockStatement, body: node.body, range: node.range, loc: node.loc, parent: node };
  return { type: AST_NODE_TYPES.ArrowFunctionExpression, params: [], body, range: node.range, loc: node.loc } as unknown as FunctionNode;
}

/**
 * The class whose instance `this` is where the node is evaluated (for a function, inside its
 * body): instance methods, instance field initializers, and arrow functions inside them.
 * Undefined in static members, plain functions, computed keys and top-level code.
 */
export function thisClassOf(node: TSESTree.Node): ClassLike | undefined {
  let child: TSESTree.Node | undefined;
  for (
    let current: TSESTree.Node | undefined = node;
    current !== undefined;
    child = current, current = current.parent as TSESTree.Node | undefined
  ) {
    switch (current.type) {
      case AST_NODE_TYPES.FunctionExpression: {
        const member = current.parent;
        const isMember = member.type === AST_NODE_TYPES.MethodDefinition || member.type === AST_NODE_TYPES.PropertyDefinition;
        return isMember && !member.static && member.value === current ? member.parent.parent : undefined;
      }
      case AST_NODE_TYPES.PropertyDefinition:
        return !current.static && child !== undefined && current.value === child ? current.parent.parent : undefined;
      case AST_NODE_TYPES.FunctionDeclaration:
      case AST_NODE_TYPES.StaticBlock:
      case AST_NODE_TYPES.ClassBody:
      case AST_NODE_TYPES.Program:
        return undefined;
      default:
        break;
    }
  }
  return undefined;
}

/** The functions around the node, innermost first, up to the member of a class or the program (included). */
export function enclosingFunctions(node: TSESTree.Node): (FunctionNode | TSESTree.Program)[] {
  const functions: (FunctionNode | TSESTree.Program)[] = [];
  for (let current = node.parent; current; current = current.parent) {
    if (isFunction(current) || current.type === AST_NODE_TYPES.Program) functions.push(current);
    if (current.type === AST_NODE_TYPES.ClassBody) break;
  }
  return functions;
}

/**
 * The code unit whose body evaluates `node`: the nearest function or static block; for a class
 * field initializer, the initializer itself; else the Program (module code).
 */
export function enclosingFunction(node: TSESTree.Node): TSESTree.Node {
  let child = node;
  for (let parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (isFunction(parent) || parent.type === AST_NODE_TYPES.StaticBlock) return parent;
    if ((parent.type === AST_NODE_TYPES.PropertyDefinition || parent.type === AST_NODE_TYPES.AccessorProperty) && parent.value === child) {
      return child;
    }
  }
  return child;
}
