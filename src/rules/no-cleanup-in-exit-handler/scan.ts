// no-cleanup-in-exit-handler: what the rule keeps for one file (Scan), the listener a registration
// names, and the function around a node.
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import type ts from '../../util/typescript.cjs';
import type { NativeHandleServices } from '../../model/index.js';
import { isFunction, type FunctionNode } from '../../util/ast.js';
import type { Floating } from './floating.js';

export interface Scan<Ids extends string = string> {
  /** The rule's context (its message ids are the rule's: the folder's files take any). */
  readonly context: Readonly<TSESLint.RuleContext<Ids, []>>;
  readonly services: NativeHandleServices;
  readonly sourceFile: ts.SourceFile;
  /** Function bodies already examined as (part of) an exit listener: each is examined once. */
  readonly exitBodies: Set<FunctionNode>;
  /** Signal / uncaught-error handlers already analysed for `process.exit()`. */
  readonly terminatingHandlers: Set<FunctionNode>;
  readonly reported: Set<TSESTree.Node>;
  /** Per call node: the floating promise it starts in a terminating handler (null: none). */
  readonly floating: Map<TSESTree.Node, Floating | null>;
}

export interface Listener {
  readonly fn: FunctionNode;
  /** Written inline at the registration (not passed by name). */
  readonly inline: boolean;
}

// -----------------------------------------------------------------------------------------
// Helpers

/** The nearest function around the node (not the node itself). */
export function enclosingFunction(node: TSESTree.Node): FunctionNode | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (isFunction(current)) return current;
  }
  return undefined;
}
