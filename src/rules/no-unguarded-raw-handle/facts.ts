// The flow facts of no-unguarded-raw-handle (see HolderFlow.flowOf): an immutable set of fact
// strings that shares structure with the sets it was made from, plus the defs an await must
// still look at. A long async function keeps many raw values live across many awaits; a copied
// Set per edit, and a walk of every live def at every await, made it quadratic. The live defs are
// also kept by variable: a write of a variable written n times looked at all its n defs.
import { PersistentMap } from '../../util/persistentMap.js';

const TRUE = (): true => true;
const same = (): boolean => true;

const NO_DEFS = PersistentMap.empty<number, true>();

export class Facts implements Iterable<string> {
  static readonly EMPTY = new Facts(PersistentMap.empty(), PersistentMap.empty(), PersistentMap.empty());

  private constructor(
    private readonly facts: PersistentMap<string, true>,
    /**
     * Defs (by index) that an await may still change: live, and not yet known to have crossed
     * every kind of await they can (see `HolderFlow.suspend`). A superset is harmless: an await
     * drops the defs it finds nothing to do for.
     */
    private readonly pendingDefs: PersistentMap<number, true>,
    /** Per variable, the defs (by index) {@link addLive} said may hold it: those with an `L` fact. */
    private readonly live: PersistentMap<object, PersistentMap<number, true>>,
  ) {}

  get size(): number {
    return this.facts.size;
  }

  has(fact: string): boolean {
    return this.facts.has(fact);
  }

  *[Symbol.iterator](): Iterator<string> {
    for (const [fact] of this.facts) yield fact;
  }

  /** The defs an await may still change (indices; an array, not a generator: asked at every await). */
  pending(): number[] {
    return this.pendingDefs.keyList();
  }

  /** The defs of `variable` that may hold it here (indices, unordered; an array, as {@link pending}). */
  liveOf(variable: object): number[] {
    return (this.live.get(variable) ?? NO_DEFS).keyList();
  }

  add(fact: string): Facts {
    return this.facts.has(fact) ? this : new Facts(this.facts.set(fact, true), this.pendingDefs, this.live);
  }

  delete(fact: string): Facts {
    return this.facts.has(fact) ? new Facts(this.facts.delete(fact), this.pendingDefs, this.live) : this;
  }

  withPending(index: number, pending: boolean): Facts {
    if (this.pendingDefs.has(index) === pending) return this;
    return new Facts(this.facts, pending ? this.pendingDefs.set(index, true) : this.pendingDefs.delete(index), this.live);
  }

  /** Def `index` may hold `variable` (its `L` fact is the caller's to add). */
  addLive(variable: object, index: number): Facts {
    const defs = this.live.get(variable) ?? NO_DEFS;
    return defs.has(index) ? this : new Facts(this.facts, this.pendingDefs, this.live.set(variable, defs.set(index, true)));
  }

  /** Def `index` no longer holds `variable` (its facts are the caller's to delete). */
  removeLive(variable: object, index: number): Facts {
    const defs = this.live.get(variable);
    if (!defs?.has(index)) return this;
    const rest = defs.delete(index);
    return new Facts(this.facts, this.pendingDefs, rest.size === 0 ? this.live.delete(variable) : this.live.set(variable, rest));
  }

  /** No def holds `variable` any more (their facts are the caller's to delete). */
  clearLive(variable: object): Facts {
    return this.live.has(variable) ? new Facts(this.facts, this.pendingDefs, this.live.delete(variable)) : this;
  }

  /** The union of both (pending defs included). */
  union(other: Facts): Facts {
    if (other === this || (other.facts.size === 0 && other.pendingDefs.size === 0 && other.live.size === 0)) return this;
    const facts = this.facts.merge(other.facts, TRUE);
    const pendingDefs = this.pendingDefs.merge(other.pendingDefs, TRUE);
    const live = this.live.merge(other.live, (mine, theirs) => mine.merge(theirs, TRUE));
    return facts === this.facts && pendingDefs === this.pendingDefs && live === this.live ? this : new Facts(facts, pendingDefs, live);
  }

  /** Same facts (the pending defs follow from them, up to defs an await would drop). */
  equals(other: Facts): boolean {
    return this === other || (this.facts.size === other.facts.size && this.facts.equals(other.facts, same));
  }
}
