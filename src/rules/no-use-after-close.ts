import { AST_NODE_TYPES, ASTUtils, TSESLint, type TSESTree } from '@typescript-eslint/utils';
import {
  assume,
  ConditionKeys,
  contradicts,
  meetFacts,
  NO_FACTS,
  sameFacts,
  withoutChanged,
  type Changed,
  type ConditionTest,
  type Facts,
} from '../model/conditions.js';
import { analyzeFunction, type FlowAnalysis } from '../model/flow.js';
import {
  calleeMember,
  getNativeHandleServices,
  memberNameOf,
  propertyKeyName,
  thisFieldName,
  type NativeHandleServices,
  type Owner,
} from '../model/index.js';
import {
  fieldsAssignedByMethod,
  isAccessorMember,
  isCompletionWaiter,
  isHarmlessAfterClose,
  mayBeCloseName,
  ownerParameterAt,
  reopensOwner,
} from '../model/lifetime.js';
import {
  childContaining,
  comparedOperands,
  isFunction,
  isNullish,
  isWriteTarget,
  lineBreakOf,
  outerWrapper,
  skipWrappers,
  some,
  statementList,
  type FunctionNode,
  type VisitorKeys,
} from '../util/ast.js';
import { createRule } from './createRule.js';
import { type References, referencesOf, writtenTargets } from '../model/references.js';
import { asFunction } from '../model/util.js';

export type MessageIds = 'useAfterClose' | 'rawHandleAfterClose' | 'returnedClosed' | 'resolvedClosed' | 'moveClose';

export default createRule<[], MessageIds>({
  name: 'no-use-after-close',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow using an owner after it was closed on the same path',
      recommended: true,
      requiresTypeChecking: true,
    },
    hasSuggestions: true,
    messages: {
      useAfterClose:
        '`{{name}}` is used after `{{close}}` (line {{line}}) closed it on this path. Work on a closed {{owner}} fails or is silently dropped. Finish with it before closing it, or give `{{name}}` a new {{owner}} first.',
      rawHandleAfterClose:
        'The raw handle `{{use}}` is read after `{{close}}` (line {{line}}) closed `{{name}}` on this path. The handle of a closed {{owner}} is no longer valid (a FileHandle reports -1), and a number saved earlier may already belong to another file or socket. Read it before closing.',
      returnedClosed:
        '`{{name}}` is returned from a `try` whose `finally` closes it (`{{close}}`, line {{line}}). The caller always receives a closed {{owner}}. Close it in the `finally` only when the `try` failed, or leave the close to the caller.',
      resolvedClosed:
        '`{{name}}` is passed to `{{resolve}}` in a `try` whose `finally` closes it (`{{close}}`, line {{line}}). The promise always delivers a closed {{owner}}. Close it in the `finally` only when the `try` failed, or leave the close to the caller.',
      moveClose: 'Move `{{close}}` after the last statement that uses `{{name}}` (line {{line}}).',
    },
    schema: [],
    defaultOptions: [],
  },
  create(context) {
    const services = getNativeHandleServices(context);
    const collector = new CloseCollector(context, services);
    return {
      Program: node => {
        collector.enter(node);
      },
      ':function': (node: FunctionNode) => {
        collector.enter(node);
      },
      CallExpression: node => {
        collector.call(node);
      },
      ReturnStatement: node => {
        collector.handOff(node);
      },
      ':function:exit': () => {
        collector.exit();
      },
      'Program:exit': () => {
        collector.exit();
      },
    };
  },
});

// -----------------------------------------------------------------------------------------
// Owners, closes and the single AST pass

type Context = Readonly<TSESLint.RuleContext<MessageIds, []>>;
type Variable = TSESLint.Scope.Variable;
/** An owner the rule follows: a local variable, or a `this` field (`this.fh`, `this.#fh`). */
type Key = Variable | `this.${string}`;
/**
 * For each owner that may be closed here, the close calls that may have closed it, each with what
 * the tests on every path through that close said (and nothing changed since).
 */
type Closed = ReadonlyMap<Key, ReadonlyMap<TSESTree.CallExpression, Facts>>;
/** The state of the flow analysis: the closed owners, and what the tests on the way here said. */
interface State {
  readonly closed: Closed;
  readonly facts: Facts;
}
type CallLike = TSESTree.CallExpression | TSESTree.NewExpression;

interface Close {
  readonly key: Key;
  readonly owner: Owner;
  readonly member: TSESTree.MemberExpression;
}

interface Finding {
  readonly node: TSESTree.Node;
  readonly key: Key;
  readonly kind: 'use' | 'rawHandle';
  readonly owner: Owner;
  readonly closes: Set<TSESTree.CallExpression>;
}

/**
 * A liveness check in a condition: of owners that may be closed (`keys`), or of `this` (an owner
 * class's guard, which speaks for all its fields); `flag` when it is a guard flag, true when closed.
 */
interface Probe {
  readonly keys: readonly Key[] | 'this';
  readonly flag: boolean;
}

interface FunctionInfo {
  readonly node: FunctionNode | TSESTree.Program;
  /** Calls whose member name may be a close (`x.close()`, `this.sock.destroy()`), on an owner the rule can follow. */
  readonly candidates: TSESTree.CallExpression[];
  /** `return x;` statements, and calls that may resolve the promise of an enclosing `new Promise` executor with a value. */
  readonly handOffs: (TSESTree.ReturnStatement | TSESTree.CallExpression)[];
  /** When the function is a `new Promise` executor: the name of its `resolve` parameter. */
  readonly resolve: string | undefined;
}

const NONE_CLOSED: Closed = new Map();
const EMPTY: State = { closed: NONE_CLOSED, facts: NO_FACTS };
const COMPARISONS = new Set(['===', '!==', '==', '!=', '<', '<=', '>', '>=']);
const LOOPS = new Set<string>([
  AST_NODE_TYPES.WhileStatement,
  AST_NODE_TYPES.DoWhileStatement,
  AST_NODE_TYPES.ForStatement,
  AST_NODE_TYPES.ForInStatement,
  AST_NODE_TYPES.ForOfStatement,
]);
const ABRUPT = new Set<string>([
  AST_NODE_TYPES.ReturnStatement,
  AST_NODE_TYPES.ThrowStatement,
  AST_NODE_TYPES.BreakStatement,
  AST_NODE_TYPES.ContinueStatement,
]);

/** Collects close candidates per function in the one AST pass, and analyses each function that has one when it is left. */
class CloseCollector {
  private readonly stack: FunctionInfo[] = [];

  constructor(
    private readonly context: Context,
    private readonly services: NativeHandleServices,
  ) {}

  enter(node: FunctionNode | TSESTree.Program): void {
    this.stack.push({ node, candidates: [], handOffs: [], resolve: resolveParameter(node)?.name });
  }

  handOff(node: TSESTree.ReturnStatement): void {
    if (node.argument) this.stack[this.stack.length - 1]?.handOffs.push(node);
  }

  call(node: TSESTree.CallExpression): void {
    const callee = node.callee;
    if (callee.type === AST_NODE_TYPES.Identifier && node.arguments.length > 0 && this.stack.some(info => info.resolve === callee.name)) {
      this.stack[this.stack.length - 1]?.handOffs.push(node);
      return;
    }
    const member = calleeMember(node);
    if (!member || !mayBeCloseName(this.services.model, memberNameOf(member))) return;
    const object = skipWrappers(member.object);
    if (object.type === AST_NODE_TYPES.Identifier || thisFieldName(object) !== undefined) {
      this.stack[this.stack.length - 1]?.candidates.push(node);
    }
  }

  exit(): void {
    const info = this.stack.pop();
    if (!info || info.candidates.length === 0) return;
    const keys = new OwnerKeys(this.context.sourceCode, info.node);
    const closes = new Map<TSESTree.CallExpression, Close>();
    const functionText = this.context.sourceCode.getText(info.node);
    for (const call of info.candidates) {
      const member = calleeMember(call)!;
      // Syntax before types: an owner whose text occurs nowhere else in the function (a copy or a
      // destructuring mentions it too) has no use after this close to find.
      if (!occursTwice(functionText, this.context.sourceCode.getText(skipWrappers(member.object)))) continue;
      const key = keys.of(member.object);
      if (key === undefined || (typeof key === 'string' && isAccessorMember(this.services.model, this.services.tsNodeOf(skipWrappers(member.object))))) {
        continue;
      }
      const called = this.services.calledOwnerMember(call);
      if (called?.roles.includes('close')) closes.set(call, { key, owner: called.owner, member });
    }
    if (closes.size === 0) return;
    const conditions = new ConditionKeys(this.context.sourceCode, info.node, this.context.sourceCode.visitorKeys);
    const analysis = new UseAfterClose(this.services, keys, conditions, closes);
    analyzeFunction(asFunction(info.node), analysis.flow(), this.context.sourceCode.visitorKeys);
    reportFindings(this.context, keys, closes, analysis.findings(), info.node);
    for (const handOff of info.handOffs) this.reportClosedOnTheWayOut(handOff, keys, closes, info.node);
  }

  /** `return fh;` (or `resolve(fh)`) in a `try` whose `finally` closes `fh` on every way out. */
  private reportClosedOnTheWayOut(
    handOff: TSESTree.ReturnStatement | TSESTree.CallExpression,
    keys: OwnerKeys,
    closes: ReadonlyMap<TSESTree.CallExpression, Close>,
    fn: FunctionNode | TSESTree.Program,
  ): void {
    const returned = handOff.type === AST_NODE_TYPES.ReturnStatement ? handOff.argument : handOff.arguments[0];
    if (!returned || returned.type === AST_NODE_TYPES.SpreadElement) return;
    if (handOff.type === AST_NODE_TYPES.CallExpression && !isResolveCall(this.context.sourceCode, handOff)) return;
    const key = keys.of(returned);
    if (key === undefined) return;
    const close = closeOnTheWayOut(handOff, key, keys, closes, fn, this.context.sourceCode.visitorKeys);
    if (!close) return;
    const sourceCode = this.context.sourceCode;
    const { member, owner } = closes.get(close)!;
    const data = {
      name: sourceCode.getText(returned),
      close: `${sourceCode.getText(member)}()`,
      line: String(close.loc.start.line),
      owner: owner.name,
    };
    if (handOff.type === AST_NODE_TYPES.ReturnStatement) {
      this.context.report({ node: handOff, messageId: 'returnedClosed', data, suggest: null });
    } else {
      this.context.report({ node: handOff, messageId: 'resolvedClosed', data: { ...data, resolve: sourceCode.getText(handOff.callee) }, suggest: null });
    }
  }
}

// -----------------------------------------------------------------------------------------
// A `try` whose `finally` closes what it returns

/** The `resolve` parameter of a `new Promise((resolve, reject) => …)` executor. */
function resolveParameter(node: FunctionNode | TSESTree.Program): TSESTree.Identifier | undefined {
  const parent = node.type === AST_NODE_TYPES.Program ? undefined : node.parent;
  if (parent?.type !== AST_NODE_TYPES.NewExpression || parent.arguments[0] !== node) return undefined;
  const callee = parent.callee;
  const first = node.params[0];
  return callee.type === AST_NODE_TYPES.Identifier && callee.name === 'Promise' && first?.type === AST_NODE_TYPES.Identifier ? first : undefined;
}

/** Whether the call's callee is the `resolve` parameter of an executor (not another variable of that name). */
function isResolveCall(sourceCode: Readonly<TSESLint.SourceCode>, call: TSESTree.CallExpression): boolean {
  const callee = call.callee as TSESTree.Identifier;
  const definition = ASTUtils.findVariable(sourceCode.getScope(callee), callee.name)?.defs[0];
  return definition?.type === TSESLint.Scope.DefinitionType.Parameter && isFunction(definition.node) && resolveParameter(definition.node) === definition.name;
}

/**
 * The close of the owner that a `finally` runs on every way out of a `try` the hand-off is in
 * (in its block or its `catch`, in this function): a close statement of the `finally` block, or
 * of a nested block or `try` block in it, or under a test that the owner is there (`if (fh)`,
 * `if (fh !== undefined)`), with nothing before it that may leave the `finally` or give the
 * owner another value. A close under any other test (`if (failed)`) is not on every way out.
 */
function closeOnTheWayOut(
  handOff: TSESTree.Node,
  key: Key,
  keys: OwnerKeys,
  closes: ReadonlyMap<TSESTree.CallExpression, Close>,
  fn: FunctionNode | TSESTree.Program,
  visitorKeys: VisitorKeys,
): TSESTree.CallExpression | undefined {
  for (let child: TSESTree.Node = handOff; child.parent && child !== fn && !isFunction(child); child = child.parent) {
    const parent = child.parent;
    if (parent.type !== AST_NODE_TYPES.TryStatement || !parent.finalizer || child === parent.finalizer) continue;
    for (const [call, close] of closes) {
      if (close.key === key && runsOnEveryPass(call, parent.finalizer, key, keys, visitorKeys)) return call;
    }
  }
  return undefined;
}

function runsOnEveryPass(
  call: TSESTree.CallExpression,
  finalizer: TSESTree.BlockStatement,
  key: Key,
  keys: OwnerKeys,
  visitorKeys: VisitorKeys,
): boolean {
  if (call.range[0] < finalizer.range[0] || call.range[1] > finalizer.range[1]) return false;
  let node: TSESTree.Node | undefined = closeStatement(call, true);
  for (; node && node !== finalizer; node = node.parent) {
    const parent: TSESTree.Node | undefined = node.parent;
    if (parent?.type === AST_NODE_TYPES.BlockStatement) {
      const before = parent.body.slice(0, parent.body.indexOf(node as TSESTree.Statement));
      if (before.some(statement => mayLeaveOrReassign(statement, key, keys, visitorKeys))) return false;
    } else if (parent?.type === AST_NODE_TYPES.IfStatement) {
      if (parent.consequent !== node || !testsPresence(parent.test, key, keys)) return false;
    } else if (parent?.type !== AST_NODE_TYPES.TryStatement || parent.block !== node) {
      return false;
    }
  }
  return node === finalizer;
}

/** Whether a statement before the close in a `finally` may leave it (`return`, `throw`, …) or give the owner a new value. */
function mayLeaveOrReassign(statement: TSESTree.Node, key: Key, keys: OwnerKeys, visitorKeys: VisitorKeys): boolean {
  return some(
    statement,
    visitorKeys,
    node =>
      ABRUPT.has(node.type) ||
      (node.type === AST_NODE_TYPES.AssignmentExpression && keys.written(node.left).includes(key)),
    { skip: node => isFunction(node) || node.type === AST_NODE_TYPES.ClassBody },
  );
}

/** `fh`, `fh != null`, `fh !== undefined`, `null !== fh`: the owner is there. */
function testsPresence(test: TSESTree.Node, key: Key, keys: OwnerKeys): boolean {
  const expression = skipWrappers(test);
  if (expression.type !== AST_NODE_TYPES.BinaryExpression) return keys.of(expression) === key;
  if (expression.operator !== '!==' && expression.operator !== '!=') return false;
  const { left, right } = expression;
  return (keys.of(left) === key && isNullish(right, { loose: true })) || (isNullish(left, { loose: true }) && keys.of(right) === key);
}

// -----------------------------------------------------------------------------------------
// The flow analysis of one function

/**
 * A may-analysis over one function: which owners may be closed at each point, and by which
 * close calls. A use of an owner that may be closed is a finding; the use (like a new value,
 * a passed liveness guard, or a reopening call) ends the closed state on that path, so each
 * close is reported at its first use on each path.
 */
class UseAfterClose {
  private readonly found = new Map<TSESTree.Node, Finding>();

  constructor(
    private readonly services: NativeHandleServices,
    private readonly keys: OwnerKeys,
    private readonly conditions: ConditionKeys,
    private readonly closes: ReadonlyMap<TSESTree.CallExpression, Close>,
  ) {}

  flow(): FlowAnalysis<State> {
    return {
      initial: EMPTY,
      join: joinStates,
      equals: sameStates,
      transfer: (node, state) => this.transfer(node, state),
      refine: (test, outcome, state) => this.refine(test, outcome, state),
      // A close call that throws did not close: the catch/finally gets the state without it.
      thrown: (node, before, after) => withClosed(after, withoutClosesIn(node, before.closed, after.closed)),
    };
  }

  findings(): Finding[] {
    return [...this.found.values()].sort((a, b) => a.node.range[0] - b.node.range[0]);
  }

  private transfer(node: TSESTree.Node, entry: State): State {
    const changed = this.conditions.changedBy(node);
    const state = changed ? withoutChangedFacts(entry, changed) : entry;
    return withClosed(state, this.transferClosed(node, state.closed, state.facts));
  }

  private transferClosed(node: TSESTree.Node, state: Closed, facts: Facts): Closed {
    if (node.type === AST_NODE_TYPES.CallExpression) {
      const close = this.closes.get(node);
      if (close) return withClose(state, close.key, node, facts);
    }
    if (state.size === 0) return state;
    switch (node.type) {
      case AST_NODE_TYPES.CallExpression:
        return this.afterCall(node, this.argumentUses(node, state));
      case AST_NODE_TYPES.NewExpression:
        return this.forgetThisIfPassed(node, this.argumentUses(node, state));
      case AST_NODE_TYPES.MemberExpression:
        return this.memberRead(node, state);
      case AST_NODE_TYPES.AssignmentExpression:
        return forget(state, this.keys.written(node.left));
      case AST_NODE_TYPES.VariableDeclarator:
        return forget(this.destructuredRawHandle(node, state), this.keys.written(node.id));
      case AST_NODE_TYPES.Identifier: {
        const parent = node.parent;
        const loopHead = (parent.type === AST_NODE_TYPES.ForOfStatement || parent.type === AST_NODE_TYPES.ForInStatement) && parent.left === node;
        return loopHead ? forget(state, this.keys.written(node)) : state;
      }
      case AST_NODE_TYPES.UnaryExpression:
        return node.operator === 'delete' ? forget(state, this.keys.written(node.argument)) : state;
      default:
        return state;
    }
  }

  /** A member call on an owner that may be closed: a use, unless it closes, cancels, guards, reopens or is harmless. */
  private afterCall(call: TSESTree.CallExpression, state: Closed): Closed {
    const member = calleeMember(call);
    if (!member) return state;
    const object = skipWrappers(member.object);
    if (object.type === AST_NODE_TYPES.ThisExpression || object.type === AST_NODE_TYPES.Super) {
      // Another method of the class may give the fields a new value.
      if (!hasThisFields(state)) return state;
      const assigned = fieldsAssignedByMethod(this.services.model, this.services.tsNodeOf(member));
      return assigned === 'all' ? forgetThisFields(state) : forget(state, [...assigned].map(name => `this.${name}` as const));
    }
    const key = this.keys.of(object);
    const next = this.forgetThisIfPassed(call, state);
    if (key === undefined || !next.has(key)) return next;
    const info = this.services.ownerMember(member);
    if (!info) return next;
    const { roles, owner, name } = info;
    if (roles.includes('close') || roles.includes('cancel')) return next;
    if (roles.includes('guard') || reopensOwner(owner, name)) return forget(next, [key]);
    if (isHarmlessAfterClose(this.services.model, owner, name, call)) return next;
    return this.use(call, key, owner, roles.includes('rawHandle') ? 'rawHandle' : 'use', next);
  }

  /** Passing an owner that may be closed to a parameter whose declared type is an owner. */
  private argumentUses(call: CallLike, state: Closed): Closed {
    let next = state;
    let skipped: boolean | undefined;
    for (const [index, argument] of call.arguments.entries()) {
      if (argument.type === AST_NODE_TYPES.SpreadElement) break;
      const key = this.keys.of(argument);
      if (key === undefined || !next.has(key)) continue;
      skipped ??= this.waitsOrStores(call);
      if (skipped) return next;
      const owner = this.services.ownerOf(argument);
      if (owner && ownerParameterAt(this.services, call, index)) next = this.use(call, key, owner, 'use', next);
    }
    return next;
  }

  /** Calls that only wait for an owner to finish (`finished(s)`, `once(s, 'close')`) or keep it in a collection (`set.delete(fh)`): not uses. */
  private waitsOrStores(call: CallLike): boolean {
    const callee = skipWrappers(call.callee);
    return this.services.isDefaultLibValue(callee) || isCompletionWaiter(this.services, callee);
  }

  /** Reading a raw handle (`fh.fd`) of an owner that may be closed, except to compare it (`fh.fd === -1` checks liveness). */
  private memberRead(member: TSESTree.MemberExpression, state: Closed): Closed {
    const outer = outerWrapper(member);
    const parent = outer.parent;
    if (parent?.type === AST_NODE_TYPES.CallExpression && parent.callee === outer) return state;
    if (parent?.type === AST_NODE_TYPES.BinaryExpression && COMPARISONS.has(parent.operator)) return state;
    if (isWriteTarget(member)) return state;
    const key = this.keys.of(member.object);
    if (key === undefined || !state.has(key)) return state;
    const info = this.services.ownerMember(member);
    if (!info?.roles.includes('rawHandle')) return state;
    if (this.services.typeOf(member).getCallSignatures().length > 0) return state; // the method itself, not the handle
    return this.use(member, key, info.owner, 'rawHandle', state);
  }

  /** `const { fd } = fh` reads the raw handle too. */
  private destructuredRawHandle(declarator: TSESTree.VariableDeclarator, state: Closed): Closed {
    if (declarator.id.type !== AST_NODE_TYPES.ObjectPattern || !declarator.init) return state;
    const key = this.keys.of(declarator.init);
    if (key === undefined || !state.has(key)) return state;
    const owner = this.services.ownerOf(declarator.init);
    for (const property of declarator.id.properties) {
      if (property.type !== AST_NODE_TYPES.Property || !owner) continue;
      const name = propertyKeyName(property.key, property.computed);
      if (this.services.model.hasRole(owner, 'rawHandle', name)) return this.use(property, key, owner, 'rawHandle', state);
    }
    return state;
  }

  private forgetThisIfPassed(call: CallLike, state: Closed): Closed {
    const passesThis = call.arguments.some(argument => skipWrappers(argument).type === AST_NODE_TYPES.ThisExpression);
    return passesThis ? forgetThisFields(state) : state;
  }

  private use(node: TSESTree.Node, key: Key, owner: Owner, kind: Finding['kind'], state: Closed): Closed {
    const closes = state.get(key)!;
    let finding = this.found.get(node);
    if (!finding) {
      finding = { node, key, kind, owner, closes: new Set() };
      this.found.set(node, finding);
    }
    for (const close of closes.keys()) finding.closes.add(close);
    return forget(state, [key]);
  }

  // ---------------------------------------------------------------------------------------
  // Liveness checks in conditions

  /**
   * `if (s.destroyed) return;`, `if (!fh.closed) …`, `s.destroyed === false`: on the branch where
   * the guard says "open", the owner is not closed. A check whose answer the rule cannot read
   * (`fh.fd !== -1`, a guard method's result) counts as open on both branches.
   */
  private refine(test: TSESTree.Expression, outcome: boolean, entry: State): State {
    const condition = this.conditions.of(test);
    // A branch the earlier tests rule out (`if (c) return; … if (c) …`): no close reaches it, and
    // the facts stay as they are, so that joining it changes nothing.
    if (condition && contradicts(entry.facts, condition, outcome)) return withClosed(entry, NONE_CLOSED);
    const state = condition
      ? { closed: withoutContradicted(entry.closed, condition, outcome), facts: assume(entry.facts, condition, outcome) }
      : entry;
    return withClosed(state, this.refineClosed(skipWrappers(test), outcome, state.closed));
  }

  private refineClosed(expression: TSESTree.Node, outcome: boolean, state: Closed): Closed {
    if (state.size === 0) return state;
    if (expression.type === AST_NODE_TYPES.BinaryExpression && COMPARISONS.has(expression.operator)) {
      return this.refineComparison(expression, outcome, state);
    }
    const probe = this.probe(expression);
    if (!probe) return state;
    return probe.flag && outcome ? state : forgetProbed(state, probe);
  }

  private refineComparison(test: TSESTree.BinaryExpression, outcome: boolean, state: Closed): Closed {
    for (const { side, truth } of comparedOperands(test, outcome)) {
      const probe = this.probe(skipWrappers(side));
      if (!probe) continue;
      if (probe.flag && truth !== undefined) return truth ? state : forgetProbed(state, probe);
      return forgetProbed(state, probe);
    }
    return state;
  }

  /**
   * What a condition operand says about liveness: a guard flag of an owner that may be closed
   * (`flag`: true when closed), or another look at its liveness (a guard method's result, its raw
   * handle). A guard of `this` (an owner class's `closed`) speaks for all its fields.
   */
  private probe(expression: TSESTree.Node): Probe | undefined {
    const called = expression.type === AST_NODE_TYPES.CallExpression;
    const target = called ? skipWrappers(expression.callee) : expression;
    if (target.type !== AST_NODE_TYPES.MemberExpression) return undefined;
    const object = skipWrappers(target.object);
    if (object.type === AST_NODE_TYPES.ThisExpression) {
      const owner = this.services.ownerOf(object);
      if (!owner || !this.services.model.hasRole(owner, 'guard', memberNameOf(target))) return undefined;
      return { keys: 'this', flag: !called };
    }
    const key = this.keys.of(object);
    if (key === undefined) return undefined;
    const info = this.services.ownerMember(target);
    if (!info) return undefined;
    if (info.roles.includes('guard')) return { keys: [key], flag: !called };
    return !called && info.roles.includes('rawHandle') ? { keys: [key], flag: false } : undefined;
  }
}

// -----------------------------------------------------------------------------------------
// States

function joinStates(a: State, b: State): State {
  const facts = meetFacts(a.facts, b.facts);
  if (a.closed.size === 0 && facts === b.facts) return b;
  if (b.closed.size === 0 && facts === a.facts) return a;
  const joined = new Map(a.closed);
  for (const [key, closes] of b.closed) {
    const mine = joined.get(key);
    if (!mine) {
      joined.set(key, closes);
      continue;
    }
    const both = new Map(mine);
    for (const [close, closeFacts] of closes) {
      const other = both.get(close);
      both.set(close, other ? meetFacts(other, closeFacts) : closeFacts);
    }
    joined.set(key, both);
  }
  return { closed: joined, facts };
}

function sameStates(a: State, b: State): boolean {
  if (!sameFacts(a.facts, b.facts) || a.closed.size !== b.closed.size) return false;
  for (const [key, closes] of a.closed) {
    const other = b.closed.get(key);
    if (other?.size !== closes.size) return false;
    for (const [close, facts] of closes) {
      const otherFacts = other.get(close);
      if (!otherFacts || !sameFacts(facts, otherFacts)) return false;
    }
  }
  return true;
}

/** The state with other closed owners (the same object when they did not change). */
function withClosed(state: State, closed: Closed): State {
  return closed === state.closed ? state : { closed, facts: state.facts };
}

/** A close of the owner, made where the tests said `facts` (the latest close of it by the same call replaces the earlier). */
function withClose(state: Closed, key: Key, close: TSESTree.CallExpression, facts: Facts): Closed {
  const next = new Map(state);
  next.set(key, new Map(state.get(key)).set(close, facts));
  return next;
}

/** The state without the facts a node changed, both on the path and under each close. */
function withoutChangedFacts(state: State, changed: Changed): State {
  const facts = withoutChanged(state.facts, changed);
  let closed: Map<Key, ReadonlyMap<TSESTree.CallExpression, Facts>> | undefined;
  for (const [key, closes] of state.closed) {
    let kept: Map<TSESTree.CallExpression, Facts> | undefined;
    for (const [close, closeFacts] of closes) {
      const next = withoutChanged(closeFacts, changed);
      if (next === closeFacts) continue;
      kept ??= new Map(closes);
      kept.set(close, next);
    }
    if (!kept) continue;
    closed ??= new Map(state.closed);
    closed.set(key, kept);
  }
  return facts === state.facts && !closed ? state : { closed: closed ?? state.closed, facts };
}

/** Correlated conditions: the closes made where the tests said the test cannot have `outcome` are not on this branch. */
function withoutContradicted(state: Closed, test: ConditionTest, outcome: boolean): Closed {
  let next: Map<Key, ReadonlyMap<TSESTree.CallExpression, Facts>> | undefined;
  for (const [key, closes] of state) {
    const kept = [...closes].filter(([, facts]) => !contradicts(facts, test, outcome));
    if (kept.length === closes.size) continue;
    next ??= new Map(state);
    if (kept.length === 0) next.delete(key);
    else next.set(key, new Map(kept));
  }
  return next ?? state;
}

function forget(state: Closed, keys: readonly Key[]): Closed {
  if (!keys.some(key => state.has(key))) return state;
  const next = new Map(state);
  for (const key of keys) next.delete(key);
  return next;
}

/** On the branch where a liveness check says "open", the owners it checked are not closed. */
function forgetProbed(state: Closed, probe: Probe): Closed {
  return probe.keys === 'this' ? forgetThisFields(state) : forget(state, probe.keys);
}

function hasThisFields(state: Closed): boolean {
  return [...state.keys()].some(key => typeof key === 'string');
}

function forgetThisFields(state: Closed): Closed {
  if (!hasThisFields(state)) return state;
  return new Map([...state].filter(([key]) => typeof key !== 'string'));
}

/** The state a throwing node sends on: without the closes made by the node itself (they did not happen). */
function withoutClosesIn(node: TSESTree.Node, before: Closed, after: Closed): Closed {
  if (after === before || after.size === 0) return after;
  const inside = (close: TSESTree.CallExpression): boolean => close.range[0] >= node.range[0] && close.range[1] <= node.range[1];
  const next = new Map<Key, ReadonlyMap<TSESTree.CallExpression, Facts>>();
  for (const [key, closes] of after) {
    const earlier = before.get(key);
    const kept = new Map<TSESTree.CallExpression, Facts>();
    let same = true;
    for (const [close, facts] of closes) {
      const earlierFacts = inside(close) ? earlier?.get(close) : facts;
      if (earlierFacts !== undefined) kept.set(close, earlierFacts);
      same &&= earlierFacts === facts;
    }
    if (kept.size > 0) next.set(key, same ? closes : kept);
  }
  return next;
}

// -----------------------------------------------------------------------------------------
// Which owner an expression names

/**
 * Keys of the owners the rule follows in one function: a local variable (or a parameter, or an
 * outer variable) that nothing but this function reassigns, and a `this` field. A variable that
 * a nested function (or another function) reassigns may get a new value at any call, so the
 * rule does not follow it.
 */
class OwnerKeys {
  private readonly followed = new Map<Variable, boolean>();
  private readonly refs: References;

  constructor(
    sourceCode: Readonly<TSESLint.SourceCode>,
    private readonly fn: FunctionNode | TSESTree.Program,
  ) {
    this.refs = referencesOf(sourceCode);
  }

  /** The key of an owner expression; a `const` copy of a variable that is never reassigned (`const h = fh`) is that variable. */
  of(node: TSESTree.Node, followCopies = true): Key | undefined {
    const expression = skipWrappers(node);
    if (expression.type === AST_NODE_TYPES.Identifier) {
      let variable = this.refs.variableOf(expression);
      if (variable && followCopies) variable = this.original(variable);
      return variable && this.isFollowed(variable) ? variable : undefined;
    }
    const field = thisFieldName(expression);
    return field === undefined ? undefined : `this.${field}`;
  }

  /** Through `const h = fh` copies (a few deep) whose source variable is written only by its declaration: the same object for good. */
  private original(variable: Variable): Variable {
    let current = variable;
    for (let depth = 0; depth < 4; depth++) {
      const alias = this.refs.aliasOf(current);
      const init = alias?.property === undefined ? alias?.source && skipWrappers(alias.source) : undefined;
      if (init?.type !== AST_NODE_TYPES.Identifier) break;
      const source = this.refs.variableOf(init);
      if (!source || source.references.some(reference => reference.isWrite() && reference.init !== true)) break;
      current = source;
    }
    return current;
  }

  /** The keys a write target gives a new value: identifiers and `this` fields in a pattern. */
  written(target: TSESTree.Node): Key[] {
    return writtenTargets(target).flatMap(node => this.of(node, false) ?? []);
  }

  /** Whether the node mentions the owner (its variable, or `this.<field>`), nested functions included. */
  mentions(node: TSESTree.Node, key: Key, visitorKeys: TSESLint.SourceCode['visitorKeys']): boolean {
    return some(node, visitorKeys, candidate => {
      if (typeof key === 'string') return candidate.type === AST_NODE_TYPES.MemberExpression && `this.${thisFieldName(candidate) ?? ''}` === key;
      if (candidate.type !== AST_NODE_TYPES.Identifier) return false;
      const variable = this.refs.variableOf(candidate);
      return variable !== undefined && variable.references.some(reference => reference.identifier === candidate) && this.original(variable) === key;
    });
  }

  private isFollowed(variable: Variable): boolean {
    let followed = this.followed.get(variable);
    if (followed === undefined) {
      followed = variable.references.every(
        reference => !reference.isWrite() || reference.init === true || reference.from.variableScope.block === this.fn,
      );
      this.followed.set(variable, followed);
    }
    return followed;
  }
}

// -----------------------------------------------------------------------------------------
// Reports and the suggestion

function reportFindings(
  context: Context,
  keys: OwnerKeys,
  closes: ReadonlyMap<TSESTree.CallExpression, Close>,
  findings: readonly Finding[],
  fn: FunctionNode | TSESTree.Program,
): void {
  const sourceCode = context.sourceCode;
  const offered = new Set<TSESTree.CallExpression>();
  for (const finding of findings) {
    const first = [...finding.closes].sort((a, b) => a.range[0] - b.range[0])[0]!;
    const close = closes.get(first)!;
    const data = {
      name: sourceCode.getText(close.member.object),
      close: `${sourceCode.getText(close.member)}()`,
      line: String(first.loc.start.line),
      owner: finding.owner.name,
      use: sourceCode.getText(finding.node),
    };
    let move: MoveClose | undefined;
    if (finding.closes.size === 1 && !offered.has(first)) {
      offered.add(first);
      move = moveCloseFix(sourceCode, keys, closes, first, finding, fn);
    }
    context.report({
      node: finding.node,
      messageId: finding.kind === 'rawHandle' ? 'rawHandleAfterClose' : 'useAfterClose',
      data,
      suggest: move
        ? [{ messageId: 'moveClose', data: { close: data.close, name: data.name, line: String(move.after.loc.end.line) }, fix: move.fix }]
        : null,
    });
  }
}

/** The suggested move: the statement the close goes after, and the edit. */
interface MoveClose {
  readonly after: TSESTree.Node;
  readonly fix: TSESLint.ReportFixFunction;
}

/**
 * The close's expression statement (`x.close();`, `await x.close();`, `void x.close();`), when it
 * is one; with `caught`, also `await x.close().catch(…);`.
 */
function closeStatement(close: TSESTree.CallExpression, caught = false): TSESTree.ExpressionStatement | undefined {
  let node: TSESTree.Node = outerWrapper(close);
  while (
    node.parent &&
    (node.parent.type === AST_NODE_TYPES.AwaitExpression ||
      (node.parent.type === AST_NODE_TYPES.UnaryExpression && node.parent.operator === 'void') ||
      (caught && isCatchCall(node)))
  ) {
    node = outerWrapper(node.parent.type === AST_NODE_TYPES.MemberExpression ? node.parent.parent : node.parent);
  }
  return node.parent?.type === AST_NODE_TYPES.ExpressionStatement ? node.parent : undefined;
}

/** Whether the node is the receiver of a `.catch(…)` call. */
function isCatchCall(node: TSESTree.Node): boolean {
  const member = node.parent;
  return (
    member?.type === AST_NODE_TYPES.MemberExpression &&
    member.object === node &&
    member.parent.type === AST_NODE_TYPES.CallExpression &&
    member.parent.callee === member &&
    memberNameOf(member) === 'catch'
  );
}

/** The last statement of the close's statement list that mentions the owner, when it comes after the close. */
function lastMentioning(
  sourceCode: Readonly<TSESLint.SourceCode>,
  keys: OwnerKeys,
  close: TSESTree.CallExpression,
  key: Key,
): TSESTree.Node | undefined {
  const statement = closeStatement(close);
  const list = statement?.parent ? statementList(statement.parent) : undefined;
  if (!statement || !list) return undefined;
  const start = list.indexOf(statement);
  for (let index = list.length - 1; index > start; index--) {
    if (keys.mentions(list[index]!, key, sourceCode.visitorKeys)) return list[index];
  }
  return undefined;
}

/**
 * Moving the close statement to right after the last statement of its list that mentions the
 * owner, when that is a plain statement move: the close is a whole statement on lines of its
 * own, the use is in a later statement of the same list, nothing it moves over leaves the list
 * (`return`, `throw`, `break`, `continue`), gives the owner a new value or closes it again, and
 * the close is not in a loop that the owner outlives (the next iteration would still see it closed).
 * Comment lines right above the close, and a comment after it on its line, move with it.
 */
function moveCloseFix(
  sourceCode: Readonly<TSESLint.SourceCode>,
  keys: OwnerKeys,
  closes: ReadonlyMap<TSESTree.CallExpression, Close>,
  close: TSESTree.CallExpression,
  finding: Finding,
  fn: FunctionNode | TSESTree.Program,
): MoveClose | undefined {
  const statement = closeStatement(close);
  const parent = statement?.parent;
  const list = parent ? statementList(parent) : undefined;
  if (!statement || !parent || !list) return undefined;
  const useStatement = childContaining(parent, finding.node);
  const target = lastMentioning(sourceCode, keys, close, finding.key);
  if (!useStatement || !target || list.indexOf(useStatement) <= list.indexOf(statement)) return undefined;
  if (finding.kind === 'rawHandle' && isStored(finding.node)) return undefined; // the raw value would outlive the close all the same
  const moved = list.slice(list.indexOf(statement) + 1, list.indexOf(target) + 1);
  const visitorKeys = sourceCode.visitorKeys;
  const changesOwner = (node: TSESTree.Node): boolean =>
    ABRUPT.has(node.type) ||
    (node.type === AST_NODE_TYPES.CallExpression && closes.get(node)?.key === finding.key) ||
    (node.type === AST_NODE_TYPES.AssignmentExpression && keys.written(node.left).includes(finding.key)) ||
    (node.type === AST_NODE_TYPES.UpdateExpression && keys.written(node.argument).includes(finding.key));
  const skipFunctions = { skip: (node: TSESTree.Node) => isFunction(node) || node.type === AST_NODE_TYPES.ClassBody };
  if (moved.some(node => some(node, visitorKeys, changesOwner, skipFunctions))) return undefined;
  if (!ownerOutlivesNoLoop(statement, finding.key, fn)) return undefined;

  const lines = sourceCode.lines;
  const firstLine = leadingCommentLine(sourceCode, statement);
  const lastLine = statement.loc.end.line;
  if (!endsItsLine(sourceCode, statement) || !endsItsLine(sourceCode, target)) return undefined;
  if (lines[statement.loc.start.line - 1]!.slice(0, statement.loc.start.column).trim() !== '') return undefined;
  const newline = lineBreakOf(sourceCode);
  const text = lines.slice(firstLine - 1, lastLine).join(newline);
  const removeFrom = sourceCode.getIndexFromLoc({ line: firstLine, column: 0 });
  const removeTo = sourceCode.getIndexFromLoc({ line: lastLine + 1, column: 0 });
  const targetLine = target.loc.end.line;
  const insertAt = sourceCode.getIndexFromLoc({ line: targetLine, column: lines[targetLine - 1]!.length });
  return {
    after: target,
    fix: fixer => [fixer.removeRange([removeFrom, removeTo]), fixer.insertTextAfterRange([insertAt, insertAt], `${newline}${text}`)],
  };
}

/** Whether a raw-handle read is kept for later: declared (`const { fd } = fh`, `const fd = fh.fd`) or assigned. */
function isStored(read: TSESTree.Node): boolean {
  for (let node: TSESTree.Node | undefined = read; node && !isFunction(node); node = node.parent) {
    if (node.type === AST_NODE_TYPES.VariableDeclarator || node.type === AST_NODE_TYPES.AssignmentExpression) return true;
    if (node.type === AST_NODE_TYPES.ExpressionStatement || node.type === AST_NODE_TYPES.BlockStatement) return false;
  }
  return false;
}

/** False when the close sits in a loop (inside the function) that the owner was declared outside of. */
function ownerOutlivesNoLoop(statement: TSESTree.Node, key: Key, fn: FunctionNode | TSESTree.Program): boolean {
  for (let node = statement.parent; node && node !== fn; node = node.parent) {
    if (!LOOPS.has(node.type)) continue;
    if (typeof key === 'string') return false;
    const declared = key.defs[0]?.name;
    return declared !== undefined && declared.range[0] >= node.range[0] && declared.range[1] <= node.range[1];
  }
  return true;
}

/** The first line of the comment lines right above the statement (no blank line between), or the statement's own line. */
function leadingCommentLine(sourceCode: Readonly<TSESLint.SourceCode>, statement: TSESTree.Node): number {
  let line = statement.loc.start.line;
  const comments = sourceCode.getCommentsBefore(statement);
  for (let index = comments.length - 1; index >= 0; index--) {
    const comment = comments[index]!;
    const before = sourceCode.lines[comment.loc.start.line - 1]!.slice(0, comment.loc.start.column);
    if (comment.loc.end.line !== line - 1 || before.trim() !== '') break;
    line = comment.loc.start.line;
  }
  return line;
}

/** Whether only whitespace or a comment follows the node on its last line. */
function endsItsLine(sourceCode: Readonly<TSESLint.SourceCode>, node: TSESTree.Node): boolean {
  const rest = sourceCode.lines[node.loc.end.line - 1]!.slice(node.loc.end.column).trim();
  if (rest === '') return true;
  const next = sourceCode.getTokenAfter(node, { includeComments: true });
  return (
    next !== null &&
    ASTUtils.isCommentToken(next) &&
    next.loc.start.line === node.loc.end.line &&
    next.loc.end.line === node.loc.end.line &&
    rest === sourceCode.getText(next).trim()
  );
}

/** Whether `text` occurs at least twice in `source`. */
function occursTwice(source: string, text: string): boolean {
  const first = source.indexOf(text);
  return first !== -1 && source.indexOf(text, first + 1) !== -1;
}
