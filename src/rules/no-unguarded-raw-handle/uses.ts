// Where a raw value goes in the statement that reads it (docs/rules/no-unguarded-raw-handle.md): used synchronously,
// only compared or printed, handed off to another rule's business, held in a local, or kept
// past the statement (returned, stored in a field or an outer variable, passed to an
// asynchronous call). Results are cached per node.
import { AST_NODE_TYPES, TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { referencesOf } from '../../model/references.js';
import ts from '../../util/typescript.cjs';
import { calleeName, memberNameOf, type NativeHandleServices } from '../../model/index.js';
import { isWrapper, outerWrapper, skipWrappers } from '../../util/ast.js';
import { enclosingFunction } from '../../model/util.js';
import type { CallLike, Use, Variable } from './records.js';

/** Hand-offs that belong to no-handle-adoption and require-unregister (docs/rules/no-handle-adoption.md, docs/rules/require-unregister.md), by name. */
const HAND_OFF_METHODS = new Set(['postMessage', 'register']);
/** Where a raw value is only compared, printed or turned into text: not a use of the handle. */
const INERT_PARENTS = new Set<string>([
  AST_NODE_TYPES.BinaryExpression,
  AST_NODE_TYPES.UnaryExpression,
  AST_NODE_TYPES.TemplateLiteral,
  AST_NODE_TYPES.ExpressionStatement,
  AST_NODE_TYPES.IfStatement,
  AST_NODE_TYPES.WhileStatement,
  AST_NODE_TYPES.DoWhileStatement,
  AST_NODE_TYPES.ForStatement,
  AST_NODE_TYPES.SwitchStatement,
  AST_NODE_TYPES.SwitchCase,
]);
const INERT_FUNCTIONS = new Set(['String', 'Number', 'Boolean', 'BigInt']);
/** Members of a collected result (`xs.map(x => x.fd)`) that only count or print the raw values. */
const INERT_MEMBERS = new Set(['length', 'join']);

export class UseClassifier {
  private readonly useCache = new Map<TSESTree.Node, Use>();
  private readonly syncCallbacks = new Map<TSESTree.Node, boolean>();

  constructor(
    private readonly sourceCode: Readonly<TSESLint.SourceCode>,
    private readonly services: NativeHandleServices,
  ) {}

  /** What happens to a raw value (or a local holding one) in the statement that reads it. */
  classify(start: TSESTree.Node, fn: TSESTree.Node): Use {
    const cached = this.useCache.get(start);
    if (cached) return cached;
    const use = this.classifyUncached(start, fn);
    this.useCache.set(start, use);
    return use;
  }

  /**
   * Whether the use is a hand-off or inert ({@link classify}'s `handOff` and `inert`), without
   * asking whether a call it is passed to is asynchronous (the checker's part of the answer).
   */
  isIgnored(start: TSESTree.Node, fn: TSESTree.Node): boolean {
    const kind = (this.useCache.get(start) ?? this.classifyUncached(start, fn, false)).kind;
    return kind === 'handOff' || kind === 'inert';
  }

  /** With `calls` false, a call the value is passed to is `handOff`, `inert` or `fine`, never `asyncCall` ({@link isIgnored}). */
  private classifyUncached(start: TSESTree.Node, fn: TSESTree.Node, calls = true): Use {
    let value = start;
    for (let parent = value.parent; parent; value = parent, parent = parent.parent) {
      switch (parent.type) {
        case AST_NODE_TYPES.ConditionalExpression:
          if (parent.test === value) return { kind: 'inert' };
          continue;
        case AST_NODE_TYPES.LogicalExpression:
        case AST_NODE_TYPES.ArrayExpression:
        case AST_NODE_TYPES.ObjectExpression:
        case AST_NODE_TYPES.SpreadElement:
          continue;
        case AST_NODE_TYPES.SequenceExpression:
          if (parent.expressions[parent.expressions.length - 1] !== value) return { kind: 'inert' };
          continue;
        case AST_NODE_TYPES.Property:
          if (parent.value !== value || parent.parent.type !== AST_NODE_TYPES.ObjectExpression) return { kind: 'fine' };
          continue;
        case AST_NODE_TYPES.VariableDeclarator:
          return this.declaratorUse(parent, value);
        case AST_NODE_TYPES.AssignmentExpression:
          if (parent.right !== value) return { kind: 'fine' };
          return parent.operator === '=' ? this.assignmentUse(parent, fn) : { kind: 'inert' };
        case AST_NODE_TYPES.PropertyDefinition:
        case AST_NODE_TYPES.AccessorProperty:
          return parent.value === value ? { kind: 'field' } : { kind: 'fine' };
        case AST_NODE_TYPES.ReturnStatement:
        case AST_NODE_TYPES.YieldExpression:
          return { kind: 'returned' };
        case AST_NODE_TYPES.ArrowFunctionExpression:
          return parent.body === value ? { kind: 'returned' } : { kind: 'fine' };
        case AST_NODE_TYPES.CallExpression:
        case AST_NODE_TYPES.NewExpression:
          if (parent.callee === value) return { kind: 'fine' };
          if (isInertCall(parent)) return { kind: 'inert' };
          if (calls) return this.argumentUse(parent);
          return this.isHandOff(parent) ? { kind: 'handOff' } : { kind: 'fine' };
        default:
          if (isWrapper(parent) || parent.type === AST_NODE_TYPES.AwaitExpression) continue;
          if (parent.type === AST_NODE_TYPES.MemberExpression)
            return parent.object === value && !isInertMember(parent) ? { kind: 'fine' } : { kind: 'inert' };
          return INERT_PARENTS.has(parent.type) ? { kind: 'inert' } : { kind: 'fine' };
      }
    }
    return { kind: 'fine' };
  }

  private declaratorUse(declarator: TSESTree.VariableDeclarator, value: TSESTree.Node): Use {
    if (declarator.init !== value || declarator.id.type !== AST_NODE_TYPES.Identifier) return { kind: 'fine' };
    const variable = this.sourceCode.getDeclaredVariables(declarator)[0];
    return variable ? { kind: 'holder', variable, node: declarator } : { kind: 'fine' };
  }

  private assignmentUse(assignment: TSESTree.AssignmentExpression, fn: TSESTree.Node): Use {
    const target = skipWrappers(assignment.left);
    if (target.type === AST_NODE_TYPES.Identifier) {
      const variable = referencesOf(this.sourceCode).variableOf(target);
      if (!variable || this.declaredOutside(variable, fn)) return { kind: 'outer' };
      return declaringFunction(variable) === fn ? { kind: 'holder', variable, node: assignment } : { kind: 'fine' };
    }
    if (target.type !== AST_NODE_TYPES.MemberExpression) return { kind: 'fine' };
    const root = rootOf(target);
    if (root?.type === AST_NODE_TYPES.ThisExpression) return { kind: 'field' };
    if (root?.type !== AST_NODE_TYPES.Identifier) return { kind: 'fine' };
    const variable = referencesOf(this.sourceCode).variableOf(root);
    if (!variable || this.declaredOutside(variable, fn)) return { kind: 'field' };
    const parameter = declaringFunction(variable) === fn && variable.defs.some(def => def.type === TSESLint.Scope.DefinitionType.Parameter);
    return parameter ? { kind: 'field' } : { kind: 'fine' };
  }

  /**
   * Whether a variable lives outside the function that stores a raw value in it (callbacks run
   * before their call returns count as part of the function around them).
   */
  private declaredOutside(variable: Variable, fn: TSESTree.Node): boolean {
    let boundary = fn;
    while (this.isSyncCallback(boundary)) boundary = enclosingFunction(boundary);
    return !declaredInside(variable, boundary);
  }

  private argumentUse(call: CallLike): Use {
    if (this.isHandOff(call)) return { kind: 'handOff' };
    const tsCall = this.services.tsNodeOf(call);
    if (!ts.isCallExpression(tsCall) && !ts.isNewExpression(tsCall)) return { kind: 'fine' };
    const asynchronous = this.services.returnsThenable(call) || this.services.passesCompletionCallback(call);
    if (!asynchronous) return { kind: 'fine' };
    return { kind: 'asyncCall', call, awaited: outerWrapper(call).parent?.type === AST_NODE_TYPES.AwaitExpression };
  }

  /** Adopters, raw closers, `postMessage` and registrations: the business of other rules. */
  private isHandOff(call: CallLike): boolean {
    const name = calleeName(call.callee);
    if (name !== undefined && HAND_OFF_METHODS.has(name)) return true;
    return this.services.isBuiltinAdopterCall(call) || this.services.isAdopter(call.callee) || this.services.isRawCloser(call.callee);
  }

  /**
   * Whether a function runs before the call that receives it returns (IIFE, array/map/set
   * callbacks, Promise executor); remembered per function (asked for every read inside it, and
   * a timer's callee is looked up by the checker).
   */
  isSyncCallback(fn: TSESTree.Node): boolean {
    let sync = this.syncCallbacks.get(fn);
    if (sync === undefined) {
      sync = this.services.callbackTiming(fn)?.when === 'now';
      this.syncCallbacks.set(fn, sync);
    }
    return sync;
  }
}

/** `console.log(fd)`, `String(fd)`: printing or converting, not using the handle. */
function isInertCall(call: CallLike): boolean {
  const callee = skipWrappers(call.callee);
  if (callee.type === AST_NODE_TYPES.Identifier) return INERT_FUNCTIONS.has(callee.name);
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return false;
  const object = skipWrappers(callee.object);
  return object.type === AST_NODE_TYPES.Identifier && object.name === 'console';
}

/** `fds.length`, `fds.join(', ')`: counting or printing the raw values a collected result holds, not using them. */
function isInertMember(member: TSESTree.MemberExpression): boolean {
  const name = member.computed ? undefined : memberNameOf(member);
  return name !== undefined && INERT_MEMBERS.has(name);
}

/** The variable, `this` or call at the root of `a.b.c`, `a.get(x).c`. */
export function rootOf(node: TSESTree.Node): TSESTree.Node | undefined {
  let current = skipWrappers(node);
  for (;;) {
    if (current.type === AST_NODE_TYPES.MemberExpression) current = skipWrappers(current.object);
    else if (current.type === AST_NODE_TYPES.CallExpression) current = skipWrappers(current.callee);
    else break;
  }
  return current.type === AST_NODE_TYPES.Identifier || current.type === AST_NODE_TYPES.ThisExpression ? current : undefined;
}

/** Whether the variable is declared in `fn` or in a function nested in it. */
export function declaredInside(variable: Variable, fn: TSESTree.Node): boolean {
  const name = variable.defs[0]?.name;
  return name !== undefined && (fn.type === AST_NODE_TYPES.Program || (name.range[0] >= fn.range[0] && name.range[1] <= fn.range[1]));
}

function declaringFunction(variable: Variable): TSESTree.Node | undefined {
  const definition = variable.defs[0];
  return definition ? enclosingFunction(definition.name) : undefined;
}
