// The flow of one function's raw values: which defs may hold here, which crossed an await with
// or without a borrow, and whether the owner is referenced (addRef/release, leases, guards).
// Holds the per-function state of the analysis.
import { AST_NODE_TYPES, TSESLint, type TSESTree } from '@typescript-eslint/utils';
import tsutils from '../../util/ts-api-utils.cjs';
import ts from '../../util/typescript.cjs';
import { analyzeFunction, type FlowResult } from '../../model/flow.js';
import { calleeMember, memberNameOf, type NativeHandleServices, type Owner } from '../../model/index.js';
import { isFunction, isSuspension, skipWrappers, some, statementList, type FunctionNode } from '../../util/ast.js';
import type { References } from '../../model/references.js';
import { enclosingFunction } from '../../model/util.js';
import { Facts } from './facts.js';
import type { AskedPositions, Def, FunctionState, Origin, Variable } from './records.js';

interface OwnNodes {
  readonly suspensions: TSESTree.Node[];
  readonly members: { readonly node: TSESTree.MemberExpression; readonly name: string }[];
}
const NO_OWN_NODES: OwnNodes = { suspensions: [], members: [] };

/** What one function's flow reads at every node (built once per flow in HolderFlow.flowOf). */
interface FlowRun {
  readonly state: FunctionState;
  /** The owners of the function's raw values, by reference key. */
  readonly keys: ReadonlyMap<string, Owner>;
  /** Whether a member name has a role for one of those owners. */
  readonly hasRoles: (name: string) => boolean;
  /** Whether a def is no longer asked about after this await or yield (HolderFlow.expiry). */
  readonly expired: (def: Def, suspension: TSESTree.Node) => boolean;
  /** The node types that write holders (other nodes are not looked up). */
  readonly writers: ReadonlySet<string>;
}

export class HolderFlow {
  readonly functions = new Map<TSESTree.Node, FunctionState>();
  private readonly callRoleCache = new Map<TSESTree.Node, readonly string[]>();

  constructor(
    private readonly sourceCode: Readonly<TSESLint.SourceCode>,
    private readonly services: NativeHandleServices,
    private readonly refs: References,
    /** Where the flow of a function is asked about (computed once per flow). */
    private readonly askedOf: (state: FunctionState) => AskedPositions,
  ) {}

  /** The file's awaits, yields and `for await` heads, and its member expressions by name (seen in the AST pass). */
  private readonly suspensions: TSESTree.Node[] = [];
  private readonly members: TSESTree.MemberExpression[] = [];
  private byFunction: Map<TSESTree.Node, OwnNodes> | undefined;

  noteSuspension(node: TSESTree.Node): void {
    this.suspensions.push(node);
  }

  noteMember(node: TSESTree.MemberExpression): void {
    this.members.push(node);
  }

  // ---------------------------------------------------------------------------------------
  // Borrows and guards

  /** Whether a borrow of the origin's owner is held at `node` (a lease, or addRef + release in a finally). */
  heldAt(node: TSESTree.Node, origin: Origin, fn: TSESTree.Node, facts?: Facts): boolean {
    const key = origin.key;
    if (key === undefined) return false;
    if (this.leaseCovers(node, key, origin.owner, fn)) return true;
    const { addRef, release } = origin.owner.roles;
    if (addRef.size === 0 || release.size === 0) return false;
    const state = facts ?? this.flowOf(this.stateOf(fn))?.before(node);
    if (!state || state.has(`U:${key}`)) return false;
    return this.insideReleasingTry(node, key, release, fn);
  }

  /** `using lease = owner.lease()` (or `await using`) earlier in an enclosing block of `node`. */
  private leaseCovers(node: TSESTree.Node, key: string, owner: Owner, fn: TSESTree.Node): boolean {
    if (owner.roles.lease.size === 0) return false;
    for (let child = node, parent = node.parent; parent && child !== fn; child = parent, parent = parent.parent) {
      const statements = statementList(parent);
      if (!statements) continue;
      for (const statement of statements) {
        if (statement === child) break;
        if (statement.type !== AST_NODE_TYPES.VariableDeclaration || (statement.kind !== 'using' && statement.kind !== 'await using'))
          continue;
        if (statement.declarations.some(declarator => this.isLeaseCall(declarator.init, key, owner))) return true;
      }
    }
    return false;
  }

  private isLeaseCall(init: TSESTree.Expression | null, key: string, owner: Owner): boolean {
    let expression = init ? skipWrappers(init) : undefined;
    if (expression?.type === AST_NODE_TYPES.AwaitExpression) expression = skipWrappers(expression.argument);
    if (expression?.type !== AST_NODE_TYPES.CallExpression) return false;
    const member = calleeMember(expression);
    return (
      member !== undefined && this.refs.keyOf(member.object) === key && this.services.model.hasRole(owner, 'lease', memberNameOf(member))
    );
  }

  private insideReleasingTry(node: TSESTree.Node, key: string, release: ReadonlySet<string>, fn: TSESTree.Node): boolean {
    for (let child = node, parent = node.parent; parent && child !== fn; child = parent, parent = parent.parent) {
      if (parent.type === AST_NODE_TYPES.TryStatement && parent.block === child && parent.finalizer) {
        if (this.containsOwnerCall(parent.finalizer, key, release)) return true;
      }
    }
    return false;
  }

  private containsOwnerCall(root: TSESTree.Node, key: string, names: ReadonlySet<string>): boolean {
    const isOwnerCall = (node: TSESTree.Node): boolean =>
      node.type === AST_NODE_TYPES.CallExpression && this.ownerCallName(node, key, names) !== undefined;
    return some(root, this.sourceCode.visitorKeys, isOwnerCall, { skip: isFunction });
  }

  /** For `owner.m()` with `owner` spelled as `key` and `m` one of `names`: `m`. */
  private ownerCallName(call: TSESTree.CallExpression, key: string, names: ReadonlySet<string>): string | undefined {
    const member = calleeMember(call);
    if (!member || this.refs.keyOf(member.object) !== key) return undefined;
    const name = memberNameOf(member);
    return name !== undefined && names.has(name) ? name : undefined;
  }

  /**
   * The defs of the variable that may hold where the facts hold (every def without facts), in
   * def order: its local def, or those with an `L` fact.
   */
  holdingDefs(state: FunctionState, variable: Variable, facts: Facts | undefined): readonly Def[] {
    const defs = state.defsByVariable.get(variable) ?? [];
    if (facts === undefined) return defs;
    // A local def is its variable's only one; the others are those with an `L` fact.
    if (defs.length === 1 && defs[0]!.local === true) return defs;
    return facts
      .liveOf(variable)
      .sort((a, b) => a - b)
      .map(index => state.defs[index]!);
  }

  // ---------------------------------------------------------------------------------------
  // Flow

  stateOf(fn: TSESTree.Node): FunctionState {
    let state = this.functions.get(fn);
    if (!state) {
      state = { node: fn, origins: [], defs: [], defsByNode: new Map(), defsByVariable: new Map(), killsByNode: new Map() };
      this.functions.set(fn, state);
    }
    return state;
  }

  addDef(state: FunctionState, node: TSESTree.Node, variable: Variable, origins: Iterable<Origin>): void {
    const existing = state.defsByNode.get(node)?.find(def => def.variable === variable);
    if (existing) {
      for (const origin of origins) existing.origins.add(origin);
      return;
    }
    const def: Def = { index: state.defs.length, node, variable, origins: new Set(origins) };
    state.defs.push(def);
    // In place: a copy per def made a variable written n times (`prev = fdI` in n blocks) cost n².
    pushTo(state.defsByNode, node, def);
    pushTo(state.defsByVariable, variable, def);
  }

  /**
   * The flow facts of one function: `L<i>` def i may hold here, `S<i>` it crossed an await
   * without a borrow, `C<i>` it crossed an await under a borrow, `U:<key>` the owner may be
   * unreferenced (no addRef held).
   */
  flowOf(state: FunctionState): FlowResult<Facts> | undefined {
    if (state.flow !== undefined) return state.flow ?? undefined;
    const fn = flowFunction(state.node);
    if (!fn) {
      state.flow = null;
      return undefined;
    }
    const keys = new Map<string, Owner>();
    for (const origin of [...state.origins, ...state.defs.flatMap(def => [...def.origins])]) {
      if (origin.key !== undefined && !keys.has(origin.key)) keys.set(origin.key, origin.owner);
    }
    let initial = Facts.EMPTY;
    for (const [key, owner] of keys) {
      if (owner.roles.addRef.size > 0 && owner.roles.release.size > 0) initial = initial.add(`U:${key}`);
    }
    // The function's awaits and yields in order, from those noted in the AST pass (asked only when some def gets that far).
    let offsets: readonly number[] | undefined;
    const suspensions = (): readonly number[] =>
      (offsets ??= this.ownNodes(state.node)
        .suspensions.map(node => node.range[0])
        .sort((a, b) => a - b));
    const killed = new Set([...state.killsByNode.values()].flat());
    const { lastAsked, anchors } = this.askedOf(state);
    for (const def of state.defs) {
      def.local = isLocalDef(state, def, killed, suspensions);
      def.unasked = lastAsked.get(def.variable) === -1;
    }
    const asked = askedNodes(state);
    const run: FlowRun = {
      state,
      keys,
      hasRoles: this.rolePrefilter(keys.values()),
      expired: this.expiry(lastAsked, fn),
      // The types of the nodes that write variables: other nodes are not looked up (two lookups per node of a long function).
      writers: new Set([...state.defsByNode.keys(), ...state.killsByNode.keys()].map(node => node.type)),
    };
    const open = this.openNodes(state, anchors, run.hasRoles);
    state.flow = null; // no recursion through heldAt while the flow runs
    state.flow = analyzeFunction<Facts>(
      fn,
      {
        initial,
        join: joinFacts,
        equals: (a, b) => a.equals(b),
        transfer: (node, facts) => this.transfer(run, node, facts),
        refine: (test, outcome, facts) => (outcome ? facts : this.guard(state, keys, test, facts, true)),
        records: node => asked(node),
        skips: node => !open.has(node),
        after: false, // only the states before the asked nodes are read
        exit: false,
      },
      this.sourceCode.visitorKeys,
    );
    return state.flow;
  }

  private transfer(run: FlowRun, node: TSESTree.Node, facts: Facts): Facts {
    if (run.writers.has(node.type)) {
      const defs = run.state.defsByNode.get(node);
      const kills = run.state.killsByNode.get(node);
      if (defs || kills) return redefine(defs ?? [], kills ?? [], facts);
    }
    if (isSuspension(node)) return this.suspend(run, node, facts);
    if (node.type === AST_NODE_TYPES.CallExpression) return this.ownerCall(run, node, facts);
    return facts;
  }

  /**
   * The nodes the flow must enter: those whose facts may be asked for (the anchors), those
   * whose transfer may change the facts (writes of holders, awaits and yields, members some
   * tracked owner gives a role: calls of them and guards), and every node around them in the
   * function. Anything else (most statements of a long function: `setTimeout(() => use(fd))`,
   * `emitter.on('x', …)`) changes no fact and is asked about by no one, and is passed over.
   */
  private openNodes(state: FunctionState, anchors: readonly TSESTree.Node[], hasRoles: (name: string) => boolean): Set<TSESTree.Node> {
    const open = new Set<TSESTree.Node>();
    const reach = (node: TSESTree.Node): void => {
      for (let current: TSESTree.Node | undefined = node; current && current !== state.node && !open.has(current); current = current.parent)
        open.add(current);
    };
    for (const node of anchors) reach(node);
    for (const node of state.defsByNode.keys()) reach(node);
    for (const node of state.killsByNode.keys()) reach(node);
    const own = this.ownNodes(state.node);
    for (const node of own.suspensions) reach(node);
    for (const member of own.members) if (hasRoles(member.name)) reach(member.node);
    return open;
  }

  /**
   * The suspensions directly in a function (not in functions inside it), and its members whose
   * name has a role for some owner a raw value of the file was read from (the others can matter
   * to no function's flow; grouped once, when every function's raw values are known).
   */
  private ownNodes(fn: TSESTree.Node): OwnNodes {
    if (!this.byFunction) {
      const byFunction = new Map<TSESTree.Node, OwnNodes>();
      const entry = (node: TSESTree.Node): OwnNodes => {
        const owner = enclosingFunction(node);
        let found = byFunction.get(owner);
        if (!found) {
          found = { suspensions: [], members: [] };
          byFunction.set(owner, found);
        }
        return found;
      };
      for (const node of this.suspensions) entry(node).suspensions.push(node);
      const owners = new Set<Owner>();
      for (const state of this.functions.values()) {
        for (const origin of state.origins) owners.add(origin.owner);
        for (const def of state.defs) for (const origin of def.origins) owners.add(origin.owner);
      }
      const hasRoles = this.rolePrefilter(owners);
      for (const node of this.members) {
        const name = memberNameOf(node);
        if (name !== undefined && hasRoles(name)) entry(node).members.push({ node, name });
      }
      this.byFunction = byFunction;
    }
    return this.byFunction.get(fn) ?? NO_OWN_NODES;
  }

  /**
   * Whether no read of the def's variable asks for facts after this await or yield: every node
   * whose facts its reads ask for starts before it, and it is in no loop of the function. Outside
   * loops the flow enters nodes in source order, so no state from here on is asked about the def,
   * and the await forgets it instead of recording that it crossed (a long function of blocks that
   * each read a raw value, use it and await kept every block's facts to its end: each state a
   * little larger than the one before).
   */
  private expiry(lastAsked: ReadonlyMap<Variable, number>, fn: TSESTree.Node): (def: Def, suspension: TSESTree.Node) => boolean {
    const inLoop = new Map<TSESTree.Node, boolean>();
    return (def, suspension) => {
      if ((lastAsked.get(def.variable) ?? Infinity) >= suspension.range[0]) return false;
      let loop = inLoop.get(suspension);
      if (loop === undefined) {
        loop = insideLoop(suspension, fn);
        inLoop.set(suspension, loop);
      }
      return !loop;
    };
  }

  /**
   * Whether a member name has a role for some owner the function's raw values were read from
   * (remembered per name). A call of a method no such owner gives a role to changes no fact
   * ({@link callRoles} answers none), so the key of its object is never asked: most calls of a
   * long function are of other methods (`fs.fstatSync(fd)`, `emitter.on(…)`).
   */
  private rolePrefilter(of: Iterable<Owner>): (name: string) => boolean {
    const owners = [...new Set(of)];
    const answers = new Map<string, boolean>();
    return name => {
      let answer = answers.get(name);
      if (answer === undefined) {
        answer = owners.some(owner => this.services.model.rolesOf(owner, name).length > 0);
        answers.set(name, answer);
      }
      return answer;
    };
  }

  /**
   * An `await`/`yield`: each live raw value crosses it, with or without a borrow. Only the pending
   * defs are looked at: one that has crossed an await without a borrow, and also under one (or
   * whose owners can never be borrowed), gains nothing from another, and leaves the pending defs
   * (a walk of every live def at every await was quadratic in a long function).
   */
  private suspend({ state, expired }: FlowRun, node: TSESTree.Node, facts: Facts): Facts {
    let next = facts;
    for (const index of facts.pending()) {
      const def = state.defs[index]!;
      if (!facts.has(`L${index}`)) {
        next = next.withPending(index, false);
        continue;
      }
      if (expired(def, node)) {
        next = forget(next, def);
        continue;
      }
      const held = [...def.origins].every(origin => this.heldAt(node, origin, state.node, facts));
      next = next.add(`${held ? 'C' : 'S'}${index}`);
      if (next.has(`S${index}`) && (next.has(`C${index}`) || ![...def.origins].some(canBeHeld))) next = next.withPending(index, false);
    }
    return next;
  }

  private ownerCall({ state, keys, hasRoles }: FlowRun, call: TSESTree.CallExpression, facts: Facts): Facts {
    const member = calleeMember(call);
    const name = member ? memberNameOf(member) : undefined;
    if (!member || name === undefined || !hasRoles(name)) return facts; // names before keys
    const key = this.refs.keyOf(member.object);
    const owner = key === undefined ? undefined : keys.get(key);
    if (key === undefined || !owner) return facts;
    const roles = this.callRoles(call, owner);
    if (roles.includes('addRef') && facts.has(`U:${key}`)) return facts.delete(`U:${key}`);
    if (roles.includes('release') && !facts.has(`U:${key}`) && owner.roles.addRef.size > 0) return facts.add(`U:${key}`);
    if (roles.includes('guard') && !this.returnsBoolean(call)) return this.guard(state, keys, call, facts, false);
    return facts;
  }

  /** The roles of an owner-method call, confirmed by type (names alone are only a pre-filter). */
  private callRoles(call: TSESTree.CallExpression, owner: Owner): readonly string[] {
    const member = calleeMember(call);
    const name = member ? memberNameOf(member) : undefined;
    if (name === undefined || this.services.model.rolesOf(owner, name).length === 0) return [];
    let roles = this.callRoleCache.get(call);
    if (!roles) {
      roles = this.services.calledOwnerMember(call)?.roles ?? [];
      this.callRoleCache.set(call, roles);
    }
    return roles;
  }

  private returnsBoolean(call: TSESTree.CallExpression): boolean {
    return tsutils.isTypeFlagSet(this.services.typeOf(call), ts.TypeFlags.BooleanLike);
  }

  /**
   * A liveness check on the branch where the owner is open (`if (dev.closed) return;`, or a
   * throwing `dev.throwIfClosed()`): the owner is known open, so raw values read from it before
   * an await are fresh again.
   */
  private guard(state: FunctionState, keys: ReadonlyMap<string, Owner>, test: TSESTree.Node, facts: Facts, isTest: boolean): Facts {
    const expression = skipWrappers(test);
    let member: TSESTree.MemberExpression | undefined;
    if (expression.type === AST_NODE_TYPES.MemberExpression) member = expression;
    else if (expression.type === AST_NODE_TYPES.CallExpression && (!isTest || this.returnsBoolean(expression)))
      member = calleeMember(expression);
    const key = member ? this.refs.keyOf(member.object) : undefined;
    const owner = key === undefined ? undefined : keys.get(key);
    if (!member || !owner || !this.services.model.hasRole(owner, 'guard', memberNameOf(member))) return facts;
    let next = facts;
    for (const def of liveDefs(state, facts)) {
      if ([...def.origins].some(origin => origin.key === key)) next = next.delete(`S${def.index}`).withPending(def.index, true);
    }
    return next;
  }
}

/**
 * A node that writes variables (defs of raw values, or kills): their earlier defs no longer hold,
 * the new defs do. A local def never has a fact (see isLocalDef), so only the others are edited;
 * the facts stay the same object when nothing changes. The earlier defs' facts are found from
 * the facts' own index of live defs by variable: a walk of every def of a variable at each of its
 * writes, or of every fact, was quadratic in a function that writes one variable n times.
 */
function redefine(defs: readonly Def[], kills: readonly Variable[], facts: Facts): Facts {
  let next = facts;
  for (const variable of [...defs.map(def => def.variable), ...kills]) {
    for (const index of facts.liveOf(variable)) for (const prefix of 'LSC') next = next.delete(`${prefix}${index}`);
    next = next.clearLive(variable);
  }
  for (const def of defs) {
    if (def.local !== true && def.unasked !== true)
      next = next.add(`L${def.index}`).withPending(def.index, true).addLive(def.variable, def.index);
  }
  return next;
}

/** The defs that may hold where the facts hold (those with an `L` fact), in the order of the facts. */
function liveDefs(state: FunctionState, facts: Facts): Def[] {
  const defs: Def[] = [];
  for (const fact of facts) if (fact.startsWith('L')) defs.push(state.defs[Number(fact.slice(1))]!);
  return defs;
}

/** The facts without any of the def's (no longer asked about, see HolderFlow.expiry). */
function forget(facts: Facts, def: Def): Facts {
  let next = facts;
  for (const prefix of 'LSC') next = next.delete(`${prefix}${def.index}`);
  return next.withPending(def.index, false).removeLive(def.variable, def.index);
}

/** Whether a node lies in a loop (its test, update or body included) of the function `fn`. */
function insideLoop(node: TSESTree.Node, fn: TSESTree.Node): boolean {
  for (let current = node.parent; current && current !== fn; current = current.parent) {
    switch (current.type) {
      case AST_NODE_TYPES.ForStatement:
      case AST_NODE_TYPES.ForInStatement:
      case AST_NODE_TYPES.ForOfStatement:
      case AST_NODE_TYPES.WhileStatement:
      case AST_NODE_TYPES.DoWhileStatement:
        return true;
      default:
    }
  }
  return false;
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const values = map.get(key);
  if (values) values.push(value);
  else map.set(key, [value]);
}

/** The union of two sets of facts. */
function joinFacts(a: Facts, b: Facts): Facts {
  return a.union(b);
}

/** Whether a borrow of the origin's owner can ever be held (a lease, or addRef + release). */
function canBeHeld(origin: Origin): boolean {
  const { lease, addRef, release } = origin.owner.roles;
  return origin.key !== undefined && (lease.size > 0 || (addRef.size > 0 && release.size > 0));
}

/**
 * The nodes whose flow facts the analysis asks for (the reads of the function's holders, and
 * where `heldAt` looks: a read's enclosing callback or the call sites of a local function, an
 * asynchronous call a raw value is passed to); only theirs are kept.
 */
function askedNodes(state: FunctionState): (node: TSESTree.Node) => boolean {
  const reads = new Set<TSESTree.Node>();
  for (const variable of state.defsByVariable.keys()) for (const reference of variable.references) reads.add(reference.identifier);
  return node =>
    node.type === AST_NODE_TYPES.Identifier
      ? reads.has(node)
      : node.type === AST_NODE_TYPES.CallExpression || node.type === AST_NODE_TYPES.NewExpression || isFunction(node);
}

/**
 * Whether the def reaches every read of its variable with nothing for the flow to learn: the only
 * write of a `const`/`let` (no other def, no kill), no loop and no function between the
 * declaration's block and any read (a back edge could bring an await before the read; a function
 * runs where it is called), and no await or yield of the
 * function between the def and any read in source order (the only order in which code after a
 * declaration in its block can run, loops aside).
 */
function isLocalDef(state: FunctionState, def: Def, killed: ReadonlySet<Variable>, suspensionsOf: () => readonly number[]): boolean {
  const declarator = def.node;
  const declaration = declarator.parent;
  if (declarator.type !== AST_NODE_TYPES.VariableDeclarator || declaration?.type !== AST_NODE_TYPES.VariableDeclaration) return false;
  if (declaration.kind !== 'const' && declaration.kind !== 'let') return false;
  if (killed.has(def.variable) || (state.defsByVariable.get(def.variable)?.length ?? 0) !== 1 || def.variable.defs.length !== 1)
    return false;
  const block = declaration.parent;
  const from = declarator.range[1];
  let last = from;
  for (const reference of def.variable.references) {
    if (reference.init === true) continue;
    if (reference.isWrite()) return false;
    const read = reference.identifier;
    if (read.range[0] < from) return false;
    for (let node: TSESTree.Node | undefined = read.parent; node !== block; node = node.parent) {
      if (!node || node === state.node) return false;
      // A read in a function runs where the function is called, not where it is written.
      if (isFunction(node)) return false;
      if (
        node.type === AST_NODE_TYPES.ForStatement ||
        node.type === AST_NODE_TYPES.ForInStatement ||
        node.type === AST_NODE_TYPES.ForOfStatement ||
        node.type === AST_NODE_TYPES.WhileStatement ||
        node.type === AST_NODE_TYPES.DoWhileStatement
      ) {
        return false;
      }
    }
    last = Math.max(last, read.range[0]);
  }
  if (last === from) return true; // no read
  // An await or yield between the def and some read: between the def and the last read (asked
  // last, so that the function's awaits are looked for only for a def that passes the rest).
  const suspensions = suspensionsOf();
  let low = 0;
  let high = suspensions.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (suspensions[middle]! < from) low = middle + 1;
    else high = middle;
  }
  return !(low < suspensions.length && suspensions[low]! < last);
}

function flowFunction(node: TSESTree.Node): FunctionNode | undefined {
  if (isFunction(node)) return node;
  if (node.type !== AST_NODE_TYPES.Program) return undefined;
  // Module code runs like the body of a function (top-level await included).
  const body = { ...node, type: AST_NODE_TYPES.BlockStatement, body: node.body } as unknown as TSESTree.BlockStatement;
  return { type: AST_NODE_TYPES.FunctionExpression, params: [], body, async: true, generator: false } as unknown as FunctionNode;
}
