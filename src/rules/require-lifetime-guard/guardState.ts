import { PersistentMap } from '../../util/persistentMap.js';
import type { Origin, OriginSet } from './findings.js';

/**
 * The flow state of require-lifetime-guard: which resource fields may be unguarded, each with the
 * awaits (or callback starts) it is unguarded since. An await unguards every field of the class:
 * rewriting each field's entry there cost the number of fields at every await, and joining such
 * states at every `?.` cost it again (n fields × n awaits). Here an await makes a state of one
 * `base` (the origins every field has) and nothing else; the fields guarded since then and those
 * whose origins differ from `base` are persistent maps, so a use costs O(log n) and a join of two
 * states that split from one another costs what differs. A join of states whose bases differ
 * (after different awaits) still goes field by field, over the fields either state lists (those
 * used or guarded since its await), not over the class's fields.
 *
 * Only the class's resource and raw fields are ever asked about, and `base` applies to each of them.
 */

/**
 * A set of origins, persistent: joined after each of n awaits (`if (c) await …`, the returns that
 * meet in a `finally` or at the function's exit), a base grows to n origins, and copying a `Set`
 * at each join cost n × n; a union here costs what the two sets do not share.
 */
export class Origins implements OriginSet {
  static readonly none = new Origins(PersistentMap.empty());

  private constructor(private readonly members: PersistentMap<Origin, true>) {}

  static of(origin: Origin): Origins {
    return new Origins(PersistentMap.empty<Origin, true>().set(origin, true));
  }

  get size(): number {
    return this.members.size;
  }

  has(origin: Origin): boolean {
    return this.members.has(origin);
  }

  /** Both sets' origins (one of them when it holds the other). */
  union(other: Origins): Origins {
    if (this === other || other.size === 0) return this;
    if (this.size === 0) return other;
    const members = this.members.merge(other.members, keepMine);
    // The union holds both: as large as one of them, it is that one.
    if (members.size === this.size) return this;
    if (members.size === other.size) return other;
    return new Origins(members);
  }

  equals(other: Origins): boolean {
    return this === other || (this.size === other.size && this.members.equals(other.members, () => true));
  }

  [Symbol.iterator](): IterableIterator<Origin> {
    return this.members.keys();
  }
}

function keepMine(mine: true): true {
  return mine;
}

const NO_ORIGINS = Origins.none;
const NO_FIELDS = PersistentMap.empty<string, true>();
const NO_EXTRA = PersistentMap.empty<string, Origins>();

export class GuardState {
  static readonly empty = new GuardState(NO_ORIGINS, NO_FIELDS, NO_EXTRA);

  /**
   * @param base the origins of every field not in `guarded` or `extra` (none: those fields are guarded)
   * @param guarded fields guarded though `base` has origins (always empty when `base` is)
   * @param extra fields whose origins are neither `base` nor none (never empty sets)
   */
  private constructor(
    private readonly base: Origins,
    private readonly guarded: PersistentMap<string, true>,
    private readonly extra: PersistentMap<string, Origins>,
  ) {}

  /** Every field unguarded since `origin`, but `exempt`, which keeps what it had in `previous`. */
  static unguarded(origin: Origin, exempt: string | undefined, previous: GuardState): GuardState {
    const base = Origins.of(origin);
    if (exempt === undefined) return new GuardState(base, NO_FIELDS, NO_EXTRA);
    const kept = previous.get(exempt);
    return kept ? new GuardState(base, NO_FIELDS, NO_EXTRA.set(exempt, kept)) : new GuardState(base, NO_FIELDS.set(exempt, true), NO_EXTRA);
  }

  get isEmpty(): boolean {
    return this.base.size === 0 && this.extra.size === 0;
  }

  /** The origins a field is unguarded since, undefined when it is guarded. */
  get(field: string): Origins | undefined {
    const extra = this.extra.get(field);
    if (extra) return extra;
    return this.base.size === 0 || this.guarded.has(field) ? undefined : this.base;
  }

  has(field: string): boolean {
    return this.get(field) !== undefined;
  }

  /** The state with `field` guarded (this state when it is). */
  without(field: string): GuardState {
    if (!this.has(field)) return this;
    return new GuardState(this.base, this.base.size === 0 ? this.guarded : this.guarded.set(field, true), this.extra.delete(field));
  }

  /** Each field with the union of its origins in both states. */
  join(other: GuardState): GuardState {
    if (this === other || other.isEmpty) return this;
    if (this.isEmpty) return other;
    if (sameOrigins(this.base, other.base) && this.extra.size === 0 && other.extra.size === 0)
      return new GuardState(this.base, intersection(this.guarded, other.guarded), NO_EXTRA);
    const base = union(this.base, other.base);
    let guarded = NO_FIELDS;
    let extra = NO_EXTRA;
    const fields = new Set([...this.guarded.keys(), ...other.guarded.keys(), ...this.extra.keys(), ...other.extra.keys()]);
    for (const field of fields) {
      const origins = union(this.get(field) ?? NO_ORIGINS, other.get(field) ?? NO_ORIGINS);
      if (origins.size === 0) guarded = guarded.set(field, true);
      else if (!sameOrigins(origins, base)) extra = extra.set(field, origins);
    }
    return new GuardState(base, base.size === 0 ? NO_FIELDS : guarded, extra);
  }

  equals(other: GuardState): boolean {
    return (
      this === other ||
      (sameOrigins(this.base, other.base) && this.guarded.equals(other.guarded, () => true) && this.extra.equals(other.extra, sameOrigins))
    );
  }
}

function sameOrigins(a: Origins, b: Origins): boolean {
  return a.equals(b);
}

function union(a: Origins, b: Origins): Origins {
  return a.union(b);
}

/**
 * The fields in both sets. Two states that split from one another share all but their own
 * additions, and one usually holds the other's: that is found by a merge that visits only what differs.
 */
function intersection(a: PersistentMap<string, true>, b: PersistentMap<string, true>): PersistentMap<string, true> {
  const keep = (mine: true): true => mine;
  if (a.equals(b, () => true) || a.merge(b, keep).equals(a, () => true)) return b;
  if (b.merge(a, keep).equals(b, () => true)) return a;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  return small.filter((_, field) => large.has(field));
}
