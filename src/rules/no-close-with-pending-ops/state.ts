// no-close-with-pending-ops: the flow state (which operations may be pending at a program point,
// and how: one Fact per kind of path) and its operations: join, compare, start records, map
// facts, and how a `catch`/`finally` takes in the facts that reach it.
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { contains } from '../../model/util.js';
import { PersistentMap } from '../../util/persistentMap.js';
import type { OpRecord } from './records.js';

/**
 * One way a record may be pending at a program point (its status is the set of them, one per
 * kind of path that got there). The flow engine sends the state after every call, `new`,
 * `await`, `yield` and statement in a `try` block, and the state on entering it, to its
 * `catch`/`finally`; only some of those nodes really throw on their own. So a fact remembers
 * the last such node it passed (`armedAt`), and a `catch`/`finally` takes in only the facts
 * that got there by a real throw from its `try` (a synchronous throw of the call that starts an
 * operation means it never started), by a `return`, or (a `finally`) by normal completion.
 */
export interface Fact {
  /** Pending on the path that goes on normally; false for the promises of an `await Promise.all(…)` (pending only if it throws). */
  readonly normal: boolean;
  /** Where the fact arose: the operation's call, that await, the function (class clause), or the `catch`/`finally` that took it in. */
  readonly since: TSESTree.Node;
  /** The last node passed while pending that may throw on its own. */
  readonly armedAt: TSESTree.Node | undefined;
  /** On its way out through a `return` (a `finally` runs first). */
  readonly returning: boolean;
  /** The `finally` it is going to after its `try` block or `catch` body completed normally. */
  readonly exitingTo: TSESTree.BlockStatement | undefined;
}

export type Status = readonly Fact[];

/**
 * The operations that may be pending, with how: a persistent map, so that a node costs what it
 * changes (a copy of every pending record at every operation, await and call was quadratic in a
 * function with many operations pending at once).
 */
export type State = PersistentMap<OpRecord, Status>;

/** Where a node sits in a `catch` (`handler` is the catch clause) or a `finally` (the block), and the `try` around it. */
export interface HandlerSite {
  readonly handler: TSESTree.CatchClause | TSESTree.BlockStatement;
  readonly statement: TSESTree.TryStatement;
  readonly isFinally: boolean;
}

/** The `catch` clauses and `finally` blocks around a node, innermost first, up to the function `fn`. */
export function findSites(node: TSESTree.Node, fn: TSESTree.Node): HandlerSite[] {
  const sites: HandlerSite[] = [];
  for (let child = node, parent = node.parent; parent && child !== fn; child = parent, parent = parent.parent) {
    if (parent.type === AST_NODE_TYPES.TryStatement && child === parent.finalizer) {
      sites.push({ handler: parent.finalizer, statement: parent, isFinally: true });
    } else if (parent.type === AST_NODE_TYPES.CatchClause) {
      sites.push({ handler: parent, statement: parent.parent, isFinally: false });
    }
  }
  return sites;
}

/** A `try` block or `catch` body, which completes normally here: its `try` statement (and `finally`, if any). */
export function normalExitOf(node: TSESTree.Node): TSESTree.TryStatement | undefined {
  const parent = node.parent;
  if (parent?.type === AST_NODE_TYPES.TryStatement && parent.block === node) return parent;
  if (parent?.type === AST_NODE_TYPES.CatchClause && parent.body === node) return parent.parent;
  return undefined;
}

/** Whether the fact comes into the `catch`/`finally` from outside (it arose and was last armed elsewhere). */
export function arrives(fact: Fact, site: HandlerSite): boolean {
  return !contains(site.handler, fact.since) && !(fact.armedAt !== undefined && contains(site.handler, fact.armedAt));
}

/**
 * A fact coming into a `catch`/`finally`: kept (as pending from here on) when it got there by a
 * throw of a node of the `try` that may throw on its own, or, for a `finally`, by a `return` or
 * the normal completion of the `try` block or `catch` body; dropped when only a throw that does
 * not happen (or a synchronous throw of the call that starts the operation) could bring it.
 */
export function takeIn(fact: Fact, site: HandlerSite): Fact | undefined {
  const thrown = fact.armedAt !== undefined && throwsTo(site, fact.armedAt);
  const kept = thrown || (site.isFinally && (fact.returning || fact.exitingTo === site.handler));
  return kept ? { ...fact, normal: true, since: site.handler, exitingTo: undefined } : undefined;
}

/** Whether a throw at `node` goes to the site: from the `try` block to its `catch`; from the block or the `catch` to the `finally`. */
function throwsTo(site: HandlerSite, node: TSESTree.Node): boolean {
  const { statement } = site;
  return site.isFinally ? contains(statement, node) && !contains(site.handler, node) : contains(statement.block, node);
}

/** The promises of an `await Promise.all(…)` that completed normally are settled once control moves past it. */
export function joinedFactAt(fact: Fact, node: TSESTree.Node, leaves: boolean): Fact | undefined {
  return contains(node, fact.since) && !leaves ? fact : undefined;
}

export function joinedFact(await_: TSESTree.AwaitExpression): Fact {
  return { normal: false, since: await_, armedAt: await_, returning: false, exitingTo: undefined };
}

/** Adds the facts of the records that start at `anchor` (an operation started again in a loop keeps what the previous one had). */
export function startRecords(state: State, records: readonly OpRecord[], anchor: TSESTree.Node): State {
  let next = state;
  for (const record of records) {
    const fact: Fact =
      record.startsAs === 'joined' && anchor.type === AST_NODE_TYPES.AwaitExpression
        ? joinedFact(anchor)
        : { normal: true, since: record.call, armedAt: undefined, returning: false, exitingTo: undefined };
    next = next.set(record, joinStatus(next.get(record) ?? [], [fact]));
  }
  return next;
}

/** Applies `change` to every fact (undefined drops it; a record with no fact left is not pending). */
export function mapFacts(state: State, change: (fact: Fact) => Fact | undefined): State {
  let next = state;
  for (const [record, status] of state) {
    let changed = false;
    const facts: Fact[] = [];
    for (const fact of status) {
      const result = change(fact);
      if (result !== fact) changed = true;
      if (result && !facts.some(other => sameFact(other, result))) facts.push(result);
    }
    if (!changed) continue;
    next = facts.length === 0 ? next.delete(record) : next.set(record, facts);
  }
  return next;
}

/** The state without `records` (those it does not hold cost a lookup). */
export function dropRecords(state: State, records: Iterable<OpRecord>): State {
  return state.size === 0 ? state : state.deleteAll(records);
}

export function joinStates(a: State, b: State): State {
  return a.merge(b, joinStatus);
}

function joinStatus(a: Status, b: Status): Status {
  if (a === b) return a;
  const extra = b.filter(fact => !a.some(other => sameFact(other, fact)));
  return extra.length === 0 ? a : [...a, ...extra];
}

function sameFact(a: Fact, b: Fact): boolean {
  return (
    a === b ||
    (a.normal === b.normal && a.since === b.since && a.armedAt === b.armedAt && a.returning === b.returning && a.exitingTo === b.exitingTo)
  );
}

export function sameStates(a: State, b: State): boolean {
  return a.equals(b, sameStatus);
}

function sameStatus(a: Status, b: Status): boolean {
  return a === b || (a.length === b.length && a.every(fact => b.some(candidate => sameFact(candidate, fact))));
}
