// The flow facts of no-unguarded-raw-handle (see HolderFlow.flowOf): an immutable set of fact
// strings that shares structure with the sets it was made from, plus the defs an await must
// still look at. A long async function keeps many raw values live across many awaits; a copied
// Set per edit, and a walk of every live def at every await, made it quadratic.
import { PersistentMap } from '../../util/persistentMap.js';

const TRUE = (): true => true;
const same = (): boolean => true;

export class Facts implements Iterable<string> {
  static readonly EMPTY = new Facts(PersistentMap.empty(), PersistentMap.empty());

  private constructor(
    private readonly facts: PersistentMap<string, true>,
    /**
     * Defs (by index) that an await may still change: live, and not yet known to have crossed
     * every kind of await they can (see `HolderFlow.suspend`). A superset is harmless: an await
     * drops the defs it finds nothing to do for.
     */
    private readonly pendingDefs: PersistentMap<number, true>,
  ) {}

  static of(facts: Iterable<string>): Facts {
    return new Facts(PersistentMap.of([...facts].map(fact => [fact, true] as const)), PersistentMap.empty());
  }

  get size(): number {
    return this.facts.size;
  }

  has(fact: string): boolean {
    return this.facts.has(fact);
  }

  *[Symbol.iterator](): Iterator<string> {
    for (const [fact] of this.facts) yield fact;
  }

  /** The defs an await may still change (indices). */
  *pending(): Iterable<number> {
    for (const [index] of this.pendingDefs) yield index;
  }

  add(fact: string): Facts {
    return this.facts.has(fact) ? this : new Facts(this.facts.set(fact, true), this.pendingDefs);
  }

  delete(fact: string): Facts {
    return this.facts.has(fact) ? new Facts(this.facts.delete(fact), this.pendingDefs) : this;
  }

  withPending(index: number, pending: boolean): Facts {
    if (this.pendingDefs.has(index) === pending) return this;
    return new Facts(this.facts, pending ? this.pendingDefs.set(index, true) : this.pendingDefs.delete(index));
  }

  /** The union of both (pending defs included). */
  union(other: Facts): Facts {
    if (other === this || (other.facts.size === 0 && other.pendingDefs.size === 0)) return this;
    const facts = this.facts.merge(other.facts, TRUE);
    const pendingDefs = this.pendingDefs.merge(other.pendingDefs, TRUE);
    return facts === this.facts && pendingDefs === this.pendingDefs ? this : new Facts(facts, pendingDefs);
  }

  /** Same facts (the pending defs follow from them, up to defs an await would drop). */
  equals(other: Facts): boolean {
    return this === other || (this.facts.size === other.facts.size && this.facts.equals(other.facts, same));
  }
}
