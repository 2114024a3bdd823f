import { describe, expect, it } from 'vitest';
import { PersistentMap, stringHash } from '../../src/util/persistentMap.js';

/** A small deterministic generator, so that the randomized comparison is the same on every run. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state;
  };
}

const sorted = <K, V>(map: Iterable<readonly [K, V]>): [K, V][] => [...map].map(([k, v]) => [k, v] as [K, V]).sort(byKey);
const byKey = (a: readonly [unknown, unknown], b: readonly [unknown, unknown]): number => String(a[0]).localeCompare(String(b[0]));

describe('PersistentMap', () => {
  it('sets, reads and deletes like a Map, with string and object keys', () => {
    const a = { name: 'a' };
    const b = { name: 'b' };
    let map = PersistentMap.empty<object | string, number>();
    map = map.set(a, 1).set('this.fh', 2).set(b, 3).set(a, 4);
    expect(map.size).toBe(3);
    expect(map.get(a)).toBe(4);
    expect(map.get('this.fh')).toBe(2);
    expect(map.has(b)).toBe(true);
    expect(map.has({ name: 'a' })).toBe(false);
    map = map.delete(a).delete('missing');
    expect(map.size).toBe(2);
    expect(map.get(a)).toBeUndefined();
    expect(new Set(map.keys())).toEqual(new Set(['this.fh', b]));
  });

  it('lists its keys in an array, in the order it iterates them', () => {
    const map = PersistentMap.of<number, true>(Array.from({ length: 200 }, (_, i) => [i * 7, true] as const)).delete(14);
    expect(map.keyList()).toEqual([...map.keys()]);
    expect(map.keyList()).toHaveLength(199);
    expect(new Set(map.keyList())).toEqual(new Set(Array.from({ length: 200 }, (_, i) => i * 7).filter(key => key !== 14)));
    expect(PersistentMap.empty<number, true>().keyList()).toEqual([]);
  });

  it('leaves every earlier version as it was (copies stay independent)', () => {
    const base = PersistentMap.of<string, number>(Array.from({ length: 100 }, (_, i) => [`k${i}`, i] as const));
    const changed = base.set('k5', 500).delete('k6').set('new', 1);
    const other = base.delete('k5');
    expect(base.size).toBe(100);
    expect(base.get('k5')).toBe(5);
    expect(base.get('k6')).toBe(6);
    expect(base.has('new')).toBe(false);
    expect(changed.get('k5')).toBe(500);
    expect(changed.has('k6')).toBe(false);
    expect(changed.size).toBe(100);
    expect(other.has('k5')).toBe(false);
    expect(other.get('k6')).toBe(6);
    expect(changed.get('k5')).toBe(500);
  });

  it('returns the same map when nothing changes', () => {
    const map = PersistentMap.of([
      ['a', 1],
      ['b', 2],
    ]);
    expect(map.set('a', 1)).toBe(map);
    expect(map.delete('c')).toBe(map);
    expect(map.filter(() => true)).toBe(map);
    expect(PersistentMap.empty<string, number>().delete('a').size).toBe(0);
  });

  it('agrees with a Map over many random sets and deletes, earlier versions included', () => {
    const next = generator(7);
    const reference = new Map<string, number>();
    let map = PersistentMap.empty<string, number>();
    const versions: [PersistentMap<string, number>, [string, number][]][] = [];
    for (let step = 0; step < 3000; step++) {
      // Few distinct keys, so that deletes hit.
      const key = `key${next() % 400}`;
      if (next() % 3 === 0) {
        reference.delete(key);
        map = map.delete(key);
      } else {
        reference.set(key, step);
        map = map.set(key, step);
      }
      if (step % 500 === 0) versions.push([map, sorted(reference)]);
      expect(map.size).toBe(reference.size);
    }
    expect(sorted(map)).toEqual(sorted(reference));
    for (const key of reference.keys()) expect(map.get(key)).toBe(reference.get(key));
    for (const [version, entries] of versions) expect(sorted(version)).toEqual(entries);
  });

  it('answers some, entriesWhere and deleteWhere like a scan of the entries, for every version of a map', () => {
    const next = generator(11);
    const isString = (_value: number, key: string | object): boolean => typeof key === 'string';
    const objects = Array.from({ length: 300 }, (_, i) => ({ i }));
    const reference = new Map<string | object, number>();
    let map = PersistentMap.empty<string | object, number>();
    for (let step = 0; step < 2000; step++) {
      const pick = next() % 400;
      const key = pick < 300 ? objects[pick]! : `field${pick}`;
      if (next() % 4 === 0) {
        reference.delete(key);
        map = map.delete(key);
      } else {
        reference.set(key, step);
        map = map.set(key, step);
      }
      const expected = [...reference].some(([key, value]) => isString(value, key));
      expect(map.some(isString)).toBe(expected);
      if (step % 50 === 0) {
        const without = map.deleteWhere(isString);
        expect(without.some(isString)).toBe(false);
        // Each value is the step that set it, so sorting by value orders object keys too.
        const byValue = (entries: Iterable<readonly [string | object, number]>): (readonly [string | object, number])[] =>
          [...entries].sort((a, b) => a[1] - b[1]);
        expect(byValue(without)).toEqual(byValue([...reference].filter(([key, value]) => !isString(value, key))));
        expect(byValue(map.entriesWhere(isString))).toEqual(byValue([...reference].filter(([key, value]) => isString(value, key))));
        // The map it was taken from is unchanged, and a map with no such key is returned as it is.
        expect(map.some(isString)).toBe(expected);
        expect(without.deleteWhere(isString)).toBe(without);
      }
    }
  });

  it('keeps keys whose whole hashes collide apart', () => {
    const [first, second] = ['this.f49908', 'this.f186122'];
    expect(stringHash(first)).toBe(stringHash(second));
    const base = PersistentMap.of([
      [first, 1],
      ['other', 3],
    ]);
    const both = base.set(second, 2);
    expect(both.size).toBe(3);
    expect([both.get(first), both.get(second)]).toEqual([1, 2]);
    const without = both.delete(first);
    expect([without.get(first), without.get(second), without.size]).toEqual([undefined, 2, 2]);
    expect(both.get(first)).toBe(1);
    expect(both.merge(base.set(second, 5), (mine, theirs) => mine * 10 + theirs).get(second)).toBe(25);
    expect(without.set(first, 1).equals(both, (x, y) => x === y)).toBe(true);
  });

  it('keeps many keys over deep branches', () => {
    let map = PersistentMap.empty<string, number>();
    for (let i = 0; i < 5000; i++) map = map.set(`s${i}`, i);
    for (let i = 0; i < 5000; i += 2) map = map.delete(`s${i}`);
    expect(map.size).toBe(2500);
    for (let i = 0; i < 5000; i++) expect(map.get(`s${i}`)).toBe(i % 2 ? i : undefined);
  });

  it('merges with a combine for shared keys, keeping a side that holds the other', () => {
    const base = PersistentMap.of<string, number>(Array.from({ length: 200 }, (_, i) => [`k${i}`, i] as const));
    const left = base.set('left', 1).set('k1', 10);
    const right = base.set('right', 2).set('k1', 20);
    const merged = left.merge(right, (mine, theirs) => mine + theirs);
    expect(merged.size).toBe(202);
    expect(merged.get('k1')).toBe(30);
    expect(merged.get('k2')).toBe(2);
    expect(merged.get('left')).toBe(1);
    expect(merged.get('right')).toBe(2);
    // The inputs are untouched.
    expect(left.has('right')).toBe(false);
    expect(right.get('k1')).toBe(20);
    // A merge with a subset gives back the superset itself (the combine keeps equal values).
    const keep = (mine: number): number => mine;
    expect(left.merge(base.delete('k1'), keep)).toBe(left);
    expect(base.merge(base.set('extra', 9), (mine, theirs) => (mine === theirs ? mine : theirs))).toEqual(base.set('extra', 9));
    expect(PersistentMap.empty<string, number>().merge(left, keep)).toBe(left);
    expect(left.merge(PersistentMap.empty(), keep)).toBe(left);
  });

  it('compares by content, whatever the order the entries came in', () => {
    const keys = Array.from({ length: 300 }, (_, i) => `k${i}`);
    const forward = PersistentMap.of(keys.map(key => [key, key.length] as const));
    const backward = PersistentMap.of([...keys].reverse().map(key => [key, key.length] as const));
    const same = (a: number, b: number): boolean => a === b;
    expect(forward.equals(backward, same)).toBe(true);
    expect(forward.equals(backward.set('k1', 99), same)).toBe(false);
    expect(forward.equals(backward.delete('k1'), same)).toBe(false);
    // After deletes the shape may differ from one built by inserts alone.
    const shrunk = forward.set('extra', 1).delete('extra');
    expect(shrunk.equals(forward, same)).toBe(true);
    expect(PersistentMap.empty<string, number>().equals(forward, same)).toBe(false);
  });
});
