/**
 * A persistent (immutable) hash map: `set` and `delete` return a new map that shares all but the
 * O(log n) nodes on the changed key's path with the old one, which stays as it was. A flow
 * analysis that copied a `Map` at every change paid the number of entries each time, quadratic in
 * a function that adds one entry per statement.
 *
 * A hash array mapped trie: 32-way branches indexed by five bits of the key's hash at a time,
 * entries in leaves (more than one only when whole hashes collide). Keys are compared with `===`;
 * an object's hash is a number it is given the first time it is seen, a string's is computed.
 * {@link PersistentMap.merge} and {@link PersistentMap.equals} skip subtrees the two maps share,
 * so joining two states that differ in a few entries costs those entries, not the map.
 */

type Entry<K, V> = readonly [K, V];

interface Leaf<K, V> {
  readonly hash: number;
  readonly entries: readonly Entry<K, V>[];
  readonly size: number;
}

interface Branch<K, V> {
  /** Bit i set: a child for hash chunk i, at index popcount(bitmap below bit i). */
  readonly bitmap: number;
  readonly children: readonly Trie<K, V>[];
  readonly size: number;
}

type Trie<K, V> = Leaf<K, V> | Branch<K, V>;

const BITS = 5;
const MASK = (1 << BITS) - 1;

export class PersistentMap<K, V> implements Iterable<Entry<K, V>> {
  private static readonly emptyMap = new PersistentMap<never, never>(undefined);

  private constructor(private readonly root: Trie<K, V> | undefined) {}

  static empty<K, V>(): PersistentMap<K, V> {
    return PersistentMap.emptyMap;
  }

  static of<K, V>(entries: Iterable<Entry<K, V>>): PersistentMap<K, V> {
    let map = PersistentMap.empty<K, V>();
    for (const [key, value] of entries) map = map.set(key, value);
    return map;
  }

  get size(): number {
    return this.root?.size ?? 0;
  }

  get(key: K): V | undefined {
    return this.root && lookup(this.root, hashOf(key), key, 0);
  }

  has(key: K): boolean {
    return this.get(key) !== undefined;
  }

  /** The map with `key` bound to `value` (this map when it already was). Values must not be undefined. */
  set(key: K, value: V): PersistentMap<K, V> {
    const leaf: Leaf<K, V> = { hash: hashOf(key), entries: [[key, value]], size: 1 };
    return this.with(this.root ? insert(this.root, leaf, 0, keepNew) : leaf);
  }

  /** The map without `key` (this map when it had none). */
  delete(key: K): PersistentMap<K, V> {
    return this.root ? this.with(remove(this.root, hashOf(key), key, 0)) : this;
  }

  /** The map without every key of `keys`. */
  deleteAll(keys: Iterable<K>): PersistentMap<K, V> {
    let root = this.root;
    for (const key of keys) root = root && remove(root, hashOf(key), key, 0);
    return this.with(root);
  }

  /**
   * Both maps' entries; a key in both gets `combine(mine, theirs)`. Subtrees the maps share are
   * not visited, and where the result equals one side's subtree (`combine` returned that side's
   * value for every shared key) that subtree itself is kept, so the result keeps sharing with it.
   */
  merge(other: PersistentMap<K, V>, combine: (mine: V, theirs: V, key: K) => V): PersistentMap<K, V> {
    if (!this.root || this.root === other.root) return other.root ? other : this;
    if (!other.root) return this;
    return this.with(mergeTries(this.root, other.root, 0, combine));
  }

  /** Whether both maps have the same keys with values `same` says are equal; shared subtrees are not visited. */
  equals(other: PersistentMap<K, V>, same: (a: V, b: V) => boolean): boolean {
    if (this.root === other.root) return true;
    if (!this.root || !other.root) return false;
    return equalTries(this.root, other.root, 0, same);
  }

  /** The entries `keep` accepts (this map when it accepts all). */
  filter(keep: (value: V, key: K) => boolean): PersistentMap<K, V> {
    let root = this.root;
    for (const [key, value] of this) if (!keep(value, key)) root = root && remove(root, hashOf(key), key, 0);
    return this.with(root);
  }

  /**
   * How many entries pass `test`. The answer is remembered per subtree for that `test` function
   * (pass the same function each time; its answer for an entry must never change), and versions
   * of a map share all subtrees but the changed paths: asking it of each new version costs those
   * paths, not the map.
   */
  count(test: EntryTest<K, V>): number {
    return this.root === undefined ? 0 : countIn(this.root, test, memoOf(test));
  }

  /** Whether some entry passes `test` ({@link count}). */
  some(test: EntryTest<K, V>): boolean {
    return this.count(test) > 0;
  }

  /** The entries that pass `test`, found through {@link count}'s answers: subtrees with none are not visited. */
  *entriesWhere(test: EntryTest<K, V>): IterableIterator<Entry<K, V>> {
    if (this.root) yield* entriesIn(this.root, test, memoOf(test));
  }

  /** The map without the entries that pass `test` (this map when none does), found as {@link entriesWhere} finds them. */
  deleteWhere(test: EntryTest<K, V>): PersistentMap<K, V> {
    if (!this.some(test)) return this;
    return this.deleteAll([...this.entriesWhere(test)].map(([key]) => key));
  }

  *keys(): IterableIterator<K> {
    for (const [key] of this) yield key;
  }

  /** The keys in an array, in iteration order (no iterator per level and per key, as {@link keys} makes). */
  keyList(): K[] {
    const keys: K[] = [];
    if (this.root) collectKeys(this.root, keys);
    return keys;
  }

  *[Symbol.iterator](): IterableIterator<Entry<K, V>> {
    if (this.root) yield* entriesOf(this.root);
  }

  private with(root: Trie<K, V> | undefined): PersistentMap<K, V> {
    if (root === this.root) return this;
    return root ? new PersistentMap(root) : PersistentMap.empty();
  }
}

// ---------------------------------------------------------------------------------------
// Hashes

const objectHashes = new WeakMap<object, number>();
let nextObjectHash = 0;

function hashOf(key: unknown): number {
  if (typeof key === 'string') return stringHash(key);
  if ((typeof key === 'object' && key !== null) || typeof key === 'function') {
    let hash = objectHashes.get(key);
    if (hash === undefined) {
      // Spread consecutive numbers over all the bits (multiplicative hashing).
      hash = Math.imul(++nextObjectHash, 0x9e3779b1) >>> 0;
      objectHashes.set(key, hash);
    }
    return hash;
  }
  return stringHash(`${typeof key}:${String(key)}`);
}

/** FNV-1a, 32 bits (exported for the tests). */
export function stringHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
  return hash >>> 0;
}

// ---------------------------------------------------------------------------------------
// The trie

/** A test of entries whose answers {@link PersistentMap.some} remembers. */
export type EntryTest<K, V> = (value: V, key: K) => boolean;

/** {@link PersistentMap.count}'s answers, per test function and subtree. */
const memos = new WeakMap<EntryTest<never, never>, WeakMap<object, number>>();

function memoOf<K, V>(test: EntryTest<K, V>): WeakMap<object, number> {
  let memo = memos.get(test);
  if (!memo) {
    memo = new WeakMap();
    memos.set(test, memo);
  }
  return memo;
}

function countIn<K, V>(trie: Trie<K, V>, test: EntryTest<K, V>, memo: WeakMap<object, number>): number {
  let answer = memo.get(trie);
  if (answer === undefined) {
    answer = 0;
    if (isLeaf(trie)) {
      for (const [key, value] of trie.entries) if (test(value, key)) answer++;
    } else {
      for (const child of trie.children) answer += countIn(child, test, memo);
    }
    memo.set(trie, answer);
  }
  return answer;
}

function* entriesIn<K, V>(trie: Trie<K, V>, test: EntryTest<K, V>, memo: WeakMap<object, number>): IterableIterator<Entry<K, V>> {
  if (countIn(trie, test, memo) === 0) return;
  if (isLeaf(trie)) {
    for (const entry of trie.entries) if (test(entry[1], entry[0])) yield entry;
  } else {
    for (const child of trie.children) yield* entriesIn(child, test, memo);
  }
}

function isLeaf<K, V>(trie: Trie<K, V>): trie is Leaf<K, V> {
  return 'entries' in trie;
}

const chunkOf = (hash: number, shift: number): number => (hash >>> shift) & MASK;

function popcount(bits: number): number {
  let count = 0;
  for (let rest = bits; rest !== 0; rest &= rest - 1) count++;
  return count;
}

function lookup<K, V>(trie: Trie<K, V>, hash: number, key: K, shift: number): V | undefined {
  if (isLeaf(trie)) return trie.hash === hash ? trie.entries.find(entry => entry[0] === key)?.[1] : undefined;
  const bit = 1 << chunkOf(hash, shift);
  if ((trie.bitmap & bit) === 0) return undefined;
  return lookup(trie.children[popcount(trie.bitmap & (bit - 1))]!, hash, key, shift + BITS);
}

type Combine<K, V> = (mine: V, theirs: V, key: K) => V;
const keepNew = <V>(_mine: V, theirs: V): V => theirs;

/** The trie with the leaf's entries added (a key in both: `combine(trie's value, leaf's value)`). */
function insert<K, V>(trie: Trie<K, V>, leaf: Leaf<K, V>, shift: number, combine: Combine<K, V>): Trie<K, V> {
  if (isLeaf(trie)) {
    if (trie.hash === leaf.hash) return mergeLeaves(trie, leaf, combine);
    return branchOf(trie, leaf, shift);
  }
  const bit = 1 << chunkOf(leaf.hash, shift);
  const index = popcount(trie.bitmap & (bit - 1));
  if ((trie.bitmap & bit) === 0) {
    return makeBranch(trie.bitmap | bit, [...trie.children.slice(0, index), leaf, ...trie.children.slice(index)]);
  }
  const child = trie.children[index]!;
  const next = insert(child, leaf, shift + BITS, combine);
  return next === child ? trie : replaceChild(trie, index, next);
}

/** Two leaves of the same hash: one leaf of their keys (the first leaf itself when nothing changes). */
function mergeLeaves<K, V>(mine: Leaf<K, V>, theirs: Leaf<K, V>, combine: Combine<K, V>): Leaf<K, V> {
  let entries: Entry<K, V>[] | undefined;
  for (const [key, value] of theirs.entries) {
    const current = entries ?? mine.entries;
    const index = current.findIndex(entry => entry[0] === key);
    const combined = index < 0 ? value : combine(current[index]![1], value, key);
    if (index >= 0 && combined === current[index]![1]) continue;
    entries ??= [...mine.entries];
    if (index < 0) entries.push([key, combined]);
    else entries[index] = [key, combined];
  }
  return entries ? { hash: mine.hash, entries, size: entries.length } : mine;
}

/** A branch (a chain of them while the hashes' chunks agree) holding two leaves of different hashes. */
function branchOf<K, V>(a: Leaf<K, V>, b: Leaf<K, V>, shift: number): Branch<K, V> {
  const chunkA = chunkOf(a.hash, shift);
  const chunkB = chunkOf(b.hash, shift);
  if (chunkA === chunkB) return makeBranch(1 << chunkA, [branchOf(a, b, shift + BITS)]);
  return makeBranch((1 << chunkA) | (1 << chunkB), chunkA < chunkB ? [a, b] : [b, a]);
}

function makeBranch<K, V>(bitmap: number, children: readonly Trie<K, V>[]): Branch<K, V> {
  let size = 0;
  for (const child of children) size += child.size;
  return { bitmap, children, size };
}

function replaceChild<K, V>(branch: Branch<K, V>, index: number, child: Trie<K, V>): Branch<K, V> {
  const children = [...branch.children];
  children[index] = child;
  return { bitmap: branch.bitmap, children, size: branch.size - branch.children[index]!.size + child.size };
}

function remove<K, V>(trie: Trie<K, V>, hash: number, key: K, shift: number): Trie<K, V> | undefined {
  if (isLeaf(trie)) {
    if (trie.hash !== hash || !trie.entries.some(entry => entry[0] === key)) return trie;
    const entries = trie.entries.filter(entry => entry[0] !== key);
    return entries.length === 0 ? undefined : { hash, entries, size: entries.length };
  }
  const bit = 1 << chunkOf(hash, shift);
  if ((trie.bitmap & bit) === 0) return trie;
  const index = popcount(trie.bitmap & (bit - 1));
  const child = trie.children[index]!;
  const next = remove(child, hash, key, shift + BITS);
  if (next === child) return trie;
  if (next) return replaceChild(trie, index, next);
  const children = trie.children.filter((_, at) => at !== index);
  if (children.length === 0) return undefined;
  // A branch left with one leaf is that leaf (the shape inserting the rest would have given).
  if (children.length === 1 && isLeaf(children[0]!)) return children[0];
  return makeBranch(trie.bitmap & ~bit, children);
}

function mergeTries<K, V>(mine: Trie<K, V>, theirs: Trie<K, V>, shift: number, combine: Combine<K, V>): Trie<K, V> {
  if (mine === theirs) return mine;
  if (isLeaf(theirs)) return insert(mine, theirs, shift, combine);
  if (isLeaf(mine)) return insert(theirs, mine, shift, (theirValue, myValue, key) => combine(myValue, theirValue, key));
  const bitmap = mine.bitmap | theirs.bitmap;
  const children: Trie<K, V>[] = [];
  for (let rest = bitmap; rest !== 0; rest &= rest - 1) {
    const bit = rest & -rest;
    const a = mine.bitmap & bit ? mine.children[popcount(mine.bitmap & (bit - 1))] : undefined;
    const b = theirs.bitmap & bit ? theirs.children[popcount(theirs.bitmap & (bit - 1))] : undefined;
    children.push(a && b ? mergeTries(a, b, shift + BITS, combine) : (a ?? b)!);
  }
  // Keep either side's own node when the merge gave back all its children.
  if (bitmap === mine.bitmap && children.every((child, index) => child === mine.children[index])) return mine;
  if (bitmap === theirs.bitmap && children.every((child, index) => child === theirs.children[index])) return theirs;
  return makeBranch(bitmap, children);
}

function equalTries<K, V>(a: Trie<K, V>, b: Trie<K, V>, shift: number, same: (a: V, b: V) => boolean): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  if (!isLeaf(a) && !isLeaf(b) && a.bitmap === b.bitmap) {
    return a.children.every((child, index) => equalTries(child, b.children[index]!, shift + BITS, same));
  }
  for (const [key, value] of entriesOf(a)) {
    const other = lookup(b, hashOf(key), key, shift);
    if (other === undefined || !same(value, other)) return false;
  }
  return true;
}

function collectKeys<K, V>(trie: Trie<K, V>, keys: K[]): void {
  if (isLeaf(trie)) for (const entry of trie.entries) keys.push(entry[0]);
  else for (const child of trie.children) collectKeys(child, keys);
}

function* entriesOf<K, V>(trie: Trie<K, V>): IterableIterator<Entry<K, V>> {
  if (isLeaf(trie)) yield* trie.entries;
  else for (const child of trie.children) yield* entriesOf(child);
}
