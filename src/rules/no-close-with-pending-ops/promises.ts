// no-close-with-pending-ops: syntax of promises. What becomes of the promise an operation returns
// (its Fate: awaited, joined, held, loose, escaped), which holders an awaited expression settles,
// and which calls only pass promises on.
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { calleeMember, memberNameOf } from '../../model/index.js';
import { isWrapper, outerWrapper, skipWrappers } from '../../util/ast.js';
import type { References } from '../../model/references.js';
import type { Join, OpRecord } from './records.js';

// -----------------------------------------------------------------------------------------
// Syntax helpers

export type Fate =
  | { readonly kind: 'settled' }
  | { readonly kind: 'escaped' }
  | { readonly kind: 'loose'; readonly anchor: TSESTree.Node }
  | { readonly kind: 'joined'; readonly anchor: TSESTree.AwaitExpression }
  | {
      readonly kind: 'held';
      readonly anchor: TSESTree.Node;
      readonly holder: string;
      readonly holderNode: TSESTree.Node;
      readonly join: Join;
    };

/** The fates that leave an operation to be tracked. */
export type LiveFate = Fate & { kind: 'loose' | 'joined' | 'held' };

const SETTLED: Fate = { kind: 'settled' };
const ESCAPED: Fate = { kind: 'escaped' };
const PROMISE_CHAIN = new Set(['then', 'catch', 'finally']);
const COLLECTION_ADD = new Set(['push', 'unshift', 'add']);

/**
 * What becomes of the promise an operation returns: awaited at once (`await fh.read()`, also
 * through `.then()`/`.catch()` and `Promise.allSettled`), awaited in a `Promise.all` with others
 * (joined: settled only when that await completes normally), kept somewhere (`const p = …`,
 * `this.pending = …`, `ops.push(…)`), left loose (a statement, `void`, `return`, `Promise.race`),
 * or handed to code we do not follow (escaped: the rule stays quiet).
 */
export function fateOf(call: TSESTree.CallExpression, keys: References): Fate {
  let node: TSESTree.Node = call;
  let join: Join = 'none';
  for (let depth = 0; depth < 32 && node.parent; depth++) {
    const parent: TSESTree.Node = node.parent;
    if (isWrapper(parent) || parent.type === AST_NODE_TYPES.LogicalExpression) {
      node = parent;
      continue;
    }
    switch (parent.type) {
      case AST_NODE_TYPES.ConditionalExpression:
        if (parent.test === node) return ESCAPED;
        node = parent;
        continue;
      case AST_NODE_TYPES.MemberExpression:
        if (!isPromiseChainLink(parent, node)) return ESCAPED;
        if (join === 'all' && isSwallowingLink(parent)) join = 'swallowed';
        node = parent.parent;
        continue;
      case AST_NODE_TYPES.ArrayExpression: {
        const combinator = promiseCombinator(parent.parent);
        if (combinator === 'race') return { kind: 'loose', anchor: parent.parent };
        if (combinator === 'all' && join === 'none' && joinsSeveral(parent)) join = 'all';
        if (combinator === 'allSettled' && join === 'all') join = 'swallowed';
        node = combinator === undefined ? parent : parent.parent;
        continue;
      }
      case AST_NODE_TYPES.AwaitExpression:
        if (join === 'none') return SETTLED;
        return join === 'all' ? { kind: 'joined', anchor: parent } : { kind: 'loose', anchor: parent };
      case AST_NODE_TYPES.VariableDeclarator:
        return heldBy(parent, parent.init === node ? parent.id : undefined, keys, join);
      case AST_NODE_TYPES.AssignmentExpression:
        return heldBy(parent, parent.right === node && parent.operator === '=' ? parent.left : undefined, keys, join);
      case AST_NODE_TYPES.CallExpression: {
        const member = calleeMember(parent);
        const added = member && parent.callee !== node && COLLECTION_ADD.has(memberNameOf(member) ?? '');
        return heldBy(parent, added ? member.object : undefined, keys, join);
      }
      case AST_NODE_TYPES.ExpressionStatement:
      case AST_NODE_TYPES.ReturnStatement:
        return { kind: 'loose', anchor: node };
      case AST_NODE_TYPES.UnaryExpression:
        return parent.operator === 'void' ? { kind: 'loose', anchor: parent } : ESCAPED;
      case AST_NODE_TYPES.ArrowFunctionExpression:
        return parent.body === node ? { kind: 'loose', anchor: node } : ESCAPED;
      default:
        return ESCAPED;
    }
  }
  return ESCAPED;
}

function heldBy(anchor: TSESTree.Node, target: TSESTree.Node | undefined, keys: References, join: Join): Fate {
  if (!target) return ESCAPED;
  let holder: string | undefined;
  if (target.type === AST_NODE_TYPES.Identifier && anchor.type === AST_NODE_TYPES.VariableDeclarator) {
    const variable = keys.variableOf(target);
    holder = variable ? keys.variableKey(variable) : undefined;
  } else if (anchor.type !== AST_NODE_TYPES.VariableDeclarator) {
    holder = keys.keyOf(target);
  }
  return holder === undefined ? ESCAPED : { kind: 'held', anchor, holder, holderNode: target, join };
}

export function isPromiseChainLink(member: TSESTree.MemberExpression, object: TSESTree.Node): boolean {
  const call = member.parent;
  return (
    member.object === object &&
    PROMISE_CHAIN.has(memberNameOf(member) ?? '') &&
    call.type === AST_NODE_TYPES.CallExpression &&
    call.callee === member
  );
}

/** `.catch(…)` or `.then(…, onRejected)`: a rejection of what it is chained on does not reach the await. */
export function isSwallowingLink(member: TSESTree.MemberExpression): boolean {
  const name = memberNameOf(member);
  return (
    name === 'catch' || (name === 'then' && member.parent.type === AST_NODE_TYPES.CallExpression && member.parent.arguments.length > 1)
  );
}

/** `Promise.all`, `Promise.allSettled`, or `race`/`any` (which settle nothing when awaited). */
function promiseCombinator(node: TSESTree.Node | undefined): 'all' | 'allSettled' | 'race' | undefined {
  if (node?.type !== AST_NODE_TYPES.CallExpression) return undefined;
  const member = calleeMember(node);
  if (member?.object.type !== AST_NODE_TYPES.Identifier || member.object.name !== 'Promise') return undefined;
  const name = memberNameOf(member);
  if (name === 'all' || name === 'allSettled') return name;
  if (name === 'race' || name === 'any') return 'race';
  return undefined;
}

/** An array given to `Promise.all` that may hold more than one promise. */
function joinsSeveral(array: TSESTree.ArrayExpression): boolean {
  return array.elements.length !== 1 || array.elements[0]?.type === AST_NODE_TYPES.SpreadElement;
}

/**
 * How an awaited expression reaches a holder: `all` when as one of several promises of a
 * `Promise.all`; `swallowed` when a rejection is caught above that point (`.catch(…)`,
 * `Promise.allSettled`).
 */
export interface Via {
  readonly all: boolean;
  readonly swallowed: boolean;
}

const DIRECT: Via = { all: false, swallowed: false };

/** The holders an awaited expression settles: `p`, `p.catch(…)`, `Promise.all([p, …ps])`. */
export function awaitedHolders(expression: TSESTree.Node, keys: References): Map<string, Via[]> {
  const out = new Map<string, Via[]>();
  settledKeys(expression, keys, out, DIRECT, 0);
  return out;
}

function settledKeys(expression: TSESTree.Node, keys: References, out: Map<string, Via[]>, via: Via, depth: number): void {
  if (depth > 8) return;
  const node = skipWrappers(expression);
  const key = keys.keyOf(node);
  if (key !== undefined) {
    out.set(key, [...(out.get(key) ?? []), via]);
    return;
  }
  if (node.type === AST_NODE_TYPES.ConditionalExpression || node.type === AST_NODE_TYPES.LogicalExpression) {
    const [a, b] = node.type === AST_NODE_TYPES.ConditionalExpression ? [node.consequent, node.alternate] : [node.left, node.right];
    settledKeys(a, keys, out, via, depth + 1);
    settledKeys(b, keys, out, via, depth + 1);
    return;
  }
  if (node.type !== AST_NODE_TYPES.CallExpression) return;
  const member = calleeMember(node);
  if (member && PROMISE_CHAIN.has(memberNameOf(member) ?? '')) {
    settledKeys(member.object, keys, out, isSwallowingLink(member) ? swallow(via) : via, depth + 1);
    return;
  }
  const combinator = promiseCombinator(node);
  const source = node.arguments[0];
  if (!source || (combinator !== 'all' && combinator !== 'allSettled')) return;
  const inner = combinator === 'allSettled' ? swallow(via) : isSinglePromise(source) ? via : enterAll(via);
  settledCollection(source, keys, out, inner, depth + 1);
}

function swallow(via: Via): Via {
  return via.all || via.swallowed ? via : { all: false, swallowed: true };
}

function enterAll(via: Via): Via {
  return via.all ? via : { all: true, swallowed: via.swallowed };
}

function isSinglePromise(source: TSESTree.Node): boolean {
  const node = skipWrappers(source);
  return node.type === AST_NODE_TYPES.ArrayExpression && !joinsSeveral(node);
}

/** The argument of `Promise.all`: an array literal, an array variable, or `ps.map(…)`/`Array.from(ps)`. */
function settledCollection(expression: TSESTree.Node, keys: References, out: Map<string, Via[]>, via: Via, depth: number): void {
  const node = skipWrappers(expression);
  if (node.type === AST_NODE_TYPES.ArrayExpression) {
    for (const element of node.elements) {
      if (element?.type === AST_NODE_TYPES.SpreadElement) settledCollection(element.argument, keys, out, via, depth + 1);
      else if (element) settledKeys(element, keys, out, via, depth + 1);
    }
    return;
  }
  if (node.type === AST_NODE_TYPES.CallExpression) {
    const member = calleeMember(node);
    const isArrayFrom = member?.object.type === AST_NODE_TYPES.Identifier && member.object.name === 'Array';
    const source = isArrayFrom ? node.arguments[0] : member?.object;
    if (source) settledCollection(source, keys, out, via, depth + 1);
    return;
  }
  settledKeys(node, keys, out, via, depth + 1);
}

/** What awaiting a record's holder one way does to it (see Join and Via). */
export function settleEffect(record: OpRecord, via: Via): 'settled' | 'normal' | 'none' {
  if (record.join === 'none' && !via.all) return 'settled';
  return record.join === 'swallowed' || via.swallowed ? 'none' : 'normal';
}

export function strongestSettle(effects: readonly ('settled' | 'normal' | 'none')[]): 'settled' | 'normal' | 'none' {
  if (effects.includes('settled')) return 'settled';
  return effects.includes('normal') ? 'normal' : 'none';
}

export function isAwaited(call: TSESTree.Node): boolean {
  return outerWrapper(call).parent?.type === AST_NODE_TYPES.AwaitExpression;
}

export function isReturnArgument(node: TSESTree.Node): boolean {
  return node.parent?.type === AST_NODE_TYPES.ReturnStatement && node.parent.argument === node;
}

/** `x.then/catch/finally(…)`, `Promise.all/allSettled/race/any(…)`, `ops.push/unshift/add(…)`. */
export function passesPromiseOn(call: TSESTree.CallExpression): boolean {
  const member = calleeMember(call);
  if (!member) return false;
  const name = memberNameOf(member) ?? '';
  return isPromiseChainLink(member, member.object) || promiseCombinator(call) !== undefined || COLLECTION_ADD.has(name);
}
