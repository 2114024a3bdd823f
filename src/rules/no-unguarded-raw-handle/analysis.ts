// Collects the `rawHandle` reads of one file during the AST pass, then (at `Program:exit`)
// follows each raw value through the function that read it: into locals (holders), aliases and
// collected results, and records every way it outlives its statement (docs/rules/no-unguarded-raw-handle.md).
import { AST_NODE_TYPES, TSESLint, type TSESTree } from '@typescript-eslint/utils';
import tsutils from '../../util/ts-api-utils.cjs';
import ts from '../../util/typescript.cjs';
import { memberNameOf, propertyKeyName, type NativeHandleServices, type Owner } from '../../model/index.js';
import { isFunction, isWrapper, isWriteTarget, skipWrappers } from '../../util/ast.js';
import { type References, referencesOf } from '../../model/references.js';
import { enclosingFunction } from '../../model/util.js';
import { HolderFlow } from './flow.js';
import type { AskedPositions, Def, FunctionState, Origin, Placement, Problem, ResultUse, Use, Variable } from './records.js';
import { declaredInside, rootOf, UseClassifier } from './uses.js';

/**
 * Methods of the lib's arrays and typed arrays whose result is made of their callback's results
 * (`map`, `flatMap`, the mapper of `Array.from`, `reduce`). Others ignore them (`forEach`), reduce
 * them to a boolean or an index (`some`, `findIndex`), or return the elements (`filter`, `find`).
 */
const COLLECTING_METHODS = new Set(['map', 'flatMap', 'from', 'reduce', 'reduceRight']);
const MAX_ALIAS_ROUNDS = 4;

/**
 * Collects the `rawHandle` reads of one file during the AST pass, then (at `Program:exit`)
 * follows each raw value through the function that read it.
 */
export class RawHandleAnalyzer {
  private readonly origins: Origin[] = [];
  private readonly resultUses: ResultUse[] = [];
  private readonly seenUses = new Map<readonly TSESTree.Node[], Set<TSESTree.Node>>();
  /** Per holder's defs, the earliest read in a callback that can run later (see checkHolderRead). */
  private readonly deferredReads = new Map<readonly Def[], TSESTree.Node>();
  private readonly placements = new Map<TSESTree.Node, { readonly fn: TSESTree.Node; readonly placement: Placement }>();
  private readonly sourceCode: Readonly<TSESLint.SourceCode>;
  /** Which owner an expression names: `addRef`/`release`, guards and leases match the owner a raw handle was read from by it. */
  private readonly refs: References;
  private readonly uses: UseClassifier;
  private readonly holderFlow: HolderFlow;

  constructor(
    context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>,
    private readonly services: NativeHandleServices,
  ) {
    this.sourceCode = context.sourceCode;
    this.refs = referencesOf(context.sourceCode);
    this.uses = new UseClassifier(context.sourceCode, services);
    this.holderFlow = new HolderFlow(context.sourceCode, services, this.refs, state => this.askedOf(state));
  }

  // ---------------------------------------------------------------------------------------
  // Candidates (syntax first, then one type question)

  memberCandidate(node: TSESTree.MemberExpression): void {
    this.holderFlow.noteMember(node);
    const object = skipWrappers(node.object);
    if (object.type === AST_NODE_TYPES.ThisExpression || object.type === AST_NODE_TYPES.Super) return;
    if (isWriteTarget(node, { destructuring: true })) return;
    const name = memberNameOf(node);
    if (name === undefined || !this.services.model.mayBeRawHandleName(name)) return; // syntax before types
    const info = this.services.ownerMember(node);
    if (!info?.roles.includes('rawHandle')) return;
    const call = calledBy(node);
    let value: TSESTree.Node = node;
    let member = info.name;
    if (call) {
      value = call;
      member = `${info.name}()`;
    } else if (this.services.isCallable(node)) {
      return; // a method taken as a value, not the raw handle
    }
    this.addOrigin(value, value, info.owner, member, node.object, node.optional || this.isNullable(node.object));
  }

  /** An `await`, a `yield` or the head of a `for await` loop (where the flow must look). */
  suspension(node: TSESTree.Node): void {
    this.holderFlow.noteSuspension(node);
  }

  destructuringCandidates(node: TSESTree.VariableDeclarator): void {
    if (node.id.type !== AST_NODE_TYPES.ObjectPattern || !node.init) return;
    const init = node.init;
    if (skipWrappers(init).type === AST_NODE_TYPES.ThisExpression) return;
    let owner: Owner | undefined;
    for (const property of node.id.properties) {
      if (property.type !== AST_NODE_TYPES.Property) continue;
      const name = propertyKeyName(property.key, property.computed);
      const target = property.value.type === AST_NODE_TYPES.AssignmentPattern ? property.value.left : property.value;
      if (name === undefined || target.type !== AST_NODE_TYPES.Identifier) continue;
      if (!this.services.model.mayBeRawHandleName(name)) continue; // syntax before types
      owner ??= this.services.ownerOf(init);
      if (!owner) return;
      if (!this.services.model.hasRole(owner, 'rawHandle', name) || hasCallSignatures(this.services.typeOf(target))) continue;
      const origin = this.addOrigin(property, target, owner, name, init, this.isNullable(init));
      const variable = this.sourceCode.getDeclaredVariables(node).find(candidate => candidate.name === target.name);
      if (variable) this.holderFlow.addDef(this.holderFlow.stateOf(origin.fn), node, variable, [origin]);
    }
  }

  private addOrigin(
    report: TSESTree.Node,
    value: TSESTree.Node,
    owner: Owner,
    member: string,
    object: TSESTree.Node,
    nullable: boolean,
  ): Origin {
    const fn = enclosingFunction(report);
    const origin: Origin = { report, value, owner, member, object, key: this.refs.keyOf(object), nullable, fn, problems: [], uses: [] };
    this.origins.push(origin);
    this.holderFlow.stateOf(fn).origins.push(origin);
    return origin;
  }

  private isNullable(object: TSESTree.Node): boolean {
    const type = this.services.typeOf(object);
    return tsutils.unionConstituents(type).some(part => tsutils.isTypeFlagSet(part, ts.TypeFlags.Null | ts.TypeFlags.Undefined));
  }

  // ---------------------------------------------------------------------------------------
  // Analysis at Program:exit

  /** Follows every read; returns them all, each with its problems and uses (the rule reports those with problems). */
  finish(): readonly Origin[] {
    if (this.origins.length === 0) return this.origins;
    // 1. Where each read goes: locals that receive a raw value become holders, and so do locals
    //    that receive the result of a collecting callback that returns it (`xs.map(x => x.fd)`).
    const direct = this.origins.filter(origin => origin.value === origin.report);
    for (const origin of direct) {
      const use = this.uses.classify(origin.value, origin.fn);
      if (use.kind === 'holder') this.holderFlow.addDef(this.holderFlow.stateOf(origin.fn), use.node, use.variable, [origin]);
      else if (use.kind === 'returned' && this.uses.isSyncCallback(origin.fn)) this.followResult([origin], origin.fn);
    }
    // 2. Aliases and re-assignments of holders (before any flow is computed).
    this.collectAllHolders();
    // 3. The reads themselves, the collected results, then every read of a holder.
    for (const origin of direct) {
      const use = this.uses.classify(origin.value, origin.fn);
      if (use.kind === 'returned' && this.uses.isSyncCallback(origin.fn)) continue; // followed in 1.
      if (use.kind !== 'holder') this.recordUse(use, [origin], origin.value, origin.fn);
    }
    for (const result of this.resultUses) this.recordUse(result.use, result.origins, result.at, result.fn);
    for (const state of this.holderFlow.functions.values()) this.checkHolders(state);
    return this.origins;
  }

  /**
   * Collects the holders of every function, inner functions first ({@link innerFirst}): a
   * callback's returned holder adds a holder to the function around it (`xs.map(x => { const fd =
   * x.fd; return fd; })`), whose state may be new then. One sort, not a search for the next
   * function among all those left at each step (quadratic in a file of many functions).
   */
  private collectAllHolders(): void {
    const functions = this.holderFlow.functions;
    const queue = [...functions.values()].sort(innerFirst);
    const queued = new Set(queue);
    for (let index = 0; index < queue.length; index++) {
      this.collectHolders(queue[index]!);
      if (functions.size === queued.size) continue;
      for (const state of functions.values()) {
        if (queued.has(state)) continue;
        queued.add(state);
        queue.splice(insertionIndex(queue, state, index + 1), 0, state);
      }
    }
  }

  /**
   * A raw value returned from a synchronous callback. When the callback's results make up the
   * call's result (`xs.map(x => x.fd)`, an IIFE), that result holds the raw value and is followed
   * like the read itself; otherwise (`forEach`, `some`, `filter`, a Promise executor) it goes nowhere.
   */
  private followResult(origins: readonly Origin[], callback: TSESTree.Node): void {
    const call = this.collectingCall(callback);
    if (!call) return;
    const fn = enclosingFunction(call);
    const derived = origins.map(origin => this.resultOrigin(origin, call, callback, fn));
    const use = this.uses.classify(call, fn);
    if (use.kind === 'holder') this.holderFlow.addDef(this.holderFlow.stateOf(fn), use.node, use.variable, derived);
    else if (use.kind === 'returned' && this.uses.isSyncCallback(fn)) this.followResult(derived, fn);
    else this.resultUses.push({ use, origins: derived, at: call, fn });
  }

  /** For a synchronous callback whose results make up the call's result (an IIFE, the lib's `map`, `flatMap`…): that call. */
  private collectingCall(callback: TSESTree.Node): TSESTree.CallExpression | undefined {
    const call = callback.parent;
    if (call?.type !== AST_NODE_TYPES.CallExpression) return undefined;
    if (call.callee === callback) return this.uses.isSyncCallback(callback) ? call : undefined;
    // Syntax before the callback's timing (`setTimeout(() => fd)`, `emitter.on('x', () => fd)` collect nothing).
    const callee = skipWrappers(call.callee);
    if (callee.type !== AST_NODE_TYPES.MemberExpression) return undefined;
    const name = memberNameOf(callee);
    if (name === undefined || !COLLECTING_METHODS.has(name)) return undefined;
    return this.uses.isSyncCallback(callback) && this.services.isDefaultLibValue(callee) ? call : undefined;
  }

  /**
   * The origin seen as the collected result in the function around the call. It shares the
   * read's problems (reported once, at the read); its owner key is kept only where it names the
   * same owner outside the callback (not `x` of `xs.map(x => x.fd)`).
   */
  private resultOrigin(origin: Origin, call: TSESTree.Node, callback: TSESTree.Node, fn: TSESTree.Node): Origin {
    const root = rootOf(origin.object);
    let key: string | undefined;
    if (root?.type === AST_NODE_TYPES.ThisExpression) {
      key = callback.type === AST_NODE_TYPES.ArrowFunctionExpression ? origin.key : undefined;
    } else if (root?.type === AST_NODE_TYPES.Identifier) {
      const variable = this.refs.variableOf(root);
      key = variable && !declaredInside(variable, callback) ? origin.key : undefined;
    }
    return { ...origin, value: call, fn, key };
  }

  private recordUse(use: Use, origins: Iterable<Origin>, at: TSESTree.Node, fn: TSESTree.Node): void {
    let problem: Problem | undefined;
    if (use.kind === 'returned' || use.kind === 'field' || use.kind === 'outer') {
      problem = { reason: use.kind, at, borrowable: false };
    } else if (use.kind === 'asyncCall') {
      const all = [...origins];
      if (use.awaited && all.every(origin => this.holderFlow.heldAt(use.call, origin, fn))) return;
      problem = { reason: 'asyncCall', at, borrowable: use.awaited };
    }
    if (problem) for (const origin of origins) origin.problems.push(problem);
  }

  /** Collects the locals that hold a raw value in one function: aliases (`const b = a`) and re-assignments. */
  private collectHolders(state: FunctionState): void {
    if (state.defs.length === 0) return;
    const seen = new Set<Variable>();
    for (let round = 0; round < MAX_ALIAS_ROUNDS; round++) {
      const pending = [...state.defsByVariable.keys()].filter(variable => !seen.has(variable));
      if (pending.length === 0) break;
      for (const variable of pending) {
        seen.add(variable);
        this.collectAliases(state, variable);
      }
    }
    for (const variable of state.defsByVariable.keys()) this.collectKills(state, variable);
  }

  /** Checks every read of every local that holds a raw value. */
  private checkHolders(state: FunctionState): void {
    for (const variable of state.defsByVariable.keys()) {
      for (const reference of valueReads(variable)) this.checkHolderRead(state, variable, reference.identifier);
    }
  }

  private collectAliases(state: FunctionState, variable: Variable): void {
    const origins = [...new Set((state.defsByVariable.get(variable) ?? []).flatMap(def => [...def.origins]))];
    for (const reference of valueReads(variable)) {
      const read = reference.identifier;
      const at = enclosingFunction(read);
      if (at !== state.node) {
        this.followCapturedResult(state, read, at, origins);
        continue;
      }
      const use = this.uses.classify(read, state.node);
      if (use.kind === 'holder' && use.variable !== variable) this.holderFlow.addDef(state, use.node, use.variable, origins);
      else if (use.kind === 'returned' && this.uses.isSyncCallback(state.node)) this.followResult(origins, state.node);
    }
  }

  /** `ids.map(() => fd)` directly in the holder's function: the collected result holds the raw value too. */
  private followCapturedResult(state: FunctionState, read: TSESTree.Node, callback: TSESTree.Node, origins: readonly Origin[]): void {
    const call = this.collectingCall(callback);
    if (!call || enclosingFunction(call) !== state.node) return;
    if (this.uses.classify(read, state.node).kind === 'returned') this.followResult(origins, callback); // classified as checkHolderRead does
  }

  private collectKills(state: FunctionState, variable: Variable): void {
    const add = (node: TSESTree.Node): void => {
      if (state.defsByNode.get(node)?.some(def => def.variable === variable)) return;
      const kills = state.killsByNode.get(node) ?? [];
      kills.push(variable);
      state.killsByNode.set(node, kills);
    };
    for (const definition of variable.defs) {
      if (definition.node.type === AST_NODE_TYPES.VariableDeclarator && !definition.node.init) add(definition.node);
    }
    for (const reference of variable.references) {
      if (!reference.isWrite()) continue;
      const writer = writerOf(reference.identifier);
      if (writer) add(writer);
    }
  }

  private checkHolderRead(state: FunctionState, variable: Variable, identifier: TSESTree.Node): void {
    const fn = state.node;
    const placement = this.placementOf(identifier, fn);
    if (placement.kind === 'deferred') {
      this.checkDeferredRead(state, variable, identifier);
      return;
    }
    const use = this.uses.classify(identifier, fn);
    if (use.kind === 'handOff' || use.kind === 'inert') return; // other rules' business, or not a use of the handle
    const flow = this.holderFlow.flowOf(state);
    const nested = placement.nodes[0] !== identifier;
    for (const position of placement.nodes) {
      const facts = flow?.before(position);
      if (flow && !facts) continue; // unreachable
      for (const def of this.holderFlow.holdingDefs(state, variable, facts)) {
        const stale =
          facts !== undefined &&
          def.local !== true &&
          (facts.has(`S${def.index}`) ||
            (facts.has(`C${def.index}`) && ![...def.origins].every(origin => this.holderFlow.heldAt(position, origin, fn))));
        for (const origin of def.origins)
          this.addUse(origin, identifier, stale ? { reason: 'await', at: identifier, borrowable: true } : undefined);
        if (this.isOwnUse(use, nested, fn)) this.recordUse(use, def.origins, identifier, fn);
      }
    }
  }

  /**
   * A read of a holder in a closure that can run later: every def of the variable gets the
   * problem. A later deferred read adds nothing the report reads: the first problem is the
   * earliest, a callback problem rules out the borrow suggestion (the only reader of the uses),
   * and the defs are the same; n callbacks reading a variable written n times cost n × n
   * otherwise. So the earlier read is looked for before the use is classified, and only whether
   * the use counts at all (not a hand-off, not inert) is asked: the rest of its classification
   * (is the call asynchronous?) never changes a deferred read's problem.
   */
  private checkDeferredRead(state: FunctionState, variable: Variable, identifier: TSESTree.Node): void {
    const defs = state.defsByVariable.get(variable) ?? [];
    const earlier = this.deferredReads.get(defs);
    if (earlier && earlier.range[0] < identifier.range[0]) return;
    if (this.uses.isIgnored(identifier, state.node)) return; // other rules' business, or not a use of the handle
    this.deferredReads.set(defs, identifier);
    const problem: Problem = { reason: 'callback', at: identifier, borrowable: false };
    for (const def of defs) for (const origin of def.origins) this.addUse(origin, identifier, problem);
  }

  /**
   * Whether a holder read's use is recorded at the read: not an alias (followed as a holder), and
   * not a value returned from a synchronous callback (followed as the call's result, or dropped).
   * Inside a callback run before its call returns, only what escapes the callback counts.
   */
  private isOwnUse(use: Use, nested: boolean, fn: TSESTree.Node): boolean {
    if (use.kind === 'holder') return false;
    if (use.kind === 'returned') return !nested && !this.uses.isSyncCallback(fn);
    return !(nested && use.kind === 'asyncCall' && use.awaited);
  }

  private addUse(origin: Origin, use: TSESTree.Node, problem: Problem | undefined): void {
    // Each read once, found in a set (a search of the list made a holder read n times cost n²);
    // by list, which a collected result's origin shares with the read's.
    let seen = this.seenUses.get(origin.uses);
    if (!seen) {
      seen = new Set(origin.uses);
      this.seenUses.set(origin.uses, seen);
    }
    if (!seen.has(use)) {
      seen.add(use);
      origin.uses.push(use);
    }
    if (problem) origin.problems.push(problem);
  }

  /**
   * Where the flow of a function is asked about (one pass over its holders' reads):
   * - `lastAsked`: per holder variable, the start of the last node whose flow facts a read of it
   *   asks for (the positions of its reads' placements, see checkHolderRead); -1 when none does
   *   (every read is in a closure that can run later). Past it, the flow may forget the variable's defs.
   * - `anchors`: the nodes whose facts may be asked for (see HolderFlow.openNodes): where the
   *   holders' reads are placed, and the reads of raw values into the function (an asynchronous
   *   call a raw value is passed to, whose facts heldAt asks for, encloses the read).
   */
  private askedOf(state: FunctionState): AskedPositions {
    const lastAsked = new Map<Variable, number>();
    const anchors: TSESTree.Node[] = [];
    for (const variable of state.defsByVariable.keys()) {
      let offset = -1;
      for (const reference of valueReads(variable)) {
        const placement = this.placementOf(reference.identifier, state.node);
        if (placement.kind !== 'at') continue;
        for (const node of placement.nodes) {
          offset = Math.max(offset, node.range[0]);
          anchors.push(node);
        }
      }
      lastAsked.set(variable, offset);
    }
    for (const origin of state.origins) anchors.push(origin.value);
    for (const def of state.defs) for (const origin of def.origins) if (origin.fn === state.node) anchors.push(origin.value);
    for (const result of this.resultUses) if (result.fn === state.node) anchors.push(result.at);
    return { lastAsked, anchors };
  }

  /**
   * Where a read of a holder happens, seen from the holder's function: directly, in a callback
   * called before the statement ends (position: that callback), in a local function called only
   * directly (positions: its call sites), or in a closure that can run later (remembered per read).
   */
  private placementOf(identifier: TSESTree.Node, fn: TSESTree.Node): Placement {
    const inner = enclosingFunction(identifier);
    if (inner === fn) return { kind: 'at', nodes: [identifier] };
    // Every read in the same function has the same placement: remembered per function (for the holder's function).
    const known = this.placements.get(inner);
    if (known?.fn === fn) return known.placement;
    const placement = this.nestedPlacement(inner, fn);
    this.placements.set(inner, { fn, placement });
    return placement;
  }

  /** The placement of a read in function `inner`, nested in the holder's function `fn`. */
  private nestedPlacement(inner: TSESTree.Node, fn: TSESTree.Node): Placement {
    const chain: TSESTree.Node[] = [];
    for (let current = inner; current !== fn; current = enclosingFunction(current)) {
      if (current.type === AST_NODE_TYPES.Program) return { kind: 'deferred' };
      chain.push(current);
    }
    const outermost = chain[chain.length - 1]!;
    for (const nested of chain.slice(0, -1)) if (!this.uses.isSyncCallback(nested)) return { kind: 'deferred' };
    if (this.uses.isSyncCallback(outermost)) return { kind: 'at', nodes: [outermost] };
    const sites = this.localCallSites(outermost, fn);
    return sites ? { kind: 'at', nodes: sites } : { kind: 'deferred' };
  }

  /** For a local function only ever called directly in `fn`: those calls. */
  private localCallSites(node: TSESTree.Node, fn: TSESTree.Node): TSESTree.Node[] | undefined {
    let variable: Variable | undefined;
    if (node.parent?.type === AST_NODE_TYPES.ExportNamedDeclaration || node.parent?.type === AST_NODE_TYPES.ExportDefaultDeclaration) {
      return undefined; // callable from other modules
    }
    if (node.type === AST_NODE_TYPES.FunctionDeclaration && node.id) {
      variable = this.sourceCode.getDeclaredVariables(node)[0];
    } else if (
      node.parent?.type === AST_NODE_TYPES.VariableDeclarator &&
      node.parent.init === node &&
      node.parent.id.type === AST_NODE_TYPES.Identifier &&
      node.parent.parent.kind === 'const'
    ) {
      variable = this.sourceCode.getDeclaredVariables(node.parent)[0];
    }
    if (!variable) return undefined;
    const sites: TSESTree.Node[] = [];
    for (const reference of variable.references) {
      if (reference.init === true) continue;
      const parent = reference.identifier.parent;
      if (parent.type !== AST_NODE_TYPES.CallExpression || parent.callee !== reference.identifier) return undefined;
      if (enclosingFunction(parent) !== fn) return undefined;
      sites.push(parent);
    }
    return sites;
  }
}

/** Whether function `a` lies inside `b`, or starts later (so no function that `b` holds is inside `a`). */
/** Inner functions first: the latest start first, then the shortest (a function before the one around it). */
function innerFirst(a: FunctionState, b: FunctionState): number {
  return b.node.range[0] - a.node.range[0] || a.node.range[1] - b.node.range[1];
}

/** Where a state goes in a queue sorted by {@link innerFirst}, at `from` or after. */
function insertionIndex(queue: readonly FunctionState[], state: FunctionState, from: number): number {
  let low = from;
  let high = queue.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (innerFirst(queue[middle]!, state) <= 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

function hasCallSignatures(type: ts.Type): boolean {
  return tsutils.unionConstituents(type).some(part => part.getCallSignatures().length > 0);
}

/** The call that invokes this member (`q.getHandle()`, `q.getHandle?.()`, `q.getHandle!()`). */
function calledBy(node: TSESTree.MemberExpression): TSESTree.CallExpression | undefined {
  let child: TSESTree.Node = node;
  let parent: TSESTree.Node = node.parent;
  while (isWrapper(parent) && parent.type !== AST_NODE_TYPES.ChainExpression) {
    child = parent;
    parent = parent.parent;
  }
  return parent.type === AST_NODE_TYPES.CallExpression && parent.callee === child ? parent : undefined;
}

function valueReads(variable: Variable): TSESLint.Scope.Reference[] {
  return variable.references.filter(reference => reference.isRead() && reference.isValueReference && !reference.isWrite());
}

/** The node that writes a variable through this identifier (assignment, declarator, update, loop head). */
function writerOf(identifier: TSESTree.Node): TSESTree.Node | undefined {
  for (let current: TSESTree.Node | undefined = identifier.parent; current; current = current.parent) {
    switch (current.type) {
      case AST_NODE_TYPES.AssignmentExpression:
      case AST_NODE_TYPES.VariableDeclarator:
      case AST_NODE_TYPES.UpdateExpression:
        return current;
      case AST_NODE_TYPES.ForInStatement:
      case AST_NODE_TYPES.ForOfStatement:
        return current.left;
      default:
        if (isFunction(current) || current.type.endsWith('Statement')) return undefined;
    }
  }
  return undefined;
}
