// no-close-with-pending-ops: the data-flow analysis of one function (for model/flow.ts), which
// carries the pending operations through calls, awaits, writes, `catch`/`finally` and tests, and
// tells the Analyzer of each close that finds some pending.
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import type { FlowAnalysis } from '../../model/flow.js';
import { calleeMember, memberNameOf } from '../../model/index.js';
import { isFunction, isNullish, skipWrappers, some } from '../../util/ast.js';
import type { References } from '../../model/references.js';
import { PersistentMap } from '../../util/persistentMap.js';
import { contains } from '../../model/util.js';
import type { Analyzer } from './analysis.js';
import type { FunctionInfo } from './collector.js';
import { awaitedHolders, isAwaited, isReturnArgument, settleEffect, strongestSettle, type Via } from './promises.js';
import type { MethodSummary, OpRecord } from './records.js';
import {
  arrives,
  dropRecords,
  findSites,
  joinStates,
  joinedFact,
  joinedFactAt,
  mapFacts,
  normalExitOf,
  sameStates,
  startRecords,
  takeIn,
  type Fact,
  type HandlerSite,
  type State,
} from './state.js';

/** The data-flow analysis of one function: which operations may be pending at each close. */
export class PendingFlow {
  private readonly awaits = new Map<TSESTree.AwaitExpression, ReadonlyMap<string, readonly Via[]>>();
  private readonly sites = new Map<TSESTree.Node, readonly HandlerSite[]>();
  private moves: boolean | undefined;
  /**
   * The function's records by owner key, by every key their owner is within (`this.a` for
   * `this.a.b`), by holder and by controller key: a close, write, await or abort looks up the
   * records it can affect instead of testing every pending one.
   */
  private readonly byOwner = new Map<string, OpRecord[]>();
  private readonly byOwnerBase = new Map<string, OpRecord[]>();
  private readonly byHolder = new Map<string, OpRecord[]>();
  private readonly byController = new Map<string, OpRecord[]>();

  constructor(
    private readonly analyzer: Analyzer,
    private readonly info: FunctionInfo,
    private readonly anchors: ReadonlyMap<TSESTree.Node, readonly OpRecord[]>,
  ) {
    for (const record of [...info.initial, ...[...anchors.values()].flat()]) this.index(record);
  }

  private index(record: OpRecord): void {
    const add = (map: Map<string, OpRecord[]>, key: string): void => {
      const list = map.get(key);
      if (!list) map.set(key, [record]);
      else if (!list.includes(record)) list.push(record);
    };
    const owner = record.ownerKey;
    add(this.byOwner, owner);
    add(this.byOwnerBase, owner);
    // The bases `isWithinKey(owner, base)` accepts: the key cut before each `.` or `[`.
    for (let at = 1; at < owner.length; at++) if (owner[at] === '.' || owner[at] === '[') add(this.byOwnerBase, owner.slice(0, at));
    if (record.holder !== undefined) add(this.byHolder, record.holder);
    for (const controller of record.controllers) for (const key of controller.keys) add(this.byController, key);
  }

  /** The records of `index` under each of `keys`. */
  private static under(index: ReadonlyMap<string, readonly OpRecord[]>, keys: Iterable<string>): OpRecord[] {
    const records: OpRecord[] = [];
    for (const key of keys) records.push(...(index.get(key) ?? []));
    return records;
  }

  analysis(): FlowAnalysis<State> {
    const fact: Fact = { normal: true, since: this.info.node, armedAt: undefined, returning: false, exitingTo: undefined };
    return {
      initial: PersistentMap.of(this.info.initial.map(record => [record, [fact]])),
      join: joinStates,
      equals: sameStates,
      transfer: (node, state) => this.transfer(node, state),
      refine: (test, outcome, state) => this.refine(test, outcome, state),
      // The findings are made by the transfer; the states at the nodes and at the exit are never asked for.
      records: () => false,
      exit: false,
    };
  }

  private get keys(): References {
    return this.analyzer.references;
  }

  /**
   * Whether passing a node can change a fact: not in a function with no `try` and no joined
   * records, where where a fact arose and what armed it are never read (a map of every pending
   * fact at every node was quadratic in a long function with many operations pending).
   */
  private get factsMove(): boolean {
    this.moves ??=
      some(this.info.node, this.analyzer.visitorKeys, node => node.type === AST_NODE_TYPES.TryStatement, {
        skip: node => node !== this.info.node && isFunction(node),
      }) || [...this.anchors.values()].some(records => records.some(record => record.startsAs === 'joined'));
    return this.moves;
  }

  private transfer(node: TSESTree.Node, state: State): State {
    let next = state.size === 0 || !this.factsMove ? state : this.passFacts(node, state);
    if (node.type === AST_NODE_TYPES.VariableDeclarator) next = this.reassigned(next, this.keys.writtenKeys(node.id));
    else if (node.type === AST_NODE_TYPES.AssignmentExpression) next = this.reassigned(next, this.keys.writtenKeys(node.left));
    const started = this.anchors.get(node);
    if (started) next = startRecords(next, started, node);
    if (isReturnArgument(node)) next = mapFacts(next, fact => (fact.normal ? { ...fact, returning: true } : fact));
    if (node.type === AST_NODE_TYPES.AwaitExpression) next = this.awaitEffect(node, next);
    if (node.type === AST_NODE_TYPES.CallExpression) next = this.callEffect(node, next);
    return next;
  }

  /** How every fact fares at `node`: taken in (or not) by a `catch`/`finally`, armed by a node that may throw, … */
  private passFacts(node: TSESTree.Node, state: State): State {
    const sites = this.sitesOf(node);
    const site = sites[0];
    const throws = this.analyzer.mayThrow(node);
    const exit = normalExitOf(node);
    return mapFacts(state, fact => {
      const entered = site && arrives(fact, site) ? takeIn(fact, site) : fact;
      if (!entered) return undefined;
      if (!entered.normal) return joinedFactAt(entered, node, throws || exit !== undefined);
      const armed = throws && entered.armedAt !== node ? { ...entered, armedAt: node } : entered;
      const exiting = exit?.finalizer && armed.exitingTo !== exit.finalizer ? { ...armed, exitingTo: exit.finalizer } : armed;
      return this.placed(exiting, sites);
    });
  }

  /**
   * Where a pending fact arose matters only as the `catch`/`finally` it arose in (a handler does
   * not take in again what arose inside it), and only while control is still inside that
   * handler: so `since` becomes the innermost handler around `node` that holds it, or the
   * function (which keeps the facts of one record from multiplying along the function).
   */
  private placed(fact: Fact, sites: readonly HandlerSite[]): Fact {
    const since = sites.find(site => contains(site.handler, fact.since))?.handler ?? this.info.node;
    return since === fact.since ? fact : { ...fact, since };
  }

  /** The `catch` clauses and `finally` blocks around a node in this function, innermost first. */
  private sitesOf(node: TSESTree.Node): readonly HandlerSite[] {
    let sites = this.sites.get(node);
    if (!sites) {
      sites = findSites(node, this.info.node);
      this.sites.set(node, sites);
    }
    return sites;
  }

  /**
   * `await p` (also `p.catch(…)`, `Promise.allSettled([p, …])`) settles what `p` holds on both
   * edges; `await Promise.all([p, q])` only when it completes normally (see Join). An await
   * that only mentions `p` (`Promise.race([p, timeout])`) leaves it pending.
   */
  private awaitEffect(node: TSESTree.AwaitExpression, state: State): State {
    if (state.size === 0) return state;
    let holders = this.awaits.get(node);
    if (!holders) {
      holders = awaitedHolders(node.argument, this.keys);
      this.awaits.set(node, holders);
    }
    let next = state;
    for (const [holder, vias] of holders) {
      for (const record of this.byHolder.get(holder) ?? []) {
        if (!state.has(record)) continue;
        const effect = strongestSettle(vias.map(via => settleEffect(record, via)));
        if (effect === 'settled') next = next.delete(record);
        else if (effect !== 'none') next = next.set(record, [joinedFact(node)]);
      }
    }
    return next;
  }

  /** An owner variable or field that gets a new value no longer has the old one's operations. */
  private reassigned(state: State, keys: readonly (string | undefined)[]): State {
    const defined = keys.filter((key): key is string => key !== undefined);
    if (defined.length === 0 || state.size === 0) return state;
    return dropRecords(state, PendingFlow.under(this.byOwnerBase, defined));
  }

  private callEffect(call: TSESTree.CallExpression, state: State): State {
    if (state.size === 0) return state;
    let next = state;
    const kind = this.analyzer.kindOf(call);
    if (kind?.kind === 'close') {
      const owned = this.byOwner.get(kind.key) ?? [];
      const pending = owned.filter(record => next.get(record)?.some(fact => fact.normal));
      if (pending.length > 0) this.analyzer.addFinding(call, kind, this.info, pending);
      next = dropRecords(next, owned);
    } else if (kind?.kind === 'cancel') {
      next = dropRecords(next, this.byOwner.get(kind.key) ?? []);
    }
    const member = calleeMember(call);
    if (member && memberNameOf(member) === 'abort') {
      const key = this.keys.keyOf(member.object);
      if (key !== undefined) next = dropRecords(next, this.byController.get(key) ?? []);
    }
    const method = this.analyzer.methodOf(this.info, call);
    if (method) next = this.methodEffect(call, this.analyzer.summaryOf(method), next);
    return next;
  }

  private methodEffect(call: TSESTree.CallExpression, summary: MethodSummary, state: State): State {
    const dropped = [...PendingFlow.under(this.byOwner, summary.cancels), ...PendingFlow.under(this.byController, summary.aborts)];
    if (isAwaited(call)) dropped.push(...PendingFlow.under(this.byHolder, summary.settles));
    return dropRecords(state, dropped);
  }

  /** `if (this.pending) await this.pending;`: on the branch where the holder is empty, nothing it held is pending. */
  private refine(test: TSESTree.Expression, outcome: boolean, state: State): State {
    if (state.size === 0) return state;
    const held = this.holderTest(test);
    if (!held || outcome === held.presentWhen) return state;
    return dropRecords(state, this.byHolder.get(held.key) ?? []);
  }

  private holderTest(test: TSESTree.Expression): { key: string; presentWhen: boolean } | undefined {
    const expression = skipWrappers(test);
    if (expression.type === AST_NODE_TYPES.BinaryExpression && ['===', '!==', '==', '!='].includes(expression.operator)) {
      const [other, nullish] = isNullish(expression.right) ? [expression.left, true] : [expression.right, isNullish(expression.left)];
      const key = nullish && other.type !== AST_NODE_TYPES.PrivateIdentifier ? this.keys.keyOf(other) : undefined;
      return key === undefined ? undefined : { key, presentWhen: expression.operator.startsWith('!') };
    }
    const key = this.keys.keyOf(expression);
    return key === undefined ? undefined : { key, presentWhen: true };
  }
}
