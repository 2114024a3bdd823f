// no-close-with-pending-ops: the single AST pass. Each function's member calls and awaits, and for
// each class its methods and the calls on `this.…` that may start a stored operation.
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { calleeMember, propertyKeyName } from '../../model/index.js';
import { skipWrappers, type FunctionNode } from '../../util/ast.js';
import { thisClassOf, type ClassLike } from '../../model/util.js';
import type { OpRecord } from './records.js';

// -----------------------------------------------------------------------------------------
// What the single AST pass collects

export interface FunctionInfo {
  readonly node: FunctionNode | TSESTree.Program;
  /** Calls of a member (`x.m()`), not counting those inside nested functions. */
  readonly calls: TSESTree.CallExpression[];
  readonly awaits: TSESTree.AwaitExpression[];
  /** The class whose instance `this` is here (methods, and arrows inside them). */
  readonly thisClass: ClassLike | undefined;
  /** The name of the instance method (or function-valued field) this function is. */
  readonly methodName: string | undefined;
  /** Operations stored on `this` by other methods, pending when this (close) method starts. */
  readonly initial: OpRecord[];
}

export interface ClassInfo {
  readonly methods: Map<string, FunctionInfo>;
  /** Member calls on `this.…` anywhere in the class: candidates for a stored operation. */
  readonly thisCalls: TSESTree.CallExpression[];
}

export class Collector {
  readonly functions: FunctionInfo[] = [];
  readonly classes = new Map<ClassLike, ClassInfo>();
  private readonly stack: FunctionInfo[] = [];

  enter(node: FunctionNode | TSESTree.Program): void {
    const thisClass = node.type === AST_NODE_TYPES.Program ? undefined : thisClassOf(node);
    const methodName = node.type === AST_NODE_TYPES.Program ? undefined : methodNameOf(node);
    const info: FunctionInfo = { node, calls: [], awaits: [], thisClass, methodName, initial: [] };
    this.functions.push(info);
    this.stack.push(info);
    if (thisClass && methodName !== undefined) this.classInfo(thisClass).methods.set(methodName, info);
  }

  exit(): void {
    this.stack.pop();
  }

  call(node: TSESTree.CallExpression): void {
    const info = this.stack[this.stack.length - 1];
    const member = calleeMember(node);
    if (!info || !member) return;
    info.calls.push(node);
    if (info.thisClass && rootIsThis(member.object)) this.classInfo(info.thisClass).thisCalls.push(node);
  }

  awaitExpression(node: TSESTree.AwaitExpression): void {
    this.stack[this.stack.length - 1]?.awaits.push(node);
  }

  classInfo(node: ClassLike): ClassInfo {
    let info = this.classes.get(node);
    if (!info) {
      info = { methods: new Map(), thisCalls: [] };
      this.classes.set(node, info);
    }
    return info;
  }
}

function methodNameOf(fn: FunctionNode): string | undefined {
  const parent = fn.parent;
  if (parent.type === AST_NODE_TYPES.MethodDefinition && parent.kind === 'method' && !parent.static) {
    return propertyKeyName(parent.key, parent.computed);
  }
  if (parent.type === AST_NODE_TYPES.PropertyDefinition && parent.value === fn && !parent.static) {
    return propertyKeyName(parent.key, parent.computed);
  }
  return undefined;
}

export function rootIsThis(node: TSESTree.Node): boolean {
  let current = skipWrappers(node);
  while (current.type === AST_NODE_TYPES.MemberExpression) current = skipWrappers(current.object);
  return current.type === AST_NODE_TYPES.ThisExpression;
}
