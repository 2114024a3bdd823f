// no-close-with-pending-ops: the analysis at Program:exit. Stored operations of a class (class
// clause), the candidate paths of each function (syntax before types), what each member call does
// (asking the type checker), and the findings the flow of each function (pendingFlow.ts) adds.
import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { analyzeFunction } from '../../model/flow.js';
import { mayBeCloseName } from '../../model/lifetime.js';
import { CONVENTIONAL_CLOSE, calleeMember, memberNameOf, type NativeHandleServices } from '../../model/index.js';
import { References, isThisMemberKey, referencesOf } from '../../model/references.js';
import { asFunction, contains, type ClassLike } from '../../model/util.js';
import type { ClassInfo, Collector, FunctionInfo } from './collector.js';
import { controllersOf } from './controllers.js';
import { PendingFlow } from './pendingFlow.js';
import { awaitedHolders, fateOf, passesPromiseOn, type Fate, type LiveFate } from './promises.js';
import type { CallKind, Finding, MethodSummary, OpRecord } from './records.js';

/** What the analysis reads of the rule context. */
type Context = Readonly<TSESLint.RuleContext<string, readonly unknown[]>>;

const OTHER: CallKind = { kind: 'other' };

export class Analyzer {
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

  get visitorKeys(): Context['sourceCode']['visitorKeys'] {
    return this.context.sourceCode.visitorKeys;
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
