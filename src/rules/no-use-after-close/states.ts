// The states of the flow analysis: which owners may be closed, by which close calls, under which
// facts of the tests on the way; their join, comparison and updates.

import { type TSESTree } from '@typescript-eslint/utils';
import {
  contradicts,
  meetFacts,
  NO_FACTS,
  sameFacts,
  withoutChanged,
  type Changed,
  type ConditionTest,
  type Facts,
} from '../../model/conditions.js';
import { type Key } from './keys.js';

/**
 * For each owner that may be closed here, the close calls that may have closed it, each with what
 * the tests on every path through that close said (and nothing changed since).
 */
export type Closed = ReadonlyMap<Key, ReadonlyMap<TSESTree.CallExpression, Facts>>;
/** The state of the flow analysis: the closed owners, and what the tests on the way here said. */
export interface State {
  readonly closed: Closed;
  readonly facts: Facts;
}

/**
 * A liveness check in a condition: of owners that may be closed (`keys`), or of `this` (an owner
 * class's guard, which speaks for all its fields); `flag` when it is a guard flag, true when closed.
 */
export interface Probe {
  readonly keys: readonly Key[] | 'this';
  readonly flag: boolean;
}

export const NONE_CLOSED: Closed = new Map();
export const EMPTY: State = { closed: NONE_CLOSED, facts: NO_FACTS };

export function joinStates(a: State, b: State): State {
  const facts = meetFacts(a.facts, b.facts);
  if (a.closed.size === 0 && facts === b.facts) return b;
  if (b.closed.size === 0 && facts === a.facts) return a;
  const joined = new Map(a.closed);
  for (const [key, closes] of b.closed) {
    const mine = joined.get(key);
    if (!mine) {
      joined.set(key, closes);
      continue;
    }
    const both = new Map(mine);
    for (const [close, closeFacts] of closes) {
      const other = both.get(close);
      both.set(close, other ? meetFacts(other, closeFacts) : closeFacts);
    }
    joined.set(key, both);
  }
  return { closed: joined, facts };
}

export function sameStates(a: State, b: State): boolean {
  if (!sameFacts(a.facts, b.facts) || a.closed.size !== b.closed.size) return false;
  for (const [key, closes] of a.closed) {
    const other = b.closed.get(key);
    if (other?.size !== closes.size) return false;
    for (const [close, facts] of closes) {
      const otherFacts = other.get(close);
      if (!otherFacts || !sameFacts(facts, otherFacts)) return false;
    }
  }
  return true;
}

/** The state with other closed owners (the same object when they did not change). */
export function withClosed(state: State, closed: Closed): State {
  return closed === state.closed ? state : { closed, facts: state.facts };
}

/** A close of the owner, made where the tests said `facts` (the latest close of it by the same call replaces the earlier). */
export function withClose(state: Closed, key: Key, close: TSESTree.CallExpression, facts: Facts): Closed {
  const next = new Map(state);
  next.set(key, new Map(state.get(key)).set(close, facts));
  return next;
}

/** The state without the facts a node changed, both on the path and under each close. */
export function withoutChangedFacts(state: State, changed: Changed): State {
  const facts = withoutChanged(state.facts, changed);
  let closed: Map<Key, ReadonlyMap<TSESTree.CallExpression, Facts>> | undefined;
  for (const [key, closes] of state.closed) {
    let kept: Map<TSESTree.CallExpression, Facts> | undefined;
    for (const [close, closeFacts] of closes) {
      const next = withoutChanged(closeFacts, changed);
      if (next === closeFacts) continue;
      kept ??= new Map(closes);
      kept.set(close, next);
    }
    if (!kept) continue;
    closed ??= new Map(state.closed);
    closed.set(key, kept);
  }
  return facts === state.facts && !closed ? state : { closed: closed ?? state.closed, facts };
}

/** Correlated conditions: the closes made where the tests said the test cannot have `outcome` are not on this branch. */
export function withoutContradicted(state: Closed, test: ConditionTest, outcome: boolean): Closed {
  let next: Map<Key, ReadonlyMap<TSESTree.CallExpression, Facts>> | undefined;
  for (const [key, closes] of state) {
    const kept = [...closes].filter(([, facts]) => !contradicts(facts, test, outcome));
    if (kept.length === closes.size) continue;
    next ??= new Map(state);
    if (kept.length === 0) next.delete(key);
    else next.set(key, new Map(kept));
  }
  return next ?? state;
}

export function forget(state: Closed, keys: readonly Key[]): Closed {
  if (!keys.some(key => state.has(key))) return state;
  const next = new Map(state);
  for (const key of keys) next.delete(key);
  return next;
}

/** On the branch where a liveness check says "open", the owners it checked are not closed. */
export function forgetProbed(state: Closed, probe: Probe): Closed {
  return probe.keys === 'this' ? forgetThisFields(state) : forget(state, probe.keys);
}

export function hasThisFields(state: Closed): boolean {
  return [...state.keys()].some(key => typeof key === 'string');
}

export function forgetThisFields(state: Closed): Closed {
  if (!hasThisFields(state)) return state;
  return new Map([...state].filter(([key]) => typeof key !== 'string'));
}

/** The state a throwing node sends on: without the closes made by the node itself (they did not happen). */
export function withoutClosesIn(node: TSESTree.Node, before: Closed, after: Closed): Closed {
  if (after === before || after.size === 0) return after;
  const inside = (close: TSESTree.CallExpression): boolean => close.range[0] >= node.range[0] && close.range[1] <= node.range[1];
  const next = new Map<Key, ReadonlyMap<TSESTree.CallExpression, Facts>>();
  for (const [key, closes] of after) {
    const earlier = before.get(key);
    const kept = new Map<TSESTree.CallExpression, Facts>();
    let same = true;
    for (const [close, facts] of closes) {
      const earlierFacts = inside(close) ? earlier?.get(close) : facts;
      if (earlierFacts !== undefined) kept.set(close, earlierFacts);
      same &&= earlierFacts === facts;
    }
    if (kept.size > 0) next.set(key, same ? closes : kept);
  }
  return next;
}
