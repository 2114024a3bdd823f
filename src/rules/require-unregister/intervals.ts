// Intervals: where a `setInterval` result is kept (a field, a collection field, nowhere), and what
// the close path does with the intervals of a collection field.

import { AST_NODE_TYPES, ASTUtils, TSESLint, type TSESTree } from '@typescript-eslint/utils';
import {
  clearedTimer,
  isTimerClearFunction,
  memberNameOf,
  propertyKeyName,
  type ClassClosePath,
  type NativeHandleServices,
} from '../../model/index.js';
import { isFunction, outerWrapper, skipWrappers, walk } from '../../util/ast.js';
import { thisClassOf, type ClassLike } from '../../model/util.js';
import { isThisField, type SourceCode } from './closeFacts.js';

/** Where an interval is kept: a `this` field, a collection field (`this.#timers.push(…)`), or nowhere. */
export type IntervalSite =
  | { readonly kind: 'field'; readonly field: string }
  | { readonly kind: 'collection'; readonly field: string; readonly receiver: TSESTree.Expression }
  | { readonly kind: 'dropped' };

/** What the close path does with the intervals of a collection field: clears them, never does, or something the rule cannot follow. */
type CollectionVerdict = 'cleared' | 'kept' | 'unknown';

/** What a use of a collection field (or of one of its elements) in the close path does. */
type UseVerdict = 'cleared' | 'benign' | 'unknown';

/** Where each interval is kept and what the close path does with a collection field's intervals (computed once per class and field). */
export class IntervalAnalysis {
  private readonly collectionVerdicts = new Map<ClassLike, Map<string, CollectionVerdict>>();

  constructor(
    private readonly services: NativeHandleServices,
    private readonly sourceCode: SourceCode,
  ) {}

  /**
   * Where a `setInterval` result goes: into a `this` field or a collection field (by
   * assignment, as a field initializer, or `this.#timers.push(…)` / `add` / `set`), directly
   * or through a local `const t = setInterval(…)` stored once; or nowhere. Undefined otherwise,
   * and for a local the function clears itself.
   */
  intervalSite(call: TSESTree.CallExpression, classNode: ClassLike): IntervalSite | undefined {
    const node = skipRefCalls(call);
    const parent = node.parent;
    if (parent?.type !== AST_NODE_TYPES.VariableDeclarator) return storeSite(node);
    if (parent.init !== node || parent.id.type !== AST_NODE_TYPES.Identifier) return undefined;
    const variable = this.sourceCode.getDeclaredVariables(parent)[0];
    if (!variable || variable.defs.length !== 1 || variable.references.filter(reference => reference.isWrite()).length !== 1)
      return undefined;
    const sites: IntervalSite[] = [];
    for (const reference of variable.references) {
      if (reference.isWrite()) continue;
      const read = skipRefCalls(reference.identifier);
      if (this.stopsTimer(read)) return undefined;
      const site = thisClassOf(read) === classNode ? storeSite(read) : undefined;
      if (site && site.kind !== 'dropped') sites.push(site);
    }
    return sites.length === 1 ? sites[0] : undefined;
  }

  /** Whether the expression is the timer a call stops: `clearInterval(x)`, `x.close()` (see {@link clearedTimer}). */
  private stopsTimer(node: TSESTree.Node): boolean {
    const outer = outerWrapper(node);
    const parent = outer.parent;
    const viaMember =
      parent?.type === AST_NODE_TYPES.MemberExpression &&
      parent.object === outer &&
      parent.parent.type === AST_NODE_TYPES.CallExpression &&
      parent.parent.callee === parent;
    const call =
      parent?.type === AST_NODE_TYPES.CallExpression ? parent : viaMember ? (parent.parent as TSESTree.CallExpression) : undefined;
    const timer = call && clearedTimer(this.services, call);
    return timer !== undefined && skipWrappers(timer) === skipWrappers(node);
  }

  /**
   * What the close path does with the intervals of the collection field `this.<field>` (once
   * per class and field): `cleared` when it stops one of its elements (`for (const t of
   * this.#timers) clearInterval(t)`, `this.#timers.forEach(clearInterval)`), `unknown` when it
   * uses the collection in a way the rule does not follow (hands it to a function, aliases it),
   * else `kept` (it only empties the collection, or never touches it).
   */
  collectionVerdict(classNode: ClassLike, path: ClassClosePath, field: string): CollectionVerdict {
    let verdicts = this.collectionVerdicts.get(classNode);
    if (!verdicts) this.collectionVerdicts.set(classNode, (verdicts = new Map<string, CollectionVerdict>()));
    let verdict = verdicts.get(field);
    if (verdict) return verdict;
    const uses: UseVerdict[] = [];
    for (const fn of path.functions) {
      walk(fn.body, this.sourceCode.visitorKeys, node => {
        if (isThisField(node) && memberNameOf(node) === field && thisClassOf(node) === classNode) uses.push(this.collectionUse(node));
      });
    }
    verdict = uses.includes('cleared') ? 'cleared' : uses.includes('unknown') ? 'unknown' : 'kept';
    verdicts.set(field, verdict);
    return verdict;
  }

  /** What one use of a collection field in the close path does (see {@link collectionVerdict}). */
  private collectionUse(member: TSESTree.MemberExpression): UseVerdict {
    const node = outerWrapper(member);
    const parent = node.parent;
    if (parent?.type === AST_NODE_TYPES.AssignmentExpression && parent.left === node) return 'benign';
    if (parent?.type === AST_NODE_TYPES.ForOfStatement && parent.right === node) return this.loopUse(parent);
    if (parent?.type !== AST_NODE_TYPES.MemberExpression || parent.object !== node) return 'unknown';
    const call = parent.parent.type === AST_NODE_TYPES.CallExpression && parent.parent.callee === parent ? parent.parent : undefined;
    const name = memberNameOf(parent);
    if (!call) return parent.computed ? this.elementUse(parent) : name === 'length' || name === 'size' ? 'benign' : 'unknown';
    switch (name) {
      case 'forEach':
        return this.callbackUse(call.arguments[0]);
      case 'values': {
        const outer = outerWrapper(call);
        return outer.parent?.type === AST_NODE_TYPES.ForOfStatement && outer.parent.right === outer
          ? this.loopUse(outer.parent)
          : 'unknown';
      }
      case 'pop':
      case 'shift':
      case 'get':
      case 'at':
        return this.elementUse(call);
      default:
        return name !== undefined && BOOKKEEPING.has(name) ? 'benign' : 'unknown';
    }
  }

  /** An expression that yields one element of the collection: stopped, dropped, or kept in a local looked at in turn. */
  private elementUse(element: TSESTree.Node): UseVerdict {
    if (this.stopsTimer(element)) return 'cleared';
    const outer = outerWrapper(element);
    const parent = outer.parent;
    if (parent?.type === AST_NODE_TYPES.ExpressionStatement) return 'benign';
    if (parent?.type !== AST_NODE_TYPES.VariableDeclarator || parent.init !== outer || parent.id.type !== AST_NODE_TYPES.Identifier)
      return 'unknown';
    const variable = this.sourceCode.getDeclaredVariables(parent)[0];
    return variable ? this.elementVariableUse(variable) : 'unknown';
  }

  /** `for (const t of this.#timers)` / `for (const [, t] of this.#timers)`: what the loop does with `t`. */
  private loopUse(loop: TSESTree.ForOfStatement): UseVerdict {
    const declaration = loop.left.type === AST_NODE_TYPES.VariableDeclaration ? loop.left.declarations[0] : undefined;
    const id = declaration?.id;
    const pair = id?.type === AST_NODE_TYPES.ArrayPattern && id.elements.length === 2 ? id.elements[1] : undefined;
    const target = id?.type === AST_NODE_TYPES.Identifier ? id : pair?.type === AST_NODE_TYPES.Identifier ? pair : undefined;
    const variable = target && this.sourceCode.getDeclaredVariables(declaration!).find(candidate => candidate.defs[0]?.name === target);
    return variable ? this.elementVariableUse(variable) : 'unknown';
  }

  /** `this.#timers.forEach(cb)`: `cb` is `clearInterval`/`clearTimeout`, or a function whose first parameter is looked at. */
  private callbackUse(callback: TSESTree.CallExpressionArgument | undefined): UseVerdict {
    if (!callback || callback.type === AST_NODE_TYPES.SpreadElement) return 'unknown';
    const fn = skipWrappers(callback);
    if (isTimerClearFunction(this.services, fn)) return 'cleared';
    const param = isFunction(fn) ? fn.params[0] : undefined;
    if (!isFunction(fn) || param?.type !== AST_NODE_TYPES.Identifier) return 'unknown';
    const variable = this.sourceCode.getDeclaredVariables(fn).find(candidate => candidate.defs[0]?.name === param);
    return variable ? this.elementVariableUse(variable) : 'unknown';
  }

  /** A variable holding an element: `cleared` when a read of it is stopped; `benign` when it is only `unref()`-ed and the like; else `unknown`. */
  private elementVariableUse(variable: TSESLint.Scope.Variable): UseVerdict {
    let verdict: UseVerdict = 'benign';
    for (const reference of variable.references) {
      if (reference.identifier === variable.defs[0]?.name) continue;
      if (reference.isWrite()) return 'unknown';
      if (this.stopsTimer(reference.identifier)) return 'cleared';
      if (!isRefCall(reference.identifier)) verdict = 'unknown';
    }
    return verdict;
  }

  /** Whether `name` in the method's body is the global of that name (no declaration in this file shadows it). */
  isGlobalIn(name: string, method: TSESTree.MethodDefinition): boolean {
    const body = method.value.body;
    if (!body) return false;
    const variable = ASTUtils.findVariable(this.sourceCode.getScope(body), name);
    return !variable || variable.defs.length === 0;
  }
}

/** Collection methods the close path may call without handing out the timers: emptying or probing the collection. */
const BOOKKEEPING: ReadonlySet<string> = new Set([
  'clear',
  'delete',
  'has',
  'push',
  'add',
  'set',
  'unshift',
  'includes',
  'indexOf',
  'keys',
]);

/** Calls on a timer that return it or a flag without stopping or handing it on. */
const REF_CALLS: ReadonlySet<string> = new Set(['unref', 'ref', 'hasRef', 'refresh']);

/** Whether the node is the timer in `t.unref()` (or `ref`, `hasRef`, `refresh`). */
function isRefCall(node: TSESTree.Node): boolean {
  const outer = outerWrapper(node);
  const parent = outer.parent;
  return (
    parent?.type === AST_NODE_TYPES.MemberExpression &&
    parent.object === outer &&
    REF_CALLS.has(memberNameOf(parent) ?? '') &&
    parent.parent.type === AST_NODE_TYPES.CallExpression &&
    parent.parent.callee === parent
  );
}

/** The outermost expression that is still the same timer: through wrappers and `.unref()` / `.ref()`, which return it. */
export function skipRefCalls(timer: TSESTree.Node): TSESTree.Node {
  let node = outerWrapper(timer);
  while (
    node.parent?.type === AST_NODE_TYPES.MemberExpression &&
    node.parent.object === node &&
    (memberNameOf(node.parent) === 'unref' || memberNameOf(node.parent) === 'ref') &&
    node.parent.parent.type === AST_NODE_TYPES.CallExpression &&
    node.parent.parent.callee === node.parent
  ) {
    node = outerWrapper(node.parent.parent);
  }
  return node;
}

/** Where a timer expression (after {@link skipRefCalls}) is kept: a `this` field, a collection field, or nowhere (a statement). */
function storeSite(node: TSESTree.Node): IntervalSite | undefined {
  const parent = node.parent;
  switch (parent?.type) {
    case AST_NODE_TYPES.AssignmentExpression: {
      if (parent.right !== node || !['=', '??=', '||='].includes(parent.operator)) return undefined;
      const left = skipWrappers(parent.left);
      const field = isThisField(left) ? memberNameOf(left) : undefined;
      return field === undefined ? undefined : { kind: 'field', field };
    }
    case AST_NODE_TYPES.PropertyDefinition: {
      const field = parent.value === node && !parent.static ? propertyKeyName(parent.key, parent.computed) : undefined;
      return field === undefined ? undefined : { kind: 'field', field };
    }
    case AST_NODE_TYPES.CallExpression:
      return collectionStore(parent, node);
    case AST_NODE_TYPES.ExpressionStatement:
      return { kind: 'dropped' };
    case AST_NODE_TYPES.UnaryExpression:
      return parent.operator === 'void' && parent.parent.type === AST_NODE_TYPES.ExpressionStatement ? { kind: 'dropped' } : undefined;
    default:
      return undefined;
  }
}

/** `this.#timers.push(timer)` / `unshift(timer)` / `add(timer)` / `set(key, timer)`: the collection field the timer goes into. */
function collectionStore(call: TSESTree.CallExpression, timer: TSESTree.Node): IntervalSite | undefined {
  const callee = skipWrappers(call.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return undefined;
  const receiver = skipWrappers(callee.object);
  if (!isThisField(receiver)) return undefined;
  const field = memberNameOf(receiver);
  const index = call.arguments.indexOf(timer as TSESTree.CallExpressionArgument);
  const method = memberNameOf(callee);
  const stored = method === 'push' || method === 'unshift' ? index >= 0 : method === 'add' ? index === 0 : method === 'set' && index === 1;
  return field !== undefined && stored ? { kind: 'collection', field, receiver } : undefined;
}
