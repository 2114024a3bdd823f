// The flow analysis of one function: where an owner that may be closed is used (a member call, a
// raw-handle read, an owner parameter), and what liveness checks in conditions rule out.

import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { assume, contradicts, type ConditionKeys, type Facts } from '../../model/conditions.js';
import { type FlowAnalysis } from '../../model/flow.js';
import { calleeMember, memberNameOf, propertyKeyName, type NativeHandleServices, type Owner } from '../../model/index.js';
import { fieldsAssignedByMethod, isCompletionWaiter, isHarmlessAfterClose, ownerParameterAt, reopensOwner } from '../../model/lifetime.js';
import { comparedOperands, isWriteTarget, outerWrapper, skipWrappers } from '../../util/ast.js';
import { type Key, type OwnerKeys } from './keys.js';
import {
  EMPTY,
  NONE_CLOSED,
  forget,
  forgetProbed,
  forgetThisFields,
  hasThisFields,
  joinStates,
  sameStates,
  withClose,
  withClosed,
  withoutChangedFacts,
  withoutClosesIn,
  withoutContradicted,
  type Closed,
  type Probe,
  type State,
} from './states.js';

type CallLike = TSESTree.CallExpression | TSESTree.NewExpression;

export interface Close {
  readonly key: Key;
  readonly owner: Owner;
  readonly member: TSESTree.MemberExpression;
}

export interface Finding {
  readonly node: TSESTree.Node;
  readonly key: Key;
  readonly kind: 'use' | 'rawHandle';
  readonly owner: Owner;
  readonly closes: Set<TSESTree.CallExpression>;
}

const COMPARISONS = new Set(['===', '!==', '==', '!=', '<', '<=', '>', '>=']);

/**
 * A may-analysis over one function: which owners may be closed at each point, and by which
 * close calls. A use of an owner that may be closed is a finding; the use (like a new value,
 * a passed liveness guard, or a reopening call) ends the closed state on that path, so each
 * close is reported at its first use on each path.
 */
export class UseAfterClose {
  private readonly found = new Map<TSESTree.Node, Finding>();
  /** The close calls, by start. */
  private readonly closesByStart: readonly TSESTree.CallExpression[];

  constructor(
    private readonly services: NativeHandleServices,
    private readonly keys: OwnerKeys,
    private readonly conditions: ConditionKeys,
    private readonly closes: ReadonlyMap<TSESTree.CallExpression, Close>,
  ) {
    this.closesByStart = [...closes.keys()].sort((a, b) => a.range[0] - b.range[0]);
  }

  flow(): FlowAnalysis<State> {
    return {
      initial: EMPTY,
      join: joinStates,
      equals: sameStates,
      transfer: (node, state) => this.transfer(node, state),
      refine: (test, outcome, state) => this.refine(test, outcome, state),
      // A close call that throws did not close: the catch/finally gets the state without it.
      thrown: (node, before, after) => {
        const keys = this.closesIn(node).map(call => this.closes.get(call)!.key);
        return keys.length > 0 ? withClosed(after, withoutClosesIn(node, keys, before.closed, after.closed)) : after;
      },
      // The findings are made by the transfer; the states at the nodes and at the exit are never asked for.
      records: () => false,
      exit: false,
    };
  }

  /** The close calls inside the node (a throw of the node takes back these closes only). */
  private closesIn(node: TSESTree.Node): TSESTree.CallExpression[] {
    const [start, end] = node.range;
    const calls = this.closesByStart;
    let low = 0;
    let high = calls.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (calls[middle]!.range[0] < start) low = middle + 1;
      else high = middle;
    }
    const inside: TSESTree.CallExpression[] = [];
    for (let index = low; index < calls.length && calls[index]!.range[0] < end; index++) {
      if (calls[index]!.range[1] <= end) inside.push(calls[index]!);
    }
    return inside;
  }

  findings(): Finding[] {
    return [...this.found.values()].sort((a, b) => a.node.range[0] - b.node.range[0]);
  }

  private transfer(node: TSESTree.Node, entry: State): State {
    // Without a condition tested twice there are no facts to drop (a walk of every close's facts at each call).
    const changed = this.conditions.keepsFacts() ? this.conditions.changedBy(node) : undefined;
    const state = changed ? withoutChangedFacts(entry, changed) : entry;
    return withClosed(state, this.transferClosed(node, state.closed, state.facts));
  }

  private transferClosed(node: TSESTree.Node, state: Closed, facts: Facts): Closed {
    if (node.type === AST_NODE_TYPES.CallExpression) {
      const close = this.closes.get(node);
      // Facts of conditions no later test asks about cannot rule this close out anywhere.
      if (close) return withClose(state, close.key, node, this.conditions.liveAfter(facts, node.range[0]));
    }
    if (state.size === 0) return state;
    switch (node.type) {
      case AST_NODE_TYPES.CallExpression:
        return this.afterCall(node, this.argumentUses(node, state));
      case AST_NODE_TYPES.NewExpression:
        return this.forgetThisIfPassed(node, this.argumentUses(node, state));
      case AST_NODE_TYPES.MemberExpression:
        return this.memberRead(node, state);
      case AST_NODE_TYPES.AssignmentExpression:
        return forget(state, this.keys.written(node.left));
      case AST_NODE_TYPES.VariableDeclarator:
        return forget(this.destructuredRawHandle(node, state), this.keys.written(node.id));
      case AST_NODE_TYPES.Identifier: {
        const parent = node.parent;
        const loopHead =
          (parent.type === AST_NODE_TYPES.ForOfStatement || parent.type === AST_NODE_TYPES.ForInStatement) && parent.left === node;
        return loopHead ? forget(state, this.keys.written(node)) : state;
      }
      case AST_NODE_TYPES.UnaryExpression:
        return node.operator === 'delete' ? forget(state, this.keys.written(node.argument)) : state;
      default:
        return state;
    }
  }

  /** A member call on an owner that may be closed: a use, unless it closes, cancels, guards, reopens or is harmless. */
  private afterCall(call: TSESTree.CallExpression, state: Closed): Closed {
    const member = calleeMember(call);
    if (!member) return state;
    const object = skipWrappers(member.object);
    if (object.type === AST_NODE_TYPES.ThisExpression || object.type === AST_NODE_TYPES.Super) {
      // Another method of the class may give the fields a new value.
      if (!hasThisFields(state)) return state;
      const assigned = fieldsAssignedByMethod(this.services.model, this.services.tsNodeOf(member));
      return assigned === 'all'
        ? forgetThisFields(state)
        : forget(
            state,
            [...assigned].map(name => `this.${name}` as const),
          );
    }
    const key = this.keys.of(object);
    const next = this.forgetThisIfPassed(call, state);
    if (key === undefined || !next.has(key)) return next;
    const info = this.services.ownerMember(member);
    if (!info) return next;
    const { roles, owner, name } = info;
    if (roles.includes('close') || roles.includes('cancel')) return next;
    if (roles.includes('guard') || reopensOwner(owner, name)) return forget(next, [key]);
    if (isHarmlessAfterClose(this.services.model, owner, name, call)) return next;
    return this.use(call, key, owner, roles.includes('rawHandle') ? 'rawHandle' : 'use', next);
  }

  /** Passing an owner that may be closed to a parameter whose declared type is an owner. */
  private argumentUses(call: CallLike, state: Closed): Closed {
    let next = state;
    let skipped: boolean | undefined;
    for (const [index, argument] of call.arguments.entries()) {
      if (argument.type === AST_NODE_TYPES.SpreadElement) break;
      const key = this.keys.of(argument);
      if (key === undefined || !next.has(key)) continue;
      skipped ??= this.waitsOrStores(call);
      if (skipped) return next;
      const owner = this.services.ownerOf(argument);
      if (owner && ownerParameterAt(this.services, call, index)) next = this.use(call, key, owner, 'use', next);
    }
    return next;
  }

  /** Calls that only wait for an owner to finish (`finished(s)`, `once(s, 'close')`) or keep it in a collection (`set.delete(fh)`): not uses. */
  private waitsOrStores(call: CallLike): boolean {
    const callee = skipWrappers(call.callee);
    return this.services.isDefaultLibValue(callee) || isCompletionWaiter(this.services, callee);
  }

  /** Reading a raw handle (`fh.fd`) of an owner that may be closed, except to compare it (`fh.fd === -1` checks liveness). */
  private memberRead(member: TSESTree.MemberExpression, state: Closed): Closed {
    const outer = outerWrapper(member);
    const parent = outer.parent;
    if (parent?.type === AST_NODE_TYPES.CallExpression && parent.callee === outer) return state;
    if (parent?.type === AST_NODE_TYPES.BinaryExpression && COMPARISONS.has(parent.operator)) return state;
    if (isWriteTarget(member)) return state;
    const key = this.keys.of(member.object);
    if (key === undefined || !state.has(key)) return state;
    const info = this.services.ownerMember(member);
    if (!info?.roles.includes('rawHandle')) return state;
    if (this.services.typeOf(member).getCallSignatures().length > 0) return state; // the method itself, not the handle
    return this.use(member, key, info.owner, 'rawHandle', state);
  }

  /** `const { fd } = fh` reads the raw handle too. */
  private destructuredRawHandle(declarator: TSESTree.VariableDeclarator, state: Closed): Closed {
    if (declarator.id.type !== AST_NODE_TYPES.ObjectPattern || !declarator.init) return state;
    const key = this.keys.of(declarator.init);
    if (key === undefined || !state.has(key)) return state;
    const owner = this.services.ownerOf(declarator.init);
    for (const property of declarator.id.properties) {
      if (property.type !== AST_NODE_TYPES.Property || !owner) continue;
      const name = propertyKeyName(property.key, property.computed);
      if (this.services.model.hasRole(owner, 'rawHandle', name)) return this.use(property, key, owner, 'rawHandle', state);
    }
    return state;
  }

  private forgetThisIfPassed(call: CallLike, state: Closed): Closed {
    const passesThis = call.arguments.some(argument => skipWrappers(argument).type === AST_NODE_TYPES.ThisExpression);
    return passesThis ? forgetThisFields(state) : state;
  }

  private use(node: TSESTree.Node, key: Key, owner: Owner, kind: Finding['kind'], state: Closed): Closed {
    const closes = state.get(key)!;
    let finding = this.found.get(node);
    if (!finding) {
      finding = { node, key, kind, owner, closes: new Set() };
      this.found.set(node, finding);
    }
    for (const close of closes.keys()) finding.closes.add(close);
    return forget(state, [key]);
  }

  // ---------------------------------------------------------------------------------------
  // Liveness checks in conditions

  /**
   * `if (s.destroyed) return;`, `if (!fh.closed) …`, `s.destroyed === false`: on the branch where
   * the guard says "open", the owner is not closed. A check whose answer the rule cannot read
   * (`fh.fd !== -1`, a guard method's result) counts as open on both branches.
   */
  private refine(test: TSESTree.Expression, outcome: boolean, entry: State): State {
    const condition = this.conditions.of(test);
    // A branch the earlier tests rule out (`if (c) return; … if (c) …`): no close reaches it, and
    // the facts stay as they are, so that joining it changes nothing.
    if (condition && contradicts(entry.facts, condition, outcome)) return withClosed(entry, NONE_CLOSED);
    const state = condition
      ? { closed: withoutContradicted(entry.closed, condition, outcome), facts: assume(entry.facts, condition, outcome) }
      : entry;
    return withClosed(state, this.refineClosed(skipWrappers(test), outcome, state.closed));
  }

  private refineClosed(expression: TSESTree.Node, outcome: boolean, state: Closed): Closed {
    if (state.size === 0) return state;
    if (expression.type === AST_NODE_TYPES.BinaryExpression && COMPARISONS.has(expression.operator)) {
      return this.refineComparison(expression, outcome, state);
    }
    const probe = this.probe(expression);
    if (!probe) return state;
    return probe.flag && outcome ? state : forgetProbed(state, probe);
  }

  private refineComparison(test: TSESTree.BinaryExpression, outcome: boolean, state: Closed): Closed {
    for (const { side, truth } of comparedOperands(test, outcome)) {
      const probe = this.probe(skipWrappers(side));
      if (!probe) continue;
      if (probe.flag && truth !== undefined) return truth ? state : forgetProbed(state, probe);
      return forgetProbed(state, probe);
    }
    return state;
  }

  /**
   * What a condition operand says about liveness: a guard flag of an owner that may be closed
   * (`flag`: true when closed), or another look at its liveness (a guard method's result, its raw
   * handle). A guard of `this` (an owner class's `closed`) speaks for all its fields.
   */
  private probe(expression: TSESTree.Node): Probe | undefined {
    const called = expression.type === AST_NODE_TYPES.CallExpression;
    const target = called ? skipWrappers(expression.callee) : expression;
    if (target.type !== AST_NODE_TYPES.MemberExpression) return undefined;
    const object = skipWrappers(target.object);
    if (object.type === AST_NODE_TYPES.ThisExpression) {
      const owner = this.services.ownerOf(object);
      if (!owner || !this.services.model.hasRole(owner, 'guard', memberNameOf(target))) return undefined;
      return { keys: 'this', flag: !called };
    }
    const key = this.keys.of(object);
    if (key === undefined) return undefined;
    const info = this.services.ownerMember(target);
    if (!info) return undefined;
    if (info.roles.includes('guard')) return { keys: [key], flag: !called };
    return !called && info.roles.includes('rawHandle') ? { keys: [key], flag: false } : undefined;
  }
}
