import { parse } from '@typescript-eslint/parser';
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { visitorKeys } from '@typescript-eslint/visitor-keys';
import { describe, expect, it } from 'vitest';
import { analyzeFunction, type FlowAnalysis } from '../../src/model/flow.js';

/**
 * A may-analysis over sets of facts: `gen('a')` adds fact a, `kill('a')` removes it, and
 * `if (has('a'))` refines: in the true branch the fact is known present, in the false branch
 * known absent. `probe('p')` records the facts that may hold there.
 */
function factsAtProbes(code: string): Record<string, string[] | 'unreachable'> {
  return analyzeFacts(code).probes;
}

function analyzeFacts(
  code: string,
  records?: FlowAnalysis<ReadonlySet<string>>['records'],
  exit?: boolean,
  after?: boolean,
  extra: Pick<FlowAnalysis<ReadonlySet<string>>, 'skips' | 'thrown'> = {},
): { probes: Record<string, string[] | 'unreachable'>; visits: number; nodes: number; kept: number; keptAfter: number; joins: number } {
  const program = parse(code, { range: true, loc: true }) as unknown as TSESTree.Program;
  const fn = program.body.find(statement => statement.type === AST_NODE_TYPES.FunctionDeclaration);
  if (fn?.type !== AST_NODE_TYPES.FunctionDeclaration) throw new Error('no function');
  const callOf = (node: TSESTree.Node, name: string): string | undefined =>
    node.type === AST_NODE_TYPES.CallExpression &&
    node.callee.type === AST_NODE_TYPES.Identifier &&
    node.callee.name === name &&
    node.arguments[0]?.type === AST_NODE_TYPES.Literal
      ? String(node.arguments[0].value)
      : undefined;
  let joins = 0;
  const analysis: FlowAnalysis<ReadonlySet<string>> = {
    initial: new Set(),
    join: (a, b) => {
      joins++;
      return new Set([...a, ...b]);
    },
    equals: (a, b) => a.size === b.size && [...a].every(fact => b.has(fact)),
    transfer(node, state) {
      const gen = callOf(node, 'gen');
      if (gen !== undefined) return new Set([...state, gen]);
      const kill = callOf(node, 'kill');
      if (kill !== undefined) return new Set([...state].filter(fact => fact !== kill));
      if (node.type === AST_NODE_TYPES.AwaitExpression) return new Set([...state, 'await']);
      return state;
    },
    refine(test, outcome, state) {
      const fact = callOf(test, 'has');
      if (fact !== undefined && !outcome) return new Set([...state].filter(item => item !== fact));
      return state;
    },
    ...(records ? { records } : {}),
    ...(exit === undefined ? {} : { exit }),
    ...(after === undefined ? {} : { after }),
    ...extra,
  };
  const result = analyzeFunction(fn, analysis, visitorKeys);
  const probes: Record<string, string[] | 'unreachable'> = {};
  let nodes = 0;
  let kept = 0;
  let keptAfter = 0;
  const visit = (node: TSESTree.Node): void => {
    nodes++;
    if (result.before(node) !== undefined || result.after(node) !== undefined) kept++;
    if (result.after(node) !== undefined) keptAfter++;
    const probe = callOf(node, 'probe');
    if (probe !== undefined) {
      const state = result.before(node);
      probes[probe] = state === undefined ? 'unreachable' : [...state].sort();
    }
    for (const key of visitorKeys[node.type] ?? []) {
      const child = (node as unknown as Record<string, unknown>)[key];
      for (const item of Array.isArray(child) ? child : [child]) {
        if (item && typeof item === 'object' && 'type' in item) visit(item as TSESTree.Node);
      }
    }
  };
  visit(fn.body);
  if (result.exit !== undefined) probes.exit = [...result.exit].sort();
  return { probes, visits: result.visits, nodes, kept, keptAfter, joins };
}

/** `depth` nested loops of the four kinds, a gen at every level and a kill in the innermost. */
function nestedLoops(depth: number): string {
  let open = '';
  let close = '';
  for (let level = 0; level < depth; level++) {
    const head = [`for (let i${level} = 0; i${level} < n; i${level}++) {`, `while (c${level}) {`, `for (const x${level} of xs) {`, 'do {'][
      level % 4
    ];
    open += `${head} probe('l${level}'); if (c) gen('g${level}'); `;
    close = (level % 4 === 3 ? `} while (d${level}); ` : '} ') + close;
  }
  return `async function f() { ${open} if (c) { kill('g0'); await x; } probe('inner'); ${close} probe('after'); }`;
}

/** `depth` try/finally statements, each nested in the finally block of the one above, a return in every try block. */
function nestedFinally(depth: number): string {
  let inner = `kill('g0'); await x; probe('inner');`;
  for (let level = depth - 1; level >= 0; level--) {
    inner = `try { gen('g${level}'); if (c${level}) return; probe('t${level}'); } finally { probe('f${level}'); ${inner} }`;
  }
  return `async function f() { ${inner} probe('after'); }`;
}

describe('analyzeFunction', () => {
  it('follows straight-line code in evaluation order', () => {
    expect(factsAtProbes(`function f() { probe('start'); gen('a'); probe('mid'); kill('a'); probe('end'); }`)).toEqual({
      start: [],
      mid: ['a'],
      end: [],
      exit: [],
    });
  });

  it('joins both branches of an if', () => {
    expect(factsAtProbes(`function f(c) { if (c) { gen('a'); } else { gen('b'); } probe('after'); }`).after).toEqual(['a', 'b']);
  });

  it('refines on the branch taken and drops paths that return', () => {
    const probes = factsAtProbes(`function f() { gen('a'); if (has('a')) return; probe('after'); }`);
    expect(probes.after).toEqual([]);
    const inverse = factsAtProbes(`function f() { gen('a'); if (!has('a')) { probe('open'); } else { probe('closed'); } }`);
    expect(inverse.open).toEqual([]);
    expect(inverse.closed).toEqual(['a']);
  });

  it('refines through && and ||', () => {
    const probes = factsAtProbes(
      `function f(x) { gen('a'); if (has('a') || x) throw new Error(); probe('after'); x && has('a') ? probe('t') : probe('e'); }`,
    );
    expect(probes.after).toEqual([]);
  });

  it('treats code after return, throw, break and continue as unreachable', () => {
    const probes = factsAtProbes(`function f() { for (;;) { break; probe('dead'); } return; probe('dead2'); }`);
    expect(probes.dead).toBe('unreachable');
    expect(probes.dead2).toBe('unreachable');
  });

  it('carries facts from the end of a loop body to its next iteration', () => {
    const probes = factsAtProbes(`function f(xs) { for (const x of xs) { probe('top'); gen('a'); } probe('after'); }`);
    expect(probes.top).toEqual(['a']);
    expect(probes.after).toEqual(['a']);
    const whileLoop = factsAtProbes(`function f(c) { while (c()) { probe('top'); if (c()) { gen('b'); continue; } kill('b'); } }`);
    expect(whileLoop.top).toEqual(['b']);
  });

  it('handles do-while, for, labeled break and continue', () => {
    const probes = factsAtProbes(`function f(c) {
      outer: for (let i = 0; i < 3; i++) {
        do { gen('a'); if (c) continue outer; if (c) break outer; } while (c);
        kill('a');
        probe('inner-done');
      }
      probe('after');
    }`);
    expect(probes['inner-done']).toEqual([]);
    expect(probes.after).toEqual(['a']);
  });

  it('flows from anywhere in a try block into its catch, and through finally', () => {
    const probes = factsAtProbes(`function f() {
      try { probe('try'); gen('a'); call(); kill('a'); } catch { probe('catch'); } finally { probe('finally'); }
      probe('after');
    }`);
    expect(probes.try).toEqual([]);
    expect(probes.catch).toEqual(['a']);
    expect(probes.finally).toEqual(['a']);
    expect(probes.after).toEqual(['a']);
  });

  it('does not let a return inside try leak into the code after the finally', () => {
    const probes = factsAtProbes(`function f(c) {
      try { if (c) { gen('a'); return; } } finally { probe('finally'); }
      probe('after');
    }`);
    expect(probes.finally).toEqual(['a']);
    expect(probes.after).toEqual([]);
    expect(probes.exit).toEqual(['a']);
  });

  it('handles switch fallthrough, breaks and a missing default', () => {
    const probes = factsAtProbes(`function f(x) {
      switch (x) { case 1: gen('a'); case 2: probe('two'); break; case 3: gen('c'); break; }
      probe('after');
    }`);
    expect(probes.two).toEqual(['a']);
    expect(probes.after).toEqual(['a', 'c']);
  });

  it('treats the rest of an optional chain, and the right side of ?? as conditional', () => {
    const probes = factsAtProbes(`function f(o) { o?.m(gen('a')); probe('chain'); o ?? gen('b'); probe('nullish'); }`);
    expect(probes.chain).toEqual(['a']);
    expect(probes.nullish).toEqual(['a', 'b']);
  });

  it('evaluates await in evaluation order and does not enter nested functions', () => {
    const probes = factsAtProbes(`async function f() { probe('before'); const x = await g(() => gen('inner')); probe('after'); }`);
    expect(probes.before).toEqual([]);
    expect(probes.after).toEqual(['await']);
  });

  it('is linear in loop nesting: each node is evaluated a bounded number of times (depth 30)', () => {
    const { probes, visits, nodes } = analyzeFacts(nestedLoops(30));
    // Every fact reaches every level (the next iteration of any enclosing loop), and the kill in
    // the innermost loop is undone there by its own next iteration.
    expect(probes.l0).toEqual(expect.arrayContaining(['g0', 'g29', 'await']));
    expect(probes.inner).toContain('g29');
    expect(probes.after).toEqual(expect.arrayContaining(['g0', 'g15', 'g29', 'await']));
    // Re-walking the inner loops once per round of every enclosing loop is 2^30 visits.
    expect(visits).toBeLessThan(nodes * 12);
  });

  it('gives the same states for nested loops as for the same loops analysed one level at a time', () => {
    const probes = factsAtProbes(nestedLoops(4));
    expect(probes.l3).toEqual(['await', 'g0', 'g1', 'g2', 'g3']);
    expect(probes.l0).toEqual(['await', 'g0', 'g1', 'g2', 'g3']);
    expect(probes.inner).toEqual(['await', 'g0', 'g1', 'g2', 'g3']);
  });

  it('routes a break out of several nested loops from a loop it does not re-walk', () => {
    const probes = factsAtProbes(`function f() {
      outer: for (;;) {
        probe('outerHead');
        for (const x of xs) { for (const y of ys) { if (c) { gen('b'); break outer; } gen('i'); } }
        if (d) gen('late');
      }
      probe('after');
    }`);
    expect(probes.after).toEqual(['b', 'i', 'late']);
    expect(probes.outerHead).toEqual(['i', 'late']);
  });
  it('walks a finally block nested in finally blocks a bounded number of times (depth 30)', () => {
    const { probes, visits, nodes } = analyzeFacts(nestedFinally(30));
    // Each finally block is walked once for normal and once for abrupt completion of every walk
    // of the block around it: 2^30 walks of the innermost without memoising them.
    expect(visits).toBeLessThan(nodes * 4);
    // Every path into the innermost block ran every try block's gen (a return runs the finally
    // blocks below it, and their try blocks), and the kill there takes g0 back on all of them.
    const expected = ['await', ...Array.from({ length: 29 }, (_, level) => `g${level + 1}`)].sort();
    expect(probes.inner).toEqual(expected);
    expect(probes.after).toEqual(expected);
    expect(probes.f29).toEqual(
      expected
        .filter(fact => fact !== 'await')
        .concat('g0')
        .sort(),
    );
  });

  it('keeps the states of only the nodes the analysis asks for, and computes the same states', () => {
    const code = `function f(c, xs) {
      gen('a');
      for (const x of xs) { probe('top'); if (has('a')) { kill('a'); continue; } gen('b'); }
      try { if (c) { gen('r'); return; } probe('try'); } finally { probe('finally'); }
      probe('after');
    }`;
    const all = analyzeFacts(code);
    const isProbe = (node: TSESTree.Node): boolean =>
      node.type === AST_NODE_TYPES.CallExpression && node.callee.type === AST_NODE_TYPES.Identifier && node.callee.name === 'probe';
    const some = analyzeFacts(code, isProbe);
    expect(some.probes).toEqual(all.probes);
    expect(all.probes.top).toEqual(['a', 'b']);
    expect(some.kept).toBe(4);
    expect(all.kept).toBeGreaterThan(20);
    const none = analyzeFacts(code, () => false);
    expect(none.kept).toBe(0);
    expect(none.probes.exit).toEqual(all.probes.exit);
  });

  it('keeps no states after nodes when the analysis does not ask for them, and computes the same states before them', () => {
    const code = `async function f(c, xs) {
      gen('a');
      for (const x of xs) { probe('top'); if (has('a')) { kill('a'); continue; } gen('b'); await x; }
      try { if (c) { gen('r'); return; } probe('try'); } finally { probe('finally'); }
      probe('after');
    }`;
    const both = analyzeFacts(code);
    const before = analyzeFacts(code, undefined, undefined, false);
    expect(both.keptAfter).toBeGreaterThan(20);
    expect(before.keptAfter).toBe(0);
    expect(before.kept).toBe(both.kept); // every node's state before it is still kept
    expect(before.probes).toEqual(both.probes);
    expect(before.probes.after).toEqual(['a', 'await', 'b']);
  });

  it('passes over what the analysis skips (never a statement that may complete abruptly), and computes the same states', () => {
    const code = `async function f(c, xs) {
      gen('a');
      use(x.y, other(z));
      try { gen('b'); use(x); kill('b'); } catch { probe('catch'); }
      for (const x of xs) { use(x); if (c) { use(c); break; probe('afterBreak'); } if (has('a')) { kill('a'); continue; } gen('l'); }
      if (c) { use(c); return; probe('afterReturn'); }
      const v = c ? use(c) : other(c);
      probe('after');
    }`;
    const marked = (node: TSESTree.Node): boolean =>
      JSON.stringify(node, (key, value: unknown) => (key === 'parent' ? undefined : value)).match(/"name":"(gen|kill|probe|has)"/) !== null;
    // What a statement that throws sends, named by its call: the catch sees whether the skipped `use(x)` sent its state.
    const thrown: FlowAnalysis<ReadonlySet<string>>['thrown'] = (node, _before, after) =>
      node.type === AST_NODE_TYPES.ExpressionStatement &&
      node.expression.type === AST_NODE_TYPES.CallExpression &&
      node.expression.callee.type === AST_NODE_TYPES.Identifier
        ? new Set([...after, `thrown:${node.expression.callee.name}`])
        : after;
    const walked = analyzeFacts(code, undefined, undefined, undefined, { thrown });
    // Says yes to statements too (`break`, `continue`, `return`, blocks): the engine must not take it.
    const skipped = analyzeFacts(code, undefined, undefined, undefined, { thrown, skips: node => !marked(node) });
    expect(skipped.probes).toEqual(walked.probes);
    expect(walked.probes.catch).toEqual(['a', 'b', 'thrown:gen', 'thrown:kill', 'thrown:use']);
    expect(walked.probes.after).toEqual(['a', 'b', 'l', 'thrown:gen', 'thrown:kill', 'thrown:use']);
    expect(skipped.probes.afterBreak).toBe('unreachable');
    expect(skipped.probes.afterReturn).toBe('unreachable');
    expect(skipped.visits).toBeLessThan(walked.visits - 10);
  });

  it('keeps no exit state when the analysis does not ask for it, and computes the same states', () => {
    const code = `async function f(c, xs) {
      for (const x of xs) { if (has('a')) return; gen('a'); if (c) break; }
      ${Array.from({ length: 20 }, (_, index) => `if (c${index}) { gen('r${index}'); return; }`).join(' ')}
      try { if (c) { gen('t'); return; } } finally { probe('finally'); }
      probe('after');
    }`;
    const kept = analyzeFacts(code);
    const dropped = analyzeFacts(code, undefined, false);
    expect(kept.probes.exit).toEqual([
      'a',
      'r0',
      'r1',
      'r10',
      'r11',
      'r12',
      'r13',
      'r14',
      'r15',
      'r16',
      'r17',
      'r18',
      'r19',
      'r2',
      'r3',
      'r4',
      'r5',
      'r6',
      'r7',
      'r8',
      'r9',
      't',
    ]);
    expect(dropped.probes.exit).toBeUndefined();
    expect({ ...dropped.probes, exit: kept.probes.exit }).toEqual(kept.probes);
    expect(dropped.probes.finally).toEqual(['a', 't']);
    // One join fewer per return that reaches the exit (the loop's, the 20, the one through the finally, the end).
    expect(kept.joins - dropped.joins).toBeGreaterThanOrEqual(20);
  });

  it('keeps normal and abrupt completion of nested finally blocks apart', () => {
    const probes = factsAtProbes(`function f(c) {
      try { if (c) { gen('r'); return; } } finally {
        probe('f0');
        try { if (c) { gen('s'); return; } } finally { probe('f1'); }
        probe('between');
      }
      probe('after');
    }`);
    expect(probes.f0).toEqual(['r']);
    expect(probes.f1).toEqual(['r', 's']);
    // Past the inner finally on its normal path: nothing of the inner return, the outer one only
    // on the walk for the outer return (joined at the probe).
    expect(probes.between).toEqual(['r']);
    expect(probes.after).toEqual([]);
    expect(probes.exit).toEqual(['r', 's']);
  });
});
