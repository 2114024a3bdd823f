import { AST_NODE_TYPES, ASTUtils, TSESLint, type TSESTree } from '@typescript-eslint/utils';
import ts from '../util/typescript.cjs';
import { analyzeFunction, type FlowAnalysis } from '../model/flow.js';
import { mayBeCloseName } from '../model/lifetime.js';
import {
  CONVENTIONAL_CLOSE,
  calleeMember,
  getNativeHandleServices,
  memberNameOf,
  propertyKeyName,
  symbolMemberName,
  type NativeHandleServices,
  type Owner,
} from '../model/index.js';
import {
  inStatementList,
  isNullish,
  isWrapper,
  lineBreakOf,
  outerWrapper,
  skipWrappers,
  type FunctionNode,
} from '../util/ast.js';
import { createRule } from './createRule.js';
import { References, isThisMemberKey, isWithinKey, referencesOf } from '../model/references.js';
import { asFunction, contains, thisClassOf, type ClassLike } from '../model/util.js';

export type MessageIds =
  | 'pendingOp'
  | 'pendingOpNoCancel'
  | 'storedOp'
  | 'storedOpNoCancel'
  | 'abortFirst'
  | 'cancelFirst';

export default createRule<[], MessageIds>({
  name: 'no-close-with-pending-ops',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow closing a native resource while an operation started on it may still be pending',
      recommended: true,
      requiresTypeChecking: true,
    },
    hasSuggestions: true,
    messages: {
      pendingOp:
        '`{{close}}` closes this {{owner}} while `{{operation}}` started on it may still be pending. Cancel the operation first with {{cancel}}; waiting for it instead can hang forever (a read on a pipe that never gets data).',
      pendingOpNoCancel:
        '`{{close}}` closes this {{owner}} while `{{operation}}` started on it may still be pending. Cancel pending work before closing rather than waiting for it, which can hang forever (a read on a pipe that never gets data); {{advice}}.',
      storedOp:
        '`{{close}}` in `{{method}}()` closes this {{owner}} while `{{holder}}` may still be pending. Cancel the operation stored there first with {{cancel}}; waiting for it instead can hang forever (a read on a pipe that never gets data).',
      storedOpNoCancel:
        '`{{close}}` in `{{method}}()` closes this {{owner}} while `{{holder}}` may still be pending. Cancel pending work before closing rather than waiting for it, which can hang forever (a read on a pipe that never gets data); {{advice}}.',
      abortFirst: 'Call `{{call}}` before closing (the pending operation then rejects with an AbortError).',
      cancelFirst: 'Call `{{call}}` before closing (the pending operation then completes with an abort error).',
    },
    schema: [],
    defaultOptions: [],
  },
  create(context) {
    const services = getNativeHandleServices(context);
    const collector = new Collector();
    return {
      Program: node => {
        collector.enter(node);
      },
      ':function': (node: FunctionNode) => {
        collector.enter(node);
      },
      ':function:exit': () => {
        collector.exit();
      },
      CallExpression: node => {
        collector.call(node);
      },
      AwaitExpression: node => {
        collector.awaitExpression(node);
      },
      'Program:exit': () => {
        const analyzer = new Analyzer(context, services, collector);
        for (const finding of analyzer.run()) reportFinding(context, services, finding);
      },
    };
  },
});

// -----------------------------------------------------------------------------------------
// What the single AST pass collects

type Context = Readonly<TSESLint.RuleContext<MessageIds, []>>;

interface FunctionInfo {
  readonly node: FunctionNode | TSESTree.Program;
  /** Calls of a member (`x.m()`), not counting those inside nested functions. */
  readonly calls: TSESTree.CallExpression[];
  readonly awaits: TSESTree.AwaitExpression[];
  /** The class whose instance `this` is here (methods, and arrows inside them). */
  readonly thisClass: ClassLike | undefined;
  /** The name of the instance method (or function-valued field) this function is. */
  readonly methodName: string | undefined;
  /** Operations stored on `this` by other methods, pending when this (close) method starts. */
  readonly initial: OpRecord[];
}

interface ClassInfo {
  readonly methods: Map<string, FunctionInfo>;
  /** Member calls on `this.…` anywhere in the class: candidates for a stored operation. */
  readonly thisCalls: TSESTree.CallExpression[];
}

class Collector {
  readonly functions: FunctionInfo[] = [];
  readonly classes = new Map<ClassLike, ClassInfo>();
  private readonly stack: FunctionInfo[] = [];

  enter(node: FunctionNode | TSESTree.Program): void {
    const thisClass = node.type === AST_NODE_TYPES.Program ? undefined : thisClassOf(node);
    const methodName = node.type === AST_NODE_TYPES.Program ? undefined : methodNameOf(node);
    const info: FunctionInfo = { node, calls: [], awaits: [], thisClass, methodName, initial: [] };
    this.functions.push(info);
    this.stack.push(info);
    if (thisClass && methodName !== undefined) this.classInfo(thisClass).methods.set(methodName, info);
  }

  exit(): void {
    this.stack.pop();
  }

  call(node: TSESTree.CallExpression): void {
    const info = this.stack[this.stack.length - 1];
    const member = calleeMember(node);
    if (!info || !member) return;
    info.calls.push(node);
    if (info.thisClass && rootIsThis(member.object)) this.classInfo(info.thisClass).thisCalls.push(node);
  }

  awaitExpression(node: TSESTree.AwaitExpression): void {
    this.stack[this.stack.length - 1]?.awaits.push(node);
  }

  classInfo(node: ClassLike): ClassInfo {
    let info = this.classes.get(node);
    if (!info) {
      info = { methods: new Map(), thisCalls: [] };
      this.classes.set(node, info);
    }
    return info;
  }
}

// -----------------------------------------------------------------------------------------
// Analysis, at Program:exit

/** A pending operation started at one call site. */
interface OpRecord {
  readonly call: TSESTree.CallExpression;
  readonly owner: Owner;
  /** Which owner it runs on (see References). */
  readonly ownerKey: string;
  /** Where its promise is kept (`p`, `this.pending`, an array it was pushed to). */
  readonly holder: string | undefined;
  readonly holderText: string | undefined;
  /** Controllers whose signal the operation was given: aborting one cancels it. */
  readonly controllers: readonly Controller[];
  /** Started in another method of the class and stored on `this` (spec §3.3, class clause). */
  readonly stored: boolean;
  /** Where the record enters the state: the node that stores its promise, or the statement-level expression that leaves it loose. */
  readonly anchor: TSESTree.Node;
  /** Whether it is one of several promises joined by a `Promise.all` (see Join). */
  readonly join: Join;
  /** `joined` for an operation inside an awaited `Promise.all`: the record starts at that await, pending only if it throws. */
  readonly startsAs: 'started' | 'joined';
}

/**
 * `all`: the promise is one of several given to `Promise.all`, which rejects at the first
 * rejection while the others keep running; `swallowed`: and that rejection is caught
 * (`Promise.all([…]).catch(…)`), so even a normal completion leaves the others running.
 */
type Join = 'none' | 'all' | 'swallowed';

interface Controller {
  /** Keys naming the controller (`ac`, `this.ac`). */
  readonly keys: readonly string[];
  /** Expressions that name it, for the suggestion: a local variable, or a `this` path. */
  readonly spellings: readonly { readonly text: string; readonly variable?: TSESLint.Scope.Variable }[];
}

/**
 * One way a record may be pending at a program point (its status is the set of them, one per
 * kind of path that got there). The flow engine sends the state after every call, `new`,
 * `await`, `yield` and statement in a `try` block, and the state on entering it, to its
 * `catch`/`finally`; only some of those nodes really throw on their own. So a fact remembers
 * the last such node it passed (`armedAt`), and a `catch`/`finally` takes in only the facts
 * that got there by a real throw from its `try` (a synchronous throw of the call that starts an
 * operation means it never started), by a `return`, or (a `finally`) by normal completion.
 */
interface Fact {
  /** Pending on the path that goes on normally; false for the promises of an `await Promise.all(…)` (pending only if it throws). */
  readonly normal: boolean;
  /** Where the fact arose: the operation's call, that await, the function (class clause), or the `catch`/`finally` that took it in. */
  readonly since: TSESTree.Node;
  /** The last node passed while pending that may throw on its own. */
  readonly armedAt: TSESTree.Node | undefined;
  /** On its way out through a `return` (a `finally` runs first). */
  readonly returning: boolean;
  /** The `finally` it is going to after its `try` block or `catch` body completed normally. */
  readonly exitingTo: TSESTree.BlockStatement | undefined;
}

type Status = readonly Fact[];

/** The operations that may be pending, with how. */
type State = ReadonlyMap<OpRecord, Status>;

/** Where a node sits in a `catch` (`handler` is the catch clause) or a `finally` (the block), and the `try` around it. */
interface HandlerSite {
  readonly handler: TSESTree.CatchClause | TSESTree.BlockStatement;
  readonly statement: TSESTree.TryStatement;
  readonly isFinally: boolean;
}

type CallKind =
  | { readonly kind: 'op'; readonly owner: Owner; readonly key: string; readonly callback: boolean; readonly acceptsSignal: boolean }
  | { readonly kind: 'close'; readonly owner: Owner; readonly key: string; readonly member: TSESTree.MemberExpression }
  | { readonly kind: 'cancel'; readonly key: string }
  | { readonly kind: 'other' };

interface Finding {
  readonly call: TSESTree.CallExpression;
  readonly owner: Owner;
  readonly member: TSESTree.MemberExpression;
  readonly fn: FunctionInfo;
  readonly records: Set<OpRecord>;
}

interface MethodSummary {
  readonly settles: ReadonlySet<string>;
  readonly cancels: ReadonlySet<string>;
  readonly aborts: ReadonlySet<string>;
}

const OTHER: CallKind = { kind: 'other' };

class Analyzer {
  private readonly keys: References;
  private readonly kinds = new Map<TSESTree.CallExpression, CallKind>();
  private readonly summaries = new Map<FunctionInfo, MethodSummary>();
  private readonly findings = new Map<TSESTree.CallExpression, Finding>();
  private readonly throwing = new Map<TSESTree.CallExpression, boolean>();

  constructor(
    private readonly context: Context,
    private readonly services: NativeHandleServices,
    private readonly collector: Collector,
  ) {
    this.keys = referencesOf(context.sourceCode);
  }

  run(): Finding[] {
    for (const [node, info] of this.collector.classes) this.prepareClass(node, info);
    for (const info of this.collector.functions) this.analyze(info);
    return [...this.findings.values()].sort((a, b) => a.call.range[0] - b.call.range[0]);
  }

  /** Class clause: operations stored on `this` are pending when the close-role methods start. */
  private prepareClass(node: ClassLike, info: ClassInfo): void {
    const records: OpRecord[] = [];
    for (const call of info.thisCalls) {
      const fate = fateOf(call, this.keys);
      if (fate.kind !== 'held' || !isThisMemberKey(fate.holder)) continue;
      const key = this.keys.keyOf(calleeMember(call)!.object);
      if (key === undefined || !isThisMemberKey(key)) continue;
      const kind = this.classify(call, key);
      if (kind.kind !== 'op' || kind.callback) continue;
      records.push({ ...this.record(call, kind, fate), stored: true });
    }
    if (records.length === 0) return;
    const closeNames = new Set<string>(CONVENTIONAL_CLOSE);
    for (const name of this.services.ownerClassOf(node)?.closeMethods ?? []) closeNames.add(name);
    for (const [name, method] of info.methods) {
      if (!closeNames.has(name)) continue;
      method.initial.push(...records.filter(record => !contains(method.node, record.call)));
    }
  }

  private analyze(info: FunctionInfo): void {
    if (info.calls.length < 2 && info.initial.length === 0) return;
    const keyed = info.calls.flatMap(call => {
      const key = this.keys.keyOf(calleeMember(call)!.object);
      return key === undefined ? [] : [{ call, key }];
    });
    // Syntax before types: a path is a candidate only when it gets two calls, one of them named
    // like a close of some owner (the only calls that can be findings).
    const counts = new Map<string, number>();
    const closeNamed = new Set<string>();
    for (const { call, key } of keyed) {
      counts.set(key, (counts.get(key) ?? 0) + 1);
      if (mayBeCloseName(this.services.model, memberNameOf(calleeMember(call)!))) closeNamed.add(key);
    }
    const candidates = new Set(info.initial.map(record => record.ownerKey));
    for (const [key, count] of counts) if (count >= 2 && closeNamed.has(key)) candidates.add(key);
    const anchors = new Map<TSESTree.Node, OpRecord[]>();
    let closes = 0;
    for (const { call, key } of keyed) {
      if (!candidates.has(key)) continue;
      const kind = this.classify(call, key);
      if (kind.kind === 'close') closes++;
      if (kind.kind !== 'op') continue;
      const record = this.localRecord(call, kind);
      if (record) anchors.set(record.anchor, [...(anchors.get(record.anchor) ?? []), record]);
    }
    if (closes === 0 || (anchors.size === 0 && info.initial.length === 0)) return;
    const flow = new PendingFlow(this, info, anchors);
    analyzeFunction(asFunction(info.node), flow.analysis(), this.context.sourceCode.visitorKeys);
  }

  /** What a member call does to pending operations (cached; asks the type checker). */
  classify(call: TSESTree.CallExpression, key: string): CallKind {
    const cached = this.kinds.get(call);
    if (cached) return cached;
    const kind = this.computeKind(call, key);
    this.kinds.set(call, kind);
    return kind;
  }

  /**
   * Whether evaluating a node may throw on its own (the flow engine sends a throw edge from every
   * call, `new`, `await` and `yield` in a `try`): not a call that only passes promises on, nor
   * one that returns a promise (its failure rejects the promise, which an `await` then throws).
   */
  mayThrow(node: TSESTree.Node): boolean {
    if (node.type === AST_NODE_TYPES.AwaitExpression || node.type === AST_NODE_TYPES.YieldExpression) return true;
    if (node.type === AST_NODE_TYPES.NewExpression) return true;
    if (node.type !== AST_NODE_TYPES.CallExpression) return false;
    let throws = this.throwing.get(node);
    if (throws === undefined) {
      throws = !passesPromiseOn(node) && !this.services.returnsThenable(node);
      this.throwing.set(node, throws);
    }
    return throws;
  }

  kindOf(call: TSESTree.CallExpression): CallKind | undefined {
    return this.kinds.get(call);
  }

  get references(): References {
    return this.keys;
  }

  private computeKind(call: TSESTree.CallExpression, key: string): CallKind {
    const info = this.services.calledOwnerMember(call);
    if (!info) return OTHER;
    if (info.roles.includes('cancel')) return { kind: 'cancel', key };
    if (info.roles.includes('close')) return { kind: 'close', owner: info.owner, key, member: calleeMember(call)! };
    if (!this.services.isPendingOperation(call)) return OTHER;
    const pendingOps = info.owner.pendingOps;
    const acceptsSignal = pendingOps === 'async-methods' || (pendingOps !== 'none' && pendingOps.get(info.name)?.acceptsSignal === true);
    return { kind: 'op', owner: info.owner, key, callback: !this.services.returnsThenable(call), acceptsSignal };
  }

  private localRecord(call: TSESTree.CallExpression, kind: CallKind & { kind: 'op' }): OpRecord | undefined {
    // A callback operation is pending until its callback runs, whatever happens to its result.
    const fate: Fate = kind.callback ? { kind: 'loose', anchor: call } : fateOf(call, this.keys);
    if (fate.kind === 'settled' || fate.kind === 'escaped') return undefined;
    return { ...this.record(call, kind, fate), stored: false };
  }

  private record(call: TSESTree.CallExpression, kind: CallKind & { kind: 'op' }, fate: LiveFate): Omit<OpRecord, 'stored'> {
    const held = fate.kind === 'held';
    return {
      call,
      owner: kind.owner,
      ownerKey: kind.key,
      holder: held ? fate.holder : undefined,
      holderText: held ? this.context.sourceCode.getText(fate.holderNode) : undefined,
      controllers: kind.acceptsSignal ? controllersOf(call, this.keys, this.context.sourceCode) : [],
      anchor: fate.anchor,
      join: held ? fate.join : fate.kind === 'joined' ? 'all' : 'none',
      startsAs: fate.kind === 'joined' ? 'joined' : 'started',
    };
  }

  addFinding(call: TSESTree.CallExpression, kind: CallKind & { kind: 'close' }, fn: FunctionInfo, records: readonly OpRecord[]): void {
    let finding = this.findings.get(call);
    if (!finding) {
      finding = { call, owner: kind.owner, member: kind.member, fn, records: new Set() };
      this.findings.set(call, finding);
    }
    for (const record of records) finding.records.add(record);
  }

  /** One level of `this.method()` calls: what the called method settles, cancels or aborts. */
  summaryOf(method: FunctionInfo): MethodSummary {
    const cached = this.summaries.get(method);
    if (cached) return cached;
    const settles = new Set<string>();
    const cancels = new Set<string>();
    const aborts = new Set<string>();
    for (const node of method.awaits) for (const key of awaitedHolders(node.argument, this.keys).keys()) settles.add(key);
    for (const call of method.calls) {
      const member = calleeMember(call)!;
      const key = this.keys.keyOf(member.object);
      if (key === undefined || !isThisMemberKey(key)) continue;
      if (memberNameOf(member) === 'abort') aborts.add(key);
      if (this.classify(call, key).kind === 'cancel') cancels.add(key);
    }
    const summary = { settles, cancels, aborts };
    this.summaries.set(method, summary);
    return summary;
  }

  methodOf(fn: FunctionInfo, call: TSESTree.CallExpression): FunctionInfo | undefined {
    const member = calleeMember(call);
    if (!fn.thisClass || member?.object.type !== AST_NODE_TYPES.ThisExpression) return undefined;
    const name = memberNameOf(member);
    const method = name === undefined ? undefined : this.collector.classes.get(fn.thisClass)?.methods.get(name);
    return method === fn ? undefined : method;
  }
}

/** The data-flow analysis of one function: which operations may be pending at each close. */
class PendingFlow {
  private readonly awaits = new Map<TSESTree.AwaitExpression, ReadonlyMap<string, readonly Via[]>>();
  private readonly sites = new Map<TSESTree.Node, readonly HandlerSite[]>();

  constructor(
    private readonly analyzer: Analyzer,
    private readonly info: FunctionInfo,
    private readonly anchors: ReadonlyMap<TSESTree.Node, readonly OpRecord[]>,
  ) {}

  analysis(): FlowAnalysis<State> {
    const fact: Fact = { normal: true, since: this.info.node, armedAt: undefined, returning: false, exitingTo: undefined };
    return {
      initial: new Map(this.info.initial.map(record => [record, [fact]])),
      join: joinStates,
      equals: sameStates,
      transfer: (node, state) => this.transfer(node, state),
      refine: (test, outcome, state) => this.refine(test, outcome, state),
    };
  }

  private get keys(): References {
    return this.analyzer.references;
  }

  private transfer(node: TSESTree.Node, state: State): State {
    let next = state.size === 0 ? state : this.passFacts(node, state);
    if (node.type === AST_NODE_TYPES.VariableDeclarator) next = this.reassigned(next, this.keys.writtenKeys(node.id));
    else if (node.type === AST_NODE_TYPES.AssignmentExpression) next = this.reassigned(next, this.keys.writtenKeys(node.left));
    const started = this.anchors.get(node);
    if (started) next = startRecords(next, started, node);
    if (isReturnArgument(node)) next = mapFacts(next, fact => (fact.normal ? { ...fact, returning: true } : fact));
    if (node.type === AST_NODE_TYPES.AwaitExpression) next = this.awaitEffect(node, next);
    if (node.type === AST_NODE_TYPES.CallExpression) next = this.callEffect(node, next);
    return next;
  }

  /** How every fact fares at `node`: taken in (or not) by a `catch`/`finally`, armed by a node that may throw, … */
  private passFacts(node: TSESTree.Node, state: State): State {
    const sites = this.sitesOf(node);
    const site = sites[0];
    const throws = this.analyzer.mayThrow(node);
    const exit = normalExitOf(node);
    return mapFacts(state, fact => {
      const entered = site && arrives(fact, site) ? takeIn(fact, site) : fact;
      if (!entered) return undefined;
      if (!entered.normal) return joinedFactAt(entered, node, throws || exit !== undefined);
      const armed = throws && entered.armedAt !== node ? { ...entered, armedAt: node } : entered;
      const exiting = exit?.finalizer && armed.exitingTo !== exit.finalizer ? { ...armed, exitingTo: exit.finalizer } : armed;
      return this.placed(exiting, sites);
    });
  }

  /**
   * Where a pending fact arose matters only as the `catch`/`finally` it arose in (a handler does
   * not take in again what arose inside it), and only while control is still inside that
   * handler: so `since` becomes the innermost handler around `node` that holds it, or the
   * function (which keeps the facts of one record from multiplying along the function).
   */
  private placed(fact: Fact, sites: readonly HandlerSite[]): Fact {
    const since = sites.find(site => contains(site.handler, fact.since))?.handler ?? this.info.node;
    return since === fact.since ? fact : { ...fact, since };
  }

  /** The `catch` clauses and `finally` blocks around a node in this function, innermost first. */
  private sitesOf(node: TSESTree.Node): readonly HandlerSite[] {
    let sites = this.sites.get(node);
    if (!sites) {
      sites = findSites(node, this.info.node);
      this.sites.set(node, sites);
    }
    return sites;
  }

  /**
   * `await p` (also `p.catch(…)`, `Promise.allSettled([p, …])`) settles what `p` holds on both
   * edges; `await Promise.all([p, q])` only when it completes normally (see Join). An await
   * that only mentions `p` (`Promise.race([p, timeout])`) leaves it pending.
   */
  private awaitEffect(node: TSESTree.AwaitExpression, state: State): State {
    if (state.size === 0) return state;
    let holders = this.awaits.get(node);
    if (!holders) {
      holders = awaitedHolders(node.argument, this.keys);
      this.awaits.set(node, holders);
    }
    let next: Map<OpRecord, Status> | undefined;
    for (const record of state.keys()) {
      const vias = record.holder === undefined ? undefined : holders.get(record.holder);
      const effect = vias ? strongestSettle(vias.map(via => settleEffect(record, via))) : 'none';
      if (effect === 'none') continue;
      next ??= new Map(state);
      if (effect === 'settled') next.delete(record);
      else next.set(record, [joinedFact(node)]);
    }
    return next ?? state;
  }

  /** An owner variable or field that gets a new value no longer has the old one's operations. */
  private reassigned(state: State, keys: readonly (string | undefined)[]): State {
    const defined = keys.filter((key): key is string => key !== undefined);
    if (defined.length === 0 || state.size === 0) return state;
    return filterState(state, record => !defined.some(key => isWithinKey(record.ownerKey, key)));
  }

  private callEffect(call: TSESTree.CallExpression, state: State): State {
    if (state.size === 0) return state;
    let next = state;
    const kind = this.analyzer.kindOf(call);
    if (kind?.kind === 'close') {
      const pending = [...next].filter(([record, status]) => record.ownerKey === kind.key && status.some(fact => fact.normal));
      if (pending.length > 0) this.analyzer.addFinding(call, kind, this.info, pending.map(([record]) => record));
      next = filterState(next, record => record.ownerKey !== kind.key);
    } else if (kind?.kind === 'cancel') {
      next = filterState(next, record => record.ownerKey !== kind.key);
    }
    const member = calleeMember(call);
    if (member && memberNameOf(member) === 'abort') {
      const key = this.keys.keyOf(member.object);
      if (key !== undefined) next = filterState(next, record => !record.controllers.some(controller => controller.keys.includes(key)));
    }
    const method = this.analyzer.methodOf(this.info, call);
    if (method) next = this.methodEffect(call, this.analyzer.summaryOf(method), next);
    return next;
  }

  private methodEffect(call: TSESTree.CallExpression, summary: MethodSummary, state: State): State {
    const awaited = isAwaited(call);
    return filterState(
      state,
      record =>
        !summary.cancels.has(record.ownerKey) &&
        !record.controllers.some(controller => controller.keys.some(key => summary.aborts.has(key))) &&
        !(awaited && record.holder !== undefined && summary.settles.has(record.holder)),
    );
  }

  /** `if (this.pending) await this.pending;`: on the branch where the holder is empty, nothing it held is pending. */
  private refine(test: TSESTree.Expression, outcome: boolean, state: State): State {
    if (state.size === 0) return state;
    const held = this.holderTest(test);
    if (!held || outcome === held.presentWhen) return state;
    return filterState(state, record => record.holder !== held.key);
  }

  private holderTest(test: TSESTree.Expression): { key: string; presentWhen: boolean } | undefined {
    const expression = skipWrappers(test);
    if (expression.type === AST_NODE_TYPES.BinaryExpression && ['===', '!==', '==', '!='].includes(expression.operator)) {
      const [other, nullish] = isNullish(expression.right) ? [expression.left, true] : [expression.right, isNullish(expression.left)];
      const key = nullish && other.type !== AST_NODE_TYPES.PrivateIdentifier ? this.keys.keyOf(other) : undefined;
      return key === undefined ? undefined : { key, presentWhen: expression.operator.startsWith('!') };
    }
    const key = this.keys.keyOf(expression);
    return key === undefined ? undefined : { key, presentWhen: true };
  }
}

// -----------------------------------------------------------------------------------------
// Syntax helpers

type Fate =
  | { readonly kind: 'settled' }
  | { readonly kind: 'escaped' }
  | { readonly kind: 'loose'; readonly anchor: TSESTree.Node }
  | { readonly kind: 'joined'; readonly anchor: TSESTree.AwaitExpression }
  | {
      readonly kind: 'held';
      readonly anchor: TSESTree.Node;
      readonly holder: string;
      readonly holderNode: TSESTree.Node;
      readonly join: Join;
    };

/** The fates that leave an operation to be tracked. */
type LiveFate = Fate & { kind: 'loose' | 'joined' | 'held' };

const SETTLED: Fate = { kind: 'settled' };
const ESCAPED: Fate = { kind: 'escaped' };
const PROMISE_CHAIN = new Set(['then', 'catch', 'finally']);
const COLLECTION_ADD = new Set(['push', 'unshift', 'add']);

/**
 * What becomes of the promise an operation returns: awaited at once (`await fh.read()`, also
 * through `.then()`/`.catch()` and `Promise.allSettled`), awaited in a `Promise.all` with others
 * (joined: settled only when that await completes normally), kept somewhere (`const p = …`,
 * `this.pending = …`, `ops.push(…)`), left loose (a statement, `void`, `return`, `Promise.race`),
 * or handed to code we do not follow (escaped: the rule stays quiet).
 */
function fateOf(call: TSESTree.CallExpression, keys: References): Fate {
  let node: TSESTree.Node = call;
  let join: Join = 'none';
  for (let depth = 0; depth < 32 && node.parent; depth++) {
    const parent: TSESTree.Node = node.parent;
    if (isWrapper(parent) || parent.type === AST_NODE_TYPES.LogicalExpression) {
      node = parent;
      continue;
    }
    switch (parent.type) {
      case AST_NODE_TYPES.ConditionalExpression:
        if (parent.test === node) return ESCAPED;
        node = parent;
        continue;
      case AST_NODE_TYPES.MemberExpression:
        if (!isPromiseChainLink(parent, node)) return ESCAPED;
        if (join === 'all' && isSwallowingLink(parent)) join = 'swallowed';
        node = parent.parent;
        continue;
      case AST_NODE_TYPES.ArrayExpression: {
        const combinator = promiseCombinator(parent.parent);
        if (combinator === 'race') return { kind: 'loose', anchor: parent.parent };
        if (combinator === 'all' && join === 'none' && joinsSeveral(parent)) join = 'all';
        if (combinator === 'allSettled' && join === 'all') join = 'swallowed';
        node = combinator === undefined ? parent : parent.parent;
        continue;
      }
      case AST_NODE_TYPES.AwaitExpression:
        if (join === 'none') return SETTLED;
        return join === 'all' ? { kind: 'joined', anchor: parent } : { kind: 'loose', anchor: parent };
      case AST_NODE_TYPES.VariableDeclarator:
        return heldBy(parent, parent.init === node ? parent.id : undefined, keys, join);
      case AST_NODE_TYPES.AssignmentExpression:
        return heldBy(parent, parent.right === node && parent.operator === '=' ? parent.left : undefined, keys, join);
      case AST_NODE_TYPES.CallExpression: {
        const member = calleeMember(parent);
        const added = member && parent.callee !== node && COLLECTION_ADD.has(memberNameOf(member) ?? '');
        return heldBy(parent, added ? member.object : undefined, keys, join);
      }
      case AST_NODE_TYPES.ExpressionStatement:
      case AST_NODE_TYPES.ReturnStatement:
        return { kind: 'loose', anchor: node };
      case AST_NODE_TYPES.UnaryExpression:
        return parent.operator === 'void' ? { kind: 'loose', anchor: parent } : ESCAPED;
      case AST_NODE_TYPES.ArrowFunctionExpression:
        return parent.body === node ? { kind: 'loose', anchor: node } : ESCAPED;
      default:
        return ESCAPED;
    }
  }
  return ESCAPED;
}

function heldBy(anchor: TSESTree.Node, target: TSESTree.Node | undefined, keys: References, join: Join): Fate {
  if (!target) return ESCAPED;
  let holder: string | undefined;
  if (target.type === AST_NODE_TYPES.Identifier && anchor.type === AST_NODE_TYPES.VariableDeclarator) {
    const variable = keys.variableOf(target);
    holder = variable ? keys.variableKey(variable) : undefined;
  } else if (anchor.type !== AST_NODE_TYPES.VariableDeclarator) {
    holder = keys.keyOf(target);
  }
  return holder === undefined ? ESCAPED : { kind: 'held', anchor, holder, holderNode: target, join };
}

function isPromiseChainLink(member: TSESTree.MemberExpression, object: TSESTree.Node): boolean {
  const call = member.parent;
  return (
    member.object === object &&
    PROMISE_CHAIN.has(memberNameOf(member) ?? '') &&
    call.type === AST_NODE_TYPES.CallExpression &&
    call.callee === member
  );
}

/** `.catch(…)` or `.then(…, onRejected)`: a rejection of what it is chained on does not reach the await. */
function isSwallowingLink(member: TSESTree.MemberExpression): boolean {
  const name = memberNameOf(member);
  return name === 'catch' || (name === 'then' && member.parent.type === AST_NODE_TYPES.CallExpression && member.parent.arguments.length > 1);
}

/** `Promise.all`, `Promise.allSettled`, or `race`/`any` (which settle nothing when awaited). */
function promiseCombinator(node: TSESTree.Node | undefined): 'all' | 'allSettled' | 'race' | undefined {
  if (node?.type !== AST_NODE_TYPES.CallExpression) return undefined;
  const member = calleeMember(node);
  if (member?.object.type !== AST_NODE_TYPES.Identifier || member.object.name !== 'Promise') return undefined;
  const name = memberNameOf(member);
  if (name === 'all' || name === 'allSettled') return name;
  if (name === 'race' || name === 'any') return 'race';
  return undefined;
}

/** An array given to `Promise.all` that may hold more than one promise. */
function joinsSeveral(array: TSESTree.ArrayExpression): boolean {
  return array.elements.length !== 1 || array.elements[0]?.type === AST_NODE_TYPES.SpreadElement;
}

/**
 * How an awaited expression reaches a holder: `all` when as one of several promises of a
 * `Promise.all`; `swallowed` when a rejection is caught above that point (`.catch(…)`,
 * `Promise.allSettled`).
 */
interface Via {
  readonly all: boolean;
  readonly swallowed: boolean;
}

const DIRECT: Via = { all: false, swallowed: false };

/** The holders an awaited expression settles: `p`, `p.catch(…)`, `Promise.all([p, …ps])`. */
function awaitedHolders(expression: TSESTree.Node, keys: References): Map<string, Via[]> {
  const out = new Map<string, Via[]>();
  settledKeys(expression, keys, out, DIRECT, 0);
  return out;
}

function settledKeys(expression: TSESTree.Node, keys: References, out: Map<string, Via[]>, via: Via, depth: number): void {
  if (depth > 8) return;
  const node = skipWrappers(expression);
  const key = keys.keyOf(node);
  if (key !== undefined) {
    out.set(key, [...(out.get(key) ?? []), via]);
    return;
  }
  if (node.type === AST_NODE_TYPES.ConditionalExpression || node.type === AST_NODE_TYPES.LogicalExpression) {
    const [a, b] = node.type === AST_NODE_TYPES.ConditionalExpression ? [node.consequent, node.alternate] : [node.left, node.right];
    settledKeys(a, keys, out, via, depth + 1);
    settledKeys(b, keys, out, via, depth + 1);
    return;
  }
  if (node.type !== AST_NODE_TYPES.CallExpression) return;
  const member = calleeMember(node);
  if (member && PROMISE_CHAIN.has(memberNameOf(member) ?? '')) {
    settledKeys(member.object, keys, out, isSwallowingLink(member) ? swallow(via) : via, depth + 1);
    return;
  }
  const combinator = promiseCombinator(node);
  const source = node.arguments[0];
  if (!source || (combinator !== 'all' && combinator !== 'allSettled')) return;
  const inner = combinator === 'allSettled' ? swallow(via) : isSinglePromise(source) ? via : enterAll(via);
  settledCollection(source, keys, out, inner, depth + 1);
}

function swallow(via: Via): Via {
  return via.all || via.swallowed ? via : { all: false, swallowed: true };
}

function enterAll(via: Via): Via {
  return via.all ? via : { all: true, swallowed: via.swallowed };
}

function isSinglePromise(source: TSESTree.Node): boolean {
  const node = skipWrappers(source);
  return node.type === AST_NODE_TYPES.ArrayExpression && !joinsSeveral(node);
}

/** The argument of `Promise.all`: an array literal, an array variable, or `ps.map(…)`/`Array.from(ps)`. */
function settledCollection(expression: TSESTree.Node, keys: References, out: Map<string, Via[]>, via: Via, depth: number): void {
  const node = skipWrappers(expression);
  if (node.type === AST_NODE_TYPES.ArrayExpression) {
    for (const element of node.elements) {
      if (element?.type === AST_NODE_TYPES.SpreadElement) settledCollection(element.argument, keys, out, via, depth + 1);
      else if (element) settledKeys(element, keys, out, via, depth + 1);
    }
    return;
  }
  if (node.type === AST_NODE_TYPES.CallExpression) {
    const member = calleeMember(node);
    const isArrayFrom = member?.object.type === AST_NODE_TYPES.Identifier && member.object.name === 'Array';
    const source = isArrayFrom ? node.arguments[0] : member?.object;
    if (source) settledCollection(source, keys, out, via, depth + 1);
    return;
  }
  settledKeys(node, keys, out, via, depth + 1);
}

/** What awaiting a record's holder one way does to it (see Join and Via). */
function settleEffect(record: OpRecord, via: Via): 'settled' | 'normal' | 'none' {
  if (record.join === 'none' && !via.all) return 'settled';
  return record.join === 'swallowed' || via.swallowed ? 'none' : 'normal';
}

function strongestSettle(effects: readonly ('settled' | 'normal' | 'none')[]): 'settled' | 'normal' | 'none' {
  if (effects.includes('settled')) return 'settled';
  return effects.includes('normal') ? 'normal' : 'none';
}

/** The controllers whose `signal` an operation was given (`{ signal: ac.signal }`, `{ signal }`). */
function controllersOf(call: TSESTree.CallExpression, keys: References, sourceCode: Readonly<TSESLint.SourceCode>): Controller[] {
  const controllers: Controller[] = [];
  for (const argument of call.arguments) {
    const options = skipWrappers(argument);
    if (options.type !== AST_NODE_TYPES.ObjectExpression) continue;
    for (const property of options.properties) {
      if (property.type !== AST_NODE_TYPES.Property || propertyKeyName(property.key, property.computed) !== 'signal') continue;
      const controller = controllerExpression(property.value, keys, 0);
      if (controller) controllers.push(describeController(controller, keys, sourceCode));
    }
  }
  return controllers;
}

function controllerExpression(signal: TSESTree.Node, keys: References, depth: number): TSESTree.Expression | undefined {
  const node = skipWrappers(signal);
  if (node.type === AST_NODE_TYPES.MemberExpression && memberNameOf(node) === 'signal') {
    return keys.keyOf(node.object) === undefined ? undefined : node.object;
  }
  if (node.type !== AST_NODE_TYPES.Identifier || depth > 3) return undefined;
  const def = keys.variableOf(node)?.defs[0];
  if (def?.type !== TSESLint.Scope.DefinitionType.Variable || def.parent.kind !== 'const' || !def.node.init) return undefined;
  if (def.node.id.type === AST_NODE_TYPES.Identifier) return controllerExpression(def.node.init, keys, depth + 1);
  // const { signal } = ac;
  return def.node.id.type === AST_NODE_TYPES.ObjectPattern && keys.keyOf(def.node.init) !== undefined ? def.node.init : undefined;
}

function describeController(node: TSESTree.Expression, keys: References, sourceCode: Readonly<TSESLint.SourceCode>): Controller {
  const controllerKeys = [keys.keyOf(node)!];
  const spellings: { text: string; variable?: TSESLint.Scope.Variable }[] = [];
  const expression = skipWrappers(node);
  if (expression.type === AST_NODE_TYPES.Identifier) {
    const variable = keys.variableOf(expression);
    if (variable) {
      spellings.push({ text: expression.name, variable });
      // `this.ac = ac`: the close method can reach it as `this.ac`.
      for (const reference of variable.references) {
        const parent = reference.identifier.parent;
        if (parent.type !== AST_NODE_TYPES.AssignmentExpression || parent.right !== reference.identifier) continue;
        const key = keys.keyOf(parent.left);
        if (key === undefined || !isThisMemberKey(key)) continue;
        controllerKeys.push(key);
        spellings.push({ text: sourceCode.getText(parent.left) });
      }
    }
  } else if (rootIsThis(expression)) {
    spellings.push({ text: sourceCode.getText(expression) });
  }
  return { keys: controllerKeys, spellings };
}

function rootIsThis(node: TSESTree.Node): boolean {
  let current = skipWrappers(node);
  while (current.type === AST_NODE_TYPES.MemberExpression) current = skipWrappers(current.object);
  return current.type === AST_NODE_TYPES.ThisExpression;
}

function isAwaited(call: TSESTree.Node): boolean {
  return outerWrapper(call).parent?.type === AST_NODE_TYPES.AwaitExpression;
}

function isReturnArgument(node: TSESTree.Node): boolean {
  return node.parent?.type === AST_NODE_TYPES.ReturnStatement && node.parent.argument === node;
}

/** `x.then/catch/finally(…)`, `Promise.all/allSettled/race/any(…)`, `ops.push/unshift/add(…)`. */
function passesPromiseOn(call: TSESTree.CallExpression): boolean {
  const member = calleeMember(call);
  if (!member) return false;
  const name = memberNameOf(member) ?? '';
  return (isPromiseChainLink(member, member.object) || promiseCombinator(call) !== undefined || COLLECTION_ADD.has(name));
}

/** The `catch` clauses and `finally` blocks around a node, innermost first, up to the function `fn`. */
function findSites(node: TSESTree.Node, fn: TSESTree.Node): HandlerSite[] {
  const sites: HandlerSite[] = [];
  for (let child = node, parent = node.parent; parent && child !== fn; child = parent, parent = parent.parent) {
    if (parent.type === AST_NODE_TYPES.TryStatement && child === parent.finalizer) {
      sites.push({ handler: parent.finalizer, statement: parent, isFinally: true });
    } else if (parent.type === AST_NODE_TYPES.CatchClause) {
      sites.push({ handler: parent, statement: parent.parent, isFinally: false });
    }
  }
  return sites;
}

/** A `try` block or `catch` body, which completes normally here: its `try` statement (and `finally`, if any). */
function normalExitOf(node: TSESTree.Node): TSESTree.TryStatement | undefined {
  const parent = node.parent;
  if (parent?.type === AST_NODE_TYPES.TryStatement && parent.block === node) return parent;
  if (parent?.type === AST_NODE_TYPES.CatchClause && parent.body === node) return parent.parent;
  return undefined;
}

/** Whether the fact comes into the `catch`/`finally` from outside (it arose and was last armed elsewhere). */
function arrives(fact: Fact, site: HandlerSite): boolean {
  return !contains(site.handler, fact.since) && !(fact.armedAt !== undefined && contains(site.handler, fact.armedAt));
}

/**
 * A fact coming into a `catch`/`finally`: kept (as pending from here on) when it got there by a
 * throw of a node of the `try` that may throw on its own, or, for a `finally`, by a `return` or
 * the normal completion of the `try` block or `catch` body; dropped when only a throw that does
 * not happen (or a synchronous throw of the call that starts the operation) could bring it.
 */
function takeIn(fact: Fact, site: HandlerSite): Fact | undefined {
  const thrown = fact.armedAt !== undefined && throwsTo(site, fact.armedAt);
  const kept = thrown || (site.isFinally && (fact.returning || fact.exitingTo === site.handler));
  return kept ? { ...fact, normal: true, since: site.handler, exitingTo: undefined } : undefined;
}

/** Whether a throw at `node` goes to the site: from the `try` block to its `catch`; from the block or the `catch` to the `finally`. */
function throwsTo(site: HandlerSite, node: TSESTree.Node): boolean {
  const { statement } = site;
  return site.isFinally ? contains(statement, node) && !contains(site.handler, node) : contains(statement.block, node);
}

/** The promises of an `await Promise.all(…)` that completed normally are settled once control moves past it. */
function joinedFactAt(fact: Fact, node: TSESTree.Node, leaves: boolean): Fact | undefined {
  return contains(node, fact.since) && !leaves ? fact : undefined;
}

function joinedFact(await_: TSESTree.AwaitExpression): Fact {
  return { normal: false, since: await_, armedAt: await_, returning: false, exitingTo: undefined };
}

/** Adds the facts of the records that start at `anchor` (an operation started again in a loop keeps what the previous one had). */
function startRecords(state: State, records: readonly OpRecord[], anchor: TSESTree.Node): State {
  const next = new Map(state);
  for (const record of records) {
    const fact: Fact =
      record.startsAs === 'joined' && anchor.type === AST_NODE_TYPES.AwaitExpression
        ? joinedFact(anchor)
        : { normal: true, since: record.call, armedAt: undefined, returning: false, exitingTo: undefined };
    next.set(record, joinStatus(next.get(record) ?? [], [fact]));
  }
  return next;
}

/** Applies `change` to every fact (undefined drops it; a record with no fact left is not pending). */
function mapFacts(state: State, change: (fact: Fact) => Fact | undefined): State {
  let next: Map<OpRecord, Status> | undefined;
  for (const [record, status] of state) {
    let changed = false;
    const facts: Fact[] = [];
    for (const fact of status) {
      const result = change(fact);
      if (result !== fact) changed = true;
      if (result && !facts.some(other => sameFact(other, result))) facts.push(result);
    }
    if (!changed) continue;
    next ??= new Map(state);
    if (facts.length === 0) next.delete(record);
    else next.set(record, facts);
  }
  return next ?? state;
}

function filterState(state: State, keep: (record: OpRecord) => boolean): State {
  let changed = false;
  const next = new Map<OpRecord, Status>();
  for (const [record, status] of state) {
    if (keep(record)) next.set(record, status);
    else changed = true;
  }
  return changed ? next : state;
}

function joinStates(a: State, b: State): State {
  if (a === b || b.size === 0) return a;
  if (a.size === 0) return b;
  const joined = new Map(a);
  for (const [record, status] of b) joined.set(record, joinStatus(joined.get(record) ?? [], status));
  return joined;
}

function joinStatus(a: Status, b: Status): Status {
  if (a === b) return a;
  const extra = b.filter(fact => !a.some(other => sameFact(other, fact)));
  return extra.length === 0 ? a : [...a, ...extra];
}

function sameFact(a: Fact, b: Fact): boolean {
  return (
    a === b ||
    (a.normal === b.normal && a.since === b.since && a.armedAt === b.armedAt && a.returning === b.returning && a.exitingTo === b.exitingTo)
  );
}

function sameStates(a: State, b: State): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const [record, status] of a) {
    const other = b.get(record);
    if (other?.length !== status.length || !status.every(fact => other.some(candidate => sameFact(candidate, fact)))) return false;
  }
  return true;
}

function methodNameOf(fn: FunctionNode): string | undefined {
  const parent = fn.parent;
  if (parent.type === AST_NODE_TYPES.MethodDefinition && parent.kind === 'method' && !parent.static) {
    return propertyKeyName(parent.key, parent.computed);
  }
  if (parent.type === AST_NODE_TYPES.PropertyDefinition && parent.value === fn && !parent.static) {
    return propertyKeyName(parent.key, parent.computed);
  }
  return undefined;
}

// -----------------------------------------------------------------------------------------
// Reporting

function reportFinding(context: Context, services: NativeHandleServices, finding: Finding): void {
  const { sourceCode } = context;
  const records = [...finding.records].sort((a, b) => a.call.range[0] - b.call.range[0]);
  const local = records.filter(record => !record.stored);
  const shown = local.length > 0 ? local : records;
  const aborts = abortSpellings(records, finding.call, sourceCode);
  const cancel = cancelCallText(services, finding, sourceCode);
  const remedy = aborts ? aborts.map(text => `\`${text}.abort()\``).join(' and ') : cancel && `\`${cancel}\``;
  const data = {
    close: `${sourceCode.getText(finding.call.callee)}()`,
    owner: finding.owner.name,
    operation: `${sourceCode.getText(shown[0]!.call.callee)}()`,
    holder: shown[0]!.holderText ?? '',
    method: finding.fn.methodName ?? '',
    cancel: remedy ?? '',
    advice: finding.owner.noCancelAdvice ?? defaultAdvice(finding.owner),
  };
  const family = local.length > 0 ? 'pendingOp' : 'storedOp';
  const messageId: MessageIds = remedy === undefined ? `${family}NoCancel` : family;
  const statement = insertionPoint(finding.call);
  const suggest: TSESLint.SuggestionReportDescriptor<MessageIds>[] = [];
  if (statement) {
    if (aborts) {
      const lines = aborts.map(text => `${text}.abort();`);
      suggest.push({ messageId: 'abortFirst', data: { call: lines.join(' ').slice(0, -1) }, fix: insertBefore(sourceCode, statement, lines) });
    }
    if (cancel) suggest.push({ messageId: 'cancelFirst', data: { call: cancel }, fix: insertBefore(sourceCode, statement, [`${cancel};`]) });
  }
  context.report({ node: finding.call, messageId, data, ...(suggest.length > 0 ? { suggest } : {}) });
}

function defaultAdvice(owner: Owner): string {
  return `${owner.name} has no cancel-role member; give it one (tag a method \`@cancel\` or configure \`cancel\` in settings) or pass an AbortSignal to the operation`;
}

/** When every pending operation was given a controller's signal: how to name those controllers at the close. */
function abortSpellings(records: readonly OpRecord[], close: TSESTree.Node, sourceCode: Readonly<TSESLint.SourceCode>): string[] | undefined {
  const texts = new Set<string>();
  const scope = sourceCode.getScope(close);
  for (const record of records) {
    const usable = record.controllers
      .flatMap(controller => controller.spellings)
      .find(spelling =>
        spelling.variable
          ? !record.stored && ASTUtils.findVariable(scope, spelling.text) === spelling.variable
          : spelling.text.startsWith('this'),
      );
    if (!usable) return undefined;
    texts.add(usable.text);
  }
  return texts.size > 0 ? [...texts] : undefined;
}

/** `obj.cancel()` for the owner's cancel-role method that takes no arguments, spelled on the close's object. */
function cancelCallText(services: NativeHandleServices, finding: Finding, sourceCode: Readonly<TSESLint.SourceCode>): string | undefined {
  const { owner, member } = finding;
  const name = services.model
    .membersWithRole(owner, 'cancel')
    .find(candidate => !owner.roles.close.has(candidate) && callableWithoutArguments(services, owner, candidate));
  if (name === undefined) return undefined;
  const object = skipWrappers(member.object);
  const simple = member.object.type === AST_NODE_TYPES.TSNonNullExpression || object === member.object;
  const objectText = simple ? sourceCode.getText(member.object) : `(${sourceCode.getText(member.object)})`;
  if (/^#?[A-Za-z_$][\w$]*$/.test(name)) return `${objectText}${member.optional ? '?.' : '.'}${name}()`;
  if (name.startsWith('[Symbol.')) return `${objectText}${member.optional ? '?.' : ''}${name}()`;
  return undefined;
}

function callableWithoutArguments(services: NativeHandleServices, owner: Owner, name: string): boolean {
  const property = services.checker.getPropertiesOfType(owner.type).find(symbol => symbolMemberName(symbol) === name);
  if (!property) return false;
  const type = services.checker.getTypeOfSymbol(property);
  return type.getCallSignatures().some(signature =>
    signature.getParameters().every(parameter => {
      const declaration = parameter.valueDeclaration;
      return declaration !== undefined && ts.isParameter(declaration) && (declaration.questionToken ?? declaration.initializer ?? declaration.dotDotDotToken) !== undefined;
    }),
  );
}

/**
 * The statement before which a cancel can be inserted: the close call must be the whole of an
 * expression statement, a single declaration's initializer or a return value (through `await`,
 * `void` and `.catch()`), in a statement list.
 */
function insertionPoint(call: TSESTree.CallExpression): TSESTree.Node | undefined {
  let node: TSESTree.Node = call;
  for (let depth = 0; depth < 16; depth++) {
    const parent: TSESTree.Node | undefined = node.parent;
    if (!parent) return undefined;
    if (isWrapper(parent) || parent.type === AST_NODE_TYPES.AwaitExpression) {
      node = parent;
    } else if (parent.type === AST_NODE_TYPES.UnaryExpression && parent.operator === 'void') {
      node = parent;
    } else if (parent.type === AST_NODE_TYPES.MemberExpression && isPromiseChainLink(parent, node)) {
      node = parent.parent;
    } else if (parent.type === AST_NODE_TYPES.VariableDeclarator && parent.init === node && parent.parent.declarations.length === 1) {
      return inStatementList(parent.parent) ? parent.parent : undefined;
    } else if (parent.type === AST_NODE_TYPES.ExpressionStatement || parent.type === AST_NODE_TYPES.ReturnStatement) {
      return inStatementList(parent) ? parent : undefined;
    } else {
      return undefined;
    }
  }
  return undefined;
}

function insertBefore(
  sourceCode: Readonly<TSESLint.SourceCode>,
  statement: TSESTree.Node,
  lines: readonly string[],
): TSESLint.ReportFixFunction {
  const lineStart = sourceCode.text.lastIndexOf('\n', statement.range[0] - 1) + 1;
  const before = sourceCode.text.slice(lineStart, statement.range[0]);
  const text = /^\s*$/.test(before) ? lines.map(line => `${line}${lineBreakOf(sourceCode)}${before}`).join('') : `${lines.join(' ')} `;
  return fixer => fixer.insertTextBefore(statement, text);
}
