import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { analyzeFunction } from '../../model/flow.js';
import {
  LISTENER_METHODS,
  isConventionalGuardFlag,
  calleeName,
  memberNameOf,
  propertyKeyName,
  thisFieldName,
  type NativeHandleServices,
  type Role,
} from '../../model/index.js';
import { isTeardownSafeCall } from '../../model/lifetime.js';
import {
  comparedOperands,
  isNullish,
  isSuspension,
  isWriteTarget,
  outerWrapper,
  skipWrappers,
  walk,
  type FunctionNode,
  type VisitorKeys,
} from '../../util/ast.js';
import { referencesOf } from '../../model/references.js';
import { COMPARISONS, OWN_CODE, ancestorMember, isAssertion, isAwaited, isCalledThrough, isInspected } from './ast.js';
import { Entry, type Finding, type Origin } from './findings.js';
import { GuardState as State } from './guardState.js';
import { Borrows } from './borrows.js';
import { isGuardCall, type ClassInfo } from './ownerClass.js';

/**
 * The flow analysis of one owner class: which of its functions are analysed and how, then per
 * function which resource fields an await (or a deferred callback's start) leaves unguarded
 * and which uses, guards, borrows and conditions follow.
 */

/** The rule's context, as far as the analysis reads it (its source code). */
type Context = Readonly<TSESLint.RuleContext<string, readonly unknown[]>>;

/** How a function inside an owner class is analysed. */
export type Category =
  | { readonly kind: 'method' }
  | { readonly kind: 'callback'; readonly exempt: string | undefined; readonly cleared: boolean }
  | { readonly kind: 'nested'; readonly standalone: boolean }
  | { readonly kind: 'none' };

/** What a condition operand says about liveness (see `ClassAnalysis.probe`). */
type Probe =
  | { readonly kind: 'flag' }
  | { readonly kind: 'state' }
  | { readonly kind: 'field'; readonly field: string }
  | { readonly kind: 'fieldFlag'; readonly field: string }
  | { readonly kind: 'fieldState'; readonly field: string };

const CLEAR_TIMERS = new Set(['clearTimeout', 'clearInterval', 'clearImmediate']);
const REMOVE_LISTENER = new Set(['off', 'removeListener', 'removeAllListeners', 'removeEventListener']);
const NEUTRAL_ROLES: readonly Role[] = ['close', 'cancel', 'release'];

// -----------------------------------------------------------------------------------------
// The flow analysis of one owner class

export class ClassAnalysis {
  private readonly categories = new Map<FunctionNode, Category>();
  private readonly results = new Map<FunctionNode, Finding[]>();
  private readonly entryUses = new Map<FunctionNode, Map<string, TSESTree.Node[]>>();
  private readonly closeLike = new Map<TSESTree.MethodDefinition, boolean>();
  private clearedTimers: Set<string> | undefined;
  /** Per class member: local names assigned to a resource field (`this.sock = sock`). */
  /** Per class member: the locals and parameters a resource field was set from (`this.sock = sock`), by scope variable. */
  private readonly aliases = new Map<TSESTree.ClassElement, Map<TSESLint.Scope.Variable, string>>();
  private readonly borrows: Borrows;

  constructor(
    private readonly context: Context,
    private readonly services: NativeHandleServices,
    private readonly info: ClassInfo,
  ) {
    this.borrows = new Borrows(services, info, context.sourceCode.visitorKeys, node => this.resourceField(node));
  }

  private get visitorKeys(): VisitorKeys {
    return this.context.sourceCode.visitorKeys;
  }

  /** The findings a function yields on its own: async methods, deferred callbacks, nested async functions. */
  standaloneFindings(fn: FunctionNode): readonly Finding[] {
    const category = this.categoryOf(fn);
    if (category.kind === 'method' || category.kind === 'callback') return this.findingsOf(fn);
    if (category.kind === 'nested' && category.standalone && fn.async) return this.findingsOf(fn);
    return [];
  }

  private findingsOf(fn: FunctionNode): readonly Finding[] {
    const cached = this.results.get(fn);
    if (cached) return cached;
    const findings: Finding[] = [];
    this.results.set(fn, findings);
    const category = this.categoryOf(fn);
    let initial = State.empty;
    if (category.kind === 'callback' && !category.cleared) initial = this.unguardAll(initial, fn, category.exempt);
    if (category.kind === 'nested') initial = this.unguardAll(initial, new Entry(fn));
    analyzeFunction(
      fn,
      {
        initial,
        join: (a, b) => a.join(b),
        equals: (a, b) => a.equals(b),
        transfer: (node, state) => this.transfer(node, state, fn, findings),
        refine: (test, outcome, state) => this.refine(test, outcome, state),
        // The findings are made by the transfer; the states at the nodes are never asked for.
        records: () => false,
        exit: false,
      },
      this.context.sourceCode.visitorKeys,
    );
    return findings;
  }

  // ---------------------------------------------------------------------------------------
  // Which functions are analysed, and how

  categoryOf(fn: FunctionNode): Category {
    let category = this.categories.get(fn);
    if (!category) {
      category = this.computeCategory(fn);
      this.categories.set(fn, category);
    }
    return category;
  }

  private computeCategory(fn: FunctionNode): Category {
    const parent = fn.parent;
    if (fn.type !== AST_NODE_TYPES.ArrowFunctionExpression) {
      const member =
        parent.type === AST_NODE_TYPES.MethodDefinition || parent.type === AST_NODE_TYPES.PropertyDefinition ? parent : undefined;
      if (!member || member.static || member.parent.parent !== this.info.node || !fn.async) return { kind: 'none' };
      if (member.type === AST_NODE_TYPES.MethodDefinition && (member.kind !== 'method' || this.isCloseLike(member)))
        return { kind: 'none' };
      return { kind: 'method' };
    }
    const home = this.lexicalThisMember(fn);
    if (!home) return { kind: 'none' };
    if (parent.type === AST_NODE_TYPES.PropertyDefinition && parent.value === fn) return fn.async ? { kind: 'method' } : { kind: 'none' };
    const deferred = this.deferringCall(fn);
    if (deferred) return { kind: 'callback', exempt: deferred.exempt, cleared: deferred.timer && this.isClearedOnClose(fn.parent) };
    return { kind: 'nested', standalone: !this.isDirectlyIn(fn, home) };
  }

  /** A close-role method, or one that sets the class's closed flag itself (`this.closed = true`). */
  private isCloseLike(member: TSESTree.MethodDefinition): boolean {
    const cached = this.closeLike.get(member);
    if (cached !== undefined) return cached;
    const name = propertyKeyName(member.key, member.computed);
    const seen = { closeLike: name !== undefined && this.info.closeMethods.has(name) };
    if (!seen.closeLike) {
      const visit = (node: TSESTree.Node): void => {
        if (node.type !== AST_NODE_TYPES.AssignmentExpression || node.right.type !== AST_NODE_TYPES.Literal || node.right.value !== true)
          return;
        const written = thisFieldName(node.left);
        if (written !== undefined && this.info.flags.has(written)) seen.closeLike = true;
      };
      walk(member.value, this.visitorKeys, visit, OWN_CODE);
    }
    this.closeLike.set(member, seen.closeLike);
    return seen.closeLike;
  }

  /** The instance member whose `this` an arrow function sees, when it is this class's instance. */
  private lexicalThisMember(fn: TSESTree.ArrowFunctionExpression): TSESTree.MethodDefinition | TSESTree.PropertyDefinition | undefined {
    let node: TSESTree.Node = fn;
    for (let parent: TSESTree.Node | undefined = node.parent; parent; node = parent, parent = parent.parent) {
      if (parent.type === AST_NODE_TYPES.MethodDefinition || parent.type === AST_NODE_TYPES.PropertyDefinition) {
        const inClass = parent.parent.parent === this.info.node && !parent.static;
        return inClass && (parent.value === node || parent.type === AST_NODE_TYPES.PropertyDefinition) ? parent : undefined;
      }
      if (
        parent.type === AST_NODE_TYPES.FunctionExpression ||
        parent.type === AST_NODE_TYPES.FunctionDeclaration ||
        parent.type === AST_NODE_TYPES.StaticBlock ||
        parent.type === AST_NODE_TYPES.ClassBody
      ) {
        if (parent.type === AST_NODE_TYPES.FunctionExpression && parent.parent.type === AST_NODE_TYPES.MethodDefinition) continue;
        return undefined;
      }
    }
    return undefined;
  }

  /** Whether a nested function sits in the close method's own code (not inside a deferred callback). */
  private isDirectlyIn(fn: FunctionNode, home: TSESTree.MethodDefinition | TSESTree.PropertyDefinition): boolean {
    if (home.type !== AST_NODE_TYPES.MethodDefinition || !this.isCloseLike(home)) return false;
    for (let node: TSESTree.Node | undefined = fn.parent; node && node !== home; node = node.parent) {
      if (node.type === AST_NODE_TYPES.ArrowFunctionExpression && this.categoryOf(node).kind === 'callback') return false;
    }
    return true;
  }

  /**
   * The call that runs the arrow function later: `.then`/`.catch`/`.finally` on a thenable, a
   * timer, `process.nextTick`, or a listener registration. A listener registered on a resource
   * field cannot fire after that resource is destroyed: that field is exempt at its start.
   */
  private deferringCall(fn: TSESTree.ArrowFunctionExpression): { exempt: string | undefined; timer: boolean } | undefined {
    const timing = this.services.callbackTiming(fn);
    if (timing?.when !== 'later') return undefined;
    const callee = skipWrappers(timing.call.callee);
    const exempt =
      timing.via === 'listener' && callee.type === AST_NODE_TYPES.MemberExpression
        ? this.receiverField(callee.object, timing.call)
        : undefined;
    return { exempt, timer: timing.via === 'timer' };
  }

  /**
   * `this.timer = setInterval(…)` (or a field initialised so) that a close method clears with
   * `clearInterval(this.timer)`: the callback cannot run once the object is closed.
   */
  private isClearedOnClose(call: TSESTree.Node): boolean {
    const outer = outerWrapper(call);
    const parent = outer.parent;
    let field: string | undefined;
    if (parent?.type === AST_NODE_TYPES.AssignmentExpression && parent.right === outer) field = thisFieldName(parent.left);
    if (parent?.type === AST_NODE_TYPES.PropertyDefinition && parent.value === outer && !parent.static) {
      field = propertyKeyName(parent.key, parent.computed);
    }
    if (field === undefined) return false;
    this.clearedTimers ??= this.collectClearedTimers();
    return this.clearedTimers.has(field);
  }

  private collectClearedTimers(): Set<string> {
    const cleared = new Set<string>();
    for (const member of this.info.node.body.body) {
      if (member.type !== AST_NODE_TYPES.MethodDefinition || member.static || !this.isCloseLike(member)) continue;
      const visit = (node: TSESTree.Node): void => {
        if (node.type !== AST_NODE_TYPES.CallExpression) return;
        const name = calleeName(node.callee);
        const timer = node.arguments[0] ? thisFieldName(node.arguments[0]) : undefined;
        if (name !== undefined && CLEAR_TIMERS.has(name) && timer !== undefined) cleared.add(timer);
      };
      walk(member.value, this.visitorKeys, visit, OWN_CODE);
    }
    return cleared;
  }

  /**
   * The resource field a listener is registered on: `this.sock.on(…)`, `this.child.stdout.on(…)`
   * (a part of the resource), or `sock.on(…)` where `sock` is a parameter property or `this.sock = sock`.
   */
  private receiverField(object: TSESTree.Node, call: TSESTree.CallExpression): string | undefined {
    let receiver = skipWrappers(object);
    for (;;) {
      if (receiver.type === AST_NODE_TYPES.CallExpression) {
        // `this.sock.on('data', f).on('end', g)`: `on` returns its receiver.
        const callee = skipWrappers(receiver.callee);
        if (callee.type !== AST_NODE_TYPES.MemberExpression || !LISTENER_METHODS.has(memberNameOf(callee) ?? '')) return undefined;
        receiver = skipWrappers(callee.object);
      } else if (
        receiver.type === AST_NODE_TYPES.MemberExpression &&
        skipWrappers(receiver.object).type !== AST_NODE_TYPES.ThisExpression
      ) {
        receiver = skipWrappers(receiver.object);
      } else {
        break;
      }
    }
    if (receiver.type !== AST_NODE_TYPES.Identifier) return this.resourceField(receiver);
    const member = ancestorMember(call);
    if (!member) return undefined;
    const variable = referencesOf(this.context.sourceCode).variableOf(receiver);
    return variable && this.aliasesIn(member).get(variable);
  }

  private aliasesIn(member: TSESTree.ClassElement): Map<TSESLint.Scope.Variable, string> {
    const refs = referencesOf(this.context.sourceCode);
    let aliases = this.aliases.get(member);
    if (aliases) return aliases;
    aliases = new Map();
    if (member.type === AST_NODE_TYPES.MethodDefinition && member.kind === 'constructor') {
      for (const parameter of member.value.params) {
        if (parameter.type !== AST_NODE_TYPES.TSParameterProperty || parameter.parameter.type !== AST_NODE_TYPES.Identifier) continue;
        const variable = refs.variableOf(parameter.parameter);
        if (variable && this.info.fields.has(parameter.parameter.name)) aliases.set(variable, parameter.parameter.name);
      }
    }
    const assigned: (readonly [TSESLint.Scope.Variable, string])[] = [];
    const visit = (node: TSESTree.Node): void => {
      if (node.type !== AST_NODE_TYPES.AssignmentExpression || node.operator !== '=') return;
      const right = skipWrappers(node.right);
      const field = this.resourceField(node.left);
      if (right.type !== AST_NODE_TYPES.Identifier || field === undefined) return;
      const variable = refs.variableOf(right);
      if (variable) assigned.push([variable, field]);
    };
    walk(member, this.visitorKeys, visit, OWN_CODE);
    // A local assigned to several resource fields names the last one it is assigned to.
    for (const [variable, field] of assigned.reverse()) if (!aliases.has(variable)) aliases.set(variable, field);
    this.aliases.set(member, aliases);
    return aliases;
  }

  // ---------------------------------------------------------------------------------------
  // Transfer: awaits unguard every field; guards, uses and assignments guard them again

  private transfer(node: TSESTree.Node, state: State, fn: FunctionNode, findings: Finding[]): State {
    if (isSuspension(node)) {
      const parent = node.parent;
      // The implicit await of each iteration of `for await`; the iterated resource itself delivered the value.
      if (parent?.type === AST_NODE_TYPES.ForOfStatement && parent.left === node)
        return this.unguardAll(state, parent, this.resourceField(parent.right));
      // `await this.assertOpen()`: the guard's own await; what follows is guarded.
      if (node.type === AST_NODE_TYPES.AwaitExpression && this.guardCallName(node.argument) !== undefined) return State.empty;
      return this.unguardAll(state, node);
    }
    switch (node.type) {
      case AST_NODE_TYPES.ForOfStatement:
        return node.await ? this.unguardAll(state, node) : state;
      case AST_NODE_TYPES.MemberExpression:
        return this.memberRead(node, state, fn, findings);
      case AST_NODE_TYPES.CallExpression:
        return this.call(node, state, fn, findings);
      case AST_NODE_TYPES.AssignmentExpression: {
        const field = node.operator === '=' ? (this.resourceField(node.left) ?? this.rawField(node.left)) : undefined;
        if (field !== undefined && this.info.fields.has(field)) this.stored(node, field, state, fn, findings);
        return field === undefined ? state : state.without(field);
      }
      case AST_NODE_TYPES.ArrowFunctionExpression:
        return this.nestedFunction(node, state, fn, findings);
      default:
        return state;
    }
  }

  /**
   * docs/rules/require-lifetime-guard.md (newly acquired owners): `this.f = <new owner>` while `f` is unguarded since an await that is not the
   * acquisition's own (`this.fh = await open(p)` alone is the plain initializer).
   */
  private stored(node: TSESTree.AssignmentExpression, field: string, state: State, fn: FunctionNode, findings: Finding[]): void {
    const right = node.right;
    const unrelated = [...(state.get(field) ?? [])].filter(
      origin => origin instanceof Entry || origin.range[0] < right.range[0] || origin.range[1] > right.range[1],
    );
    if (unrelated.length > 0 && this.services.isAcquisition(right))
      findings.push({ node, field, origins: new Set(unrelated), fn, acquired: true });
  }

  /** `this.fh` read: a use unless it is written, called (the call is the use), or only inspected. */
  private memberRead(node: TSESTree.MemberExpression, state: State, fn: FunctionNode, findings: Finding[]): State {
    const raw = this.rawField(node);
    if (raw !== undefined && state.has(raw)) {
      const outer = outerWrapper(node);
      return isWriteTarget(outer) || isInspected(outer) ? state : this.use(raw, node, state, fn, findings, true);
    }
    const field = this.resourceField(node);
    if (field === undefined || !state.has(field)) return state;
    const outer = outerWrapper(node);
    const parent = outer.parent;
    if (!parent) return state;
    if (isWriteTarget(outer)) return state;
    if (parent.type === AST_NODE_TYPES.MemberExpression && parent.object === outer) {
      if (parent.optional && this.info.nulledFields.has(field)) return state.without(field);
      const viaParent = outerWrapper(parent);
      if (viaParent.parent?.type === AST_NODE_TYPES.CallExpression && viaParent.parent.callee === viaParent) return state;
      const owner = this.info.fields.get(field)!;
      if (this.services.model.hasRole(owner, 'rawHandle', memberNameOf(parent))) return this.use(field, node, state, fn, findings, true);
      // A plain property read (`this.cursor.id`) is no use (docs/resource-model.md#uses-and-teardown); a call on a part (`this.child.stdin.write()`) is.
      if (!isCalledThrough(viaParent)) return state;
      return this.use(field, node, state, fn, findings);
    }
    if (isInspected(outer)) return state;
    return this.use(field, node, state, fn, findings);
  }

  private call(node: TSESTree.CallExpression, state: State, fn: FunctionNode, findings: Finding[]): State {
    const callee = skipWrappers(node.callee);
    if (callee.type === AST_NODE_TYPES.MemberExpression) {
      const object = skipWrappers(callee.object);
      const field = this.resourceField(object);
      if (field !== undefined) {
        const owner = this.info.fields.get(field)!;
        const name = memberNameOf(callee);
        const roles = this.services.model.rolesOf(owner, name);
        if (roles.includes('guard')) return state.without(field);
        // Releases, teardown-safe calls, listener bookkeeping and methods that check the closed state themselves are no use (docs/resource-model.md#uses-and-teardown).
        if (roles.some(role => NEUTRAL_ROLES.includes(role)) || isTeardownSafeCall(owner, name, node.arguments.length)) return state;
        if (
          name !== undefined &&
          (LISTENER_METHODS.has(name) || REMOVE_LISTENER.has(name) || this.services.handlesClosedState(owner, name))
        )
          return state;
        return this.use(field, node, state, fn, findings);
      }
      const name = this.guardCallName(node);
      // An async guard protects only when awaited (docs/resource-model.md#ownership): its rejection is lost otherwise.
      if (name !== undefined && (!this.info.asyncMethods.has(name) || isAwaited(node))) return State.empty;
    }
    if (isAssertion(callee) && node.arguments[0] && node.arguments[0].type !== AST_NODE_TYPES.SpreadElement) {
      return this.assume(node.arguments[0], true, state);
    }
    return state;
  }

  /** `this.g()` where `g` is a guard method: its name. */
  private guardCallName(node: TSESTree.Node): string | undefined {
    const call = skipWrappers(node);
    if (call.type !== AST_NODE_TYPES.CallExpression) return undefined;
    const callee = skipWrappers(call.callee);
    if (callee.type !== AST_NODE_TYPES.MemberExpression || skipWrappers(callee.object).type !== AST_NODE_TYPES.ThisExpression)
      return undefined;
    const name = memberNameOf(callee);
    return name !== undefined && isGuardCall(this.info, name) ? name : undefined;
  }

  /** A nested (not deferred) arrow function runs while its creator runs: its uses count there. */
  private nestedFunction(node: TSESTree.ArrowFunctionExpression, state: State, fn: FunctionNode, findings: Finding[]): State {
    if (state.isEmpty || this.categoryOf(node).kind !== 'nested') return state;
    let entryUses = this.entryUses.get(node);
    if (!entryUses) {
      entryUses = new Map();
      for (const finding of this.findingsOf(node)) {
        if (![...finding.origins].some(origin => origin instanceof Entry && origin.fn === node)) continue;
        const nodes = entryUses.get(finding.field) ?? [];
        nodes.push(finding.node);
        entryUses.set(finding.field, nodes);
      }
      this.entryUses.set(node, entryUses);
    }
    let next = state;
    for (const [field, nodes] of entryUses) {
      const origins = next.get(field);
      if (!origins) continue;
      for (const use of nodes) findings.push({ node: use, field, origins, fn });
      next = next.without(field);
    }
    return next;
  }

  /**
   * A use of a field (a raw-handle read with `raw`): a finding when the field may be unguarded and
   * its uses are reported (docs/rules/require-lifetime-guard.md (raw-handle reads, other uses)); either way it counts as used until the next await.
   */
  private use(field: string, node: TSESTree.Node, state: State, fn: FunctionNode, findings: Finding[], raw = false): State {
    const origins = state.get(field);
    if (!origins) return state;
    if ((raw || this.info.reportedUses.has(field)) && !this.borrows.isBorrowed(node, field)) findings.push({ node, field, origins, fn });
    return state.without(field);
  }

  // ---------------------------------------------------------------------------------------
  // Guards in conditions

  private refine(test: TSESTree.Expression, outcome: boolean, state: State): State {
    const expression = skipWrappers(test);
    if (expression.type === AST_NODE_TYPES.BinaryExpression && COMPARISONS.has(expression.operator)) {
      return this.refineComparison(expression, outcome, state);
    }
    const probe = this.probe(expression);
    switch (probe?.kind) {
      case 'flag':
        return outcome ? state : State.empty;
      case 'state':
        return State.empty;
      case 'field':
        return this.info.nulledFields.has(probe.field) ? state.without(probe.field) : state;
      case 'fieldFlag':
        return outcome ? state : state.without(probe.field);
      case 'fieldState':
        return state.without(probe.field);
      default:
        return state;
    }
  }

  /** `this.closed === false`, `this.state !== 'open'`, `this.fh === undefined`, `this.fh.fd < 0`. */
  private refineComparison(test: TSESTree.BinaryExpression, outcome: boolean, state: State): State {
    for (const { side, other, truth } of comparedOperands(test, outcome)) {
      const probe = this.probe(skipWrappers(side));
      if (!probe) continue;
      if (truth !== undefined) return this.refine(side as TSESTree.Expression, truth, state);
      if (probe.kind === 'flag' || probe.kind === 'state') return State.empty;
      if (probe.kind === 'field')
        return this.info.nulledFields.has(probe.field) || isNullish(other, { loose: true }) ? state.without(probe.field) : state;
      return state.without(probe.field);
    }
    return state;
  }

  /** What a condition operand says about liveness. */
  private probe(expression: TSESTree.Node): Probe | undefined {
    const target = expression.type === AST_NODE_TYPES.CallExpression ? skipWrappers(expression.callee) : expression;
    if (target.type !== AST_NODE_TYPES.MemberExpression) return undefined;
    const field = this.resourceField(target) ?? this.rawField(target);
    if (field !== undefined) return expression === target ? { kind: 'field', field } : undefined;
    const name = thisFieldName(target);
    if (name !== undefined) {
      if (expression === target && (this.info.flags.has(name) || isConventionalGuardFlag(name))) return { kind: 'flag' };
      return this.info.stateMembers.has(name) || isConventionalGuardFlag(name) ? { kind: 'state' } : undefined;
    }
    const owner = this.resourceField(skipWrappers(target.object));
    if (owner === undefined || expression !== target) return undefined;
    const guard = this.services.model.hasRole(this.info.fields.get(owner)!, 'guard', memberNameOf(target));
    return { kind: guard ? 'fieldFlag' : 'fieldState', field: owner };
  }

  /** After `assert(cond)`, `cond` holds. */
  private assume(test: TSESTree.Expression, outcome: boolean, state: State): State {
    const expression = skipWrappers(test);
    if (expression.type === AST_NODE_TYPES.UnaryExpression && expression.operator === '!') {
      return this.assume(expression.argument, !outcome, state);
    }
    if (expression.type === AST_NODE_TYPES.LogicalExpression && expression.operator === (outcome ? '&&' : '||')) {
      return this.assume(expression.right, outcome, this.assume(expression.left, outcome, state));
    }
    return this.refine(expression as TSESTree.Expression, outcome, state);
  }

  // ---------------------------------------------------------------------------------------

  /** `this.fh` / `this.#sock` when it names a resource field, else undefined. */
  resourceField(node: TSESTree.Node): string | undefined {
    const name = thisFieldName(node);
    return name !== undefined && this.info.fields.has(name) ? name : undefined;
  }

  /** `this.fd` when it names a field holding a raw handle the class owns, else undefined. */
  private rawField(node: TSESTree.Node): string | undefined {
    const name = thisFieldName(node);
    return name !== undefined && this.info.rawFields.has(name) ? name : undefined;
  }

  /** After an await (or at a callback's start) every field is unguarded since that point; earlier origins no longer matter. */
  private unguardAll(state: State, origin: Origin, exempt?: string): State {
    return State.unguarded(origin, exempt, state);
  }
}
