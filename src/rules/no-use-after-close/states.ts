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
import { PersistentMap } from '../../util/persistentMap.js';
import { type Key } from './keys.js';

/** The close calls that may have closed one owner, each with what the tests on every path through it said (and nothing changed since). */
export type Closes = ReadonlyMap<TSESTree.CallExpression, Facts>;
/**
 * For each owner that may be closed here, its {@link Closes}. A persistent map: the states of
 * consecutive nodes share all but what changed between them, so a function that closes n owners
 * does not copy n entries at each close, and a join skips what both sides share.
 */
export type Closed = PersistentMap<Key, Closes>;
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

export const NONE_CLOSED: Closed = PersistentMap.empty();
export const EMPTY: State = { closed: NONE_CLOSED, facts: NO_FACTS };

export function joinStates(a: State, b: State): State {
  const facts = meetFacts(a.facts, b.facts);
  if (a.closed.size === 0 && facts === b.facts) return b;
  if (b.closed.size === 0 && facts === a.facts) return a;
  const closed = withinFactBudget(a.closed.merge(b.closed, joinCloses));
  return closed === a.closed && facts === a.facts ? a : closed === b.closed && facts === b.facts ? b : { closed, facts };
}

/** Both sides' closes of one owner, the facts of a close in both met (one side itself when it holds the other). */
function joinCloses(mine: Closes, theirs: Closes): Closes {
  if (mine === theirs) return mine;
  let joined: Map<TSESTree.CallExpression, Facts> | undefined;
  for (const [close, closeFacts] of theirs) {
    const other = (joined ?? mine).get(close);
    const met = other ? meetFacts(other, closeFacts) : closeFacts;
    if (met === other) continue;
    joined ??= new Map(mine);
    joined.set(close, met);
  }
  if (!joined) return mine;
  joined = earliest(joined);
  return sameCloses(joined, mine) ? mine : sameCloses(joined, theirs) ? theirs : joined;
}

export function sameStates(a: State, b: State): boolean {
  return sameFacts(a.facts, b.facts) && a.closed.equals(b.closed, sameCloses);
}

function sameCloses(a: Closes, b: Closes): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const [close, facts] of a) {
    const otherFacts = b.get(close);
    if (!otherFacts || !sameFacts(facts, otherFacts)) return false;
  }
  return true;
}

/** The state with other closed owners (the same object when they did not change). */
export function withClosed(state: State, closed: Closed): State {
  return closed === state.closed ? state : { closed, facts: state.facts };
}

/**
 * The most closes of one owner a state remembers: the earliest in the source. A finding names
 * the first close and offers its suggestion only when there is one, which a cap of two or more
 * keeps; past it a later close is let go (so a use may go unreported, never the reverse), and an
 * owner closed at n places on joined paths costs no more than this at each close and join.
 */
export const MAX_CLOSES = 16;

/**
 * The most owners a state keeps closed under some fact of the tests on the way (`if (!done)
 * fh.close()`). Every node that may change a tested value re-reads those facts, so n of them
 * would cost n at each node; past the budget the owners whose latest close came first are let go
 * (a later use of one may go unreported, never the reverse). Closes under no fact cost nothing
 * there and are not counted.
 */
export const MAX_OWNERS_WITH_FACTS = 32;

/** A close of the owner, made where the tests said `facts` (the latest close of it by the same call replaces the earlier). */
export function withClose(state: Closed, key: Key, close: TSESTree.CallExpression, facts: Facts): Closed {
  const closes = state.get(key);
  if (closes && closes.size >= MAX_CLOSES && !closes.has(close)) {
    return state.set(key, earliest(new Map(closes).set(close, facts)));
  }
  const next = state.set(key, new Map(closes).set(close, facts));
  return facts.size > 0 ? withinFactBudget(next) : next;
}

/** The state without the owners over {@link MAX_OWNERS_WITH_FACTS}, those whose latest close came first. */
function withinFactBudget(closed: Closed): Closed {
  const count = closed.count(hasFacts);
  if (count <= MAX_OWNERS_WITH_FACTS) return closed;
  const byLatestClose = [...closed.entriesWhere(hasFacts)]
    .map(([key, closes]) => ({ key, latest: Math.max(...[...closes.keys()].map(close => close.range[0])) }))
    .sort((a, b) => a.latest - b.latest);
  return closed.deleteAll(byLatestClose.slice(0, count - MAX_OWNERS_WITH_FACTS).map(entry => entry.key));
}

/** The {@link MAX_CLOSES} earliest closes in the source (the map itself when it has no more). */
function earliest(closes: Map<TSESTree.CallExpression, Facts>): Map<TSESTree.CallExpression, Facts> {
  if (closes.size <= MAX_CLOSES) return closes;
  return new Map([...closes].sort(([a], [b]) => a.range[0] - b.range[0]).slice(0, MAX_CLOSES));
}

/** The state without the facts a node changed, both on the path and under each close. */
export function withoutChangedFacts(state: State, changed: Changed): State {
  const facts = withoutChanged(state.facts, changed);
  let closed = state.closed;
  // Only closes made under some fact can change (most are not): those the map finds without a scan.
  for (const [key, closes] of state.closed.entriesWhere(hasFacts)) {
    let kept: Map<TSESTree.CallExpression, Facts> | undefined;
    for (const [close, closeFacts] of closes) {
      const next = withoutChanged(closeFacts, changed);
      if (next === closeFacts) continue;
      kept ??= new Map(closes);
      kept.set(close, next);
    }
    if (kept) closed = closed.set(key, kept);
  }
  return facts === state.facts && closed === state.closed ? state : { closed, facts };
}

/** Correlated conditions: the closes made where the tests said the test cannot have `outcome` are not on this branch. */
export function withoutContradicted(state: Closed, test: ConditionTest, outcome: boolean): Closed {
  let next = state;
  // A close made under no fact contradicts nothing.
  for (const [key, closes] of state.entriesWhere(hasFacts)) {
    const kept = [...closes].filter(([, facts]) => !contradicts(facts, test, outcome));
    if (kept.length === closes.size) continue;
    next = kept.length === 0 ? next.delete(key) : next.set(key, new Map(kept));
  }
  return next;
}

/** Whether some close of the owner was made under a fact. */
function hasFacts(closes: Closes): boolean {
  for (const facts of closes.values()) if (facts.size > 0) return true;
  return false;
}

export function forget(state: Closed, keys: readonly Key[]): Closed {
  return state.deleteAll(keys);
}

/** On the branch where a liveness check says "open", the owners it checked are not closed. */
export function forgetProbed(state: Closed, probe: Probe): Closed {
  return probe.keys === 'this' ? forgetThisFields(state) : forget(state, probe.keys);
}

export function hasThisFields(state: Closed): boolean {
  return state.some(isThisField);
}

function isThisField(_closes: Closes, key: Key): boolean {
  return typeof key === 'string';
}

export function forgetThisFields(state: Closed): Closed {
  return state.deleteWhere(isThisField);
}

/**
 * The state a throwing node sends on: without the closes made by the node itself (they did not
 * happen). `keys`: the owners those closes close (only their entries can differ).
 */
export function withoutClosesIn(node: TSESTree.Node, keys: Iterable<Key>, before: Closed, after: Closed): Closed {
  if (after === before || after.size === 0) return after;
  const inside = (close: TSESTree.CallExpression): boolean => close.range[0] >= node.range[0] && close.range[1] <= node.range[1];
  let next = after;
  for (const key of keys) {
    const closes = after.get(key);
    if (!closes) continue;
    const earlier = before.get(key);
    const kept = new Map<TSESTree.CallExpression, Facts>();
    let same = true;
    for (const [close, facts] of closes) {
      const earlierFacts = inside(close) ? earlier?.get(close) : facts;
      if (earlierFacts !== undefined) kept.set(close, earlierFacts);
      same &&= earlierFacts === facts;
    }
    if (!same) next = kept.size > 0 ? next.set(key, kept) : next.delete(key);
  }
  return next;
}
