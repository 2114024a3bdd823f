import { AST_NODE_TYPES, ASTUtils, TSESLint, type TSESTree } from '@typescript-eslint/utils';
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
  isWriteTarget,
  lineBreakOf,
  outerWrapper,
  skipWrappers,
  some,
  statementList,
  type FunctionNode,
} from '../util/ast.js';
import { createRule } from '../util/createRule.js';
import { type References, referencesOf, writtenTargets } from '../model/references.js';
import { asFunction, joinSetMaps, sameSetMaps } from '../model/util.js';

export type MessageIds = 'useAfterClose' | 'rawHandleAfterClose' | 'moveClose';

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
/** For each owner that may be closed here, the close calls that may have closed it. */
type State = ReadonlyMap<Key, ReadonlySet<TSESTree.CallExpression>>;
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
}

const EMPTY: State = new Map();
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
    this.stack.push({ node, candidates: [] });
  }

  call(node: TSESTree.CallExpression): void {
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
    const analysis = new UseAfterClose(this.context.sourceCode, this.services, keys, closes);
    analyzeFunction(asFunction(info.node), analysis.flow(), this.context.sourceCode.visitorKeys);
    reportFindings(this.context, keys, closes, analysis.findings(), info.node);
  }
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
  private readonly conditions = new Map<TSESTree.CallExpression, readonly Condition[]>();

  constructor(
    private readonly sourceCode: Readonly<TSESLint.SourceCode>,
    private readonly services: NativeHandleServices,
    private readonly keys: OwnerKeys,
    private readonly closes: ReadonlyMap<TSESTree.CallExpression, Close>,
  ) {}

  flow(): FlowAnalysis<State> {
    return {
      initial: EMPTY,
      join: joinSetMaps,
      equals: sameSetMaps,
      transfer: (node, state) => this.transfer(node, state),
      refine: (test, outcome, state) => this.refine(test, outcome, state),
      // A close call that throws did not close: the catch/finally gets the state without it.
      thrown: (node, before, after) => withoutClosesIn(node, before, after),
    };
  }

  findings(): Finding[] {
    return [...this.found.values()].sort((a, b) => a.node.range[0] - b.node.range[0]);
  }

  private transfer(node: TSESTree.Node, state: State): State {
    if (node.type === AST_NODE_TYPES.CallExpression) {
      const close = this.closes.get(node);
      if (close) return withClose(state, close.key, node);
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
  private afterCall(call: TSESTree.CallExpression, state: State): State {
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
  private argumentUses(call: CallLike, state: State): State {
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
  private memberRead(member: TSESTree.MemberExpression, state: State): State {
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
  private destructuredRawHandle(declarator: TSESTree.VariableDeclarator, state: State): State {
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

  private forgetThisIfPassed(call: CallLike, state: State): State {
    const passesThis = call.arguments.some(argument => skipWrappers(argument).type === AST_NODE_TYPES.ThisExpression);
    return passesThis ? forgetThisFields(state) : state;
  }

  private use(node: TSESTree.Node, key: Key, owner: Owner, kind: Finding['kind'], state: State): State {
    const closes = state.get(key)!;
    let finding = this.found.get(node);
    if (!finding) {
      finding = { node, key, kind, owner, closes: new Set() };
      this.found.set(node, finding);
    }
    for (const close of closes) finding.closes.add(close);
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
    const expression = skipWrappers(test);
    const text = entry.size === 0 ? undefined : conditionText(expression, this.sourceCode);
    const state = text === undefined ? entry : this.withoutContradicted(entry, text, outcome);
    if (state.size === 0) return state;
    if (expression.type === AST_NODE_TYPES.BinaryExpression && COMPARISONS.has(expression.operator)) {
      return this.refineComparison(expression, outcome, state);
    }
    const probe = this.probe(expression);
    if (!probe) return state;
    return probe.flag && outcome ? state : forgetProbed(state, probe);
  }

  private refineComparison(test: TSESTree.BinaryExpression, outcome: boolean, state: State): State {
    for (const { side, truth } of comparedOperands(test, outcome)) {
      const probe = this.probe(skipWrappers(side));
      if (!probe) continue;
      if (probe.flag && truth !== undefined) return truth ? state : forgetProbed(state, probe);
      return forgetProbed(state, probe);
    }
    return state;
  }

  /**
   * Correlated conditions: a close made only when `keep` was false is not on the branch of a
   * later `if (keep)` (the rule assumes the condition did not change in between).
   */
  private withoutContradicted(state: State, text: string, outcome: boolean): State {
    let next: Map<Key, ReadonlySet<TSESTree.CallExpression>> | undefined;
    for (const [key, closes] of state) {
      const kept = [...closes].filter(close => !this.conditionsOf(close).some(condition => condition.text === text && condition.outcome !== outcome));
      if (kept.length === closes.size) continue;
      next ??= new Map(state);
      if (kept.length === 0) next.delete(key);
      else next.set(key, new Set(kept));
    }
    return next ?? state;
  }

  private conditionsOf(close: TSESTree.CallExpression): readonly Condition[] {
    let conditions = this.conditions.get(close);
    if (!conditions) {
      conditions = enclosingConditions(close, this.sourceCode);
      this.conditions.set(close, conditions);
    }
    return conditions;
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

/** A condition a close was made under: `if (!keep) fh.close()` → `keep` false. */
interface Condition {
  readonly text: string;
  readonly outcome: boolean;
}

/** The simple conditions (a variable or a property path) on the way from a close up to its function. */
function enclosingConditions(close: TSESTree.CallExpression, sourceCode: Readonly<TSESLint.SourceCode>): Condition[] {
  const found: Condition[] = [];
  const add = (test: TSESTree.Node, outcome: boolean): void => {
    const expression = skipWrappers(test);
    if (expression.type === AST_NODE_TYPES.UnaryExpression && expression.operator === '!') {
      add(expression.argument, !outcome);
    } else if (expression.type === AST_NODE_TYPES.LogicalExpression && expression.operator === (outcome ? '&&' : '||')) {
      add(expression.left, outcome);
      add(expression.right, outcome);
    } else {
      const text = conditionText(expression, sourceCode);
      if (text !== undefined) found.push({ text, outcome });
    }
  };
  for (let child: TSESTree.Node = close; child.parent && !isFunction(child); child = child.parent) {
    const parent: TSESTree.Node = child.parent;
    if ((parent.type === AST_NODE_TYPES.IfStatement || parent.type === AST_NODE_TYPES.ConditionalExpression) && child !== parent.test) {
      add(parent.test, child === parent.consequent);
    } else if (parent.type === AST_NODE_TYPES.LogicalExpression && child === parent.right && parent.operator !== '??') {
      add(parent.left, parent.operator === '&&');
    }
  }
  return found;
}

/** The text of a condition the rule correlates: a variable or a plain property path (`keep`, `this.options.keepOpen`). */
function conditionText(expression: TSESTree.Node, sourceCode: Readonly<TSESLint.SourceCode>): string | undefined {
  let current = expression;
  while (current.type === AST_NODE_TYPES.MemberExpression && !current.computed && !current.optional) current = current.object;
  if (current.type !== AST_NODE_TYPES.Identifier && current.type !== AST_NODE_TYPES.ThisExpression) return undefined;
  return sourceCode.getText(expression).replace(/\s+/g, '');
}

// -----------------------------------------------------------------------------------------
// States

function withClose(state: State, key: Key, close: TSESTree.CallExpression): State {
  const next = new Map(state);
  next.set(key, new Set([...(state.get(key) ?? []), close]));
  return next;
}

function forget(state: State, keys: readonly Key[]): State {
  if (!keys.some(key => state.has(key))) return state;
  const next = new Map(state);
  for (const key of keys) next.delete(key);
  return next;
}

/** On the branch where a liveness check says "open", the owners it checked are not closed. */
function forgetProbed(state: State, probe: Probe): State {
  return probe.keys === 'this' ? forgetThisFields(state) : forget(state, probe.keys);
}

function hasThisFields(state: State): boolean {
  return [...state.keys()].some(key => typeof key === 'string');
}

function forgetThisFields(state: State): State {
  if (!hasThisFields(state)) return state;
  return new Map([...state].filter(([key]) => typeof key !== 'string'));
}

/** The state a throwing node sends on: without the closes made by the node itself (they did not happen). */
function withoutClosesIn(node: TSESTree.Node, before: State, after: State): State {
  if (after === before || after.size === 0) return after;
  const inside = (close: TSESTree.CallExpression): boolean => close.range[0] >= node.range[0] && close.range[1] <= node.range[1];
  const next = new Map<Key, ReadonlySet<TSESTree.CallExpression>>();
  for (const [key, closes] of after) {
    const earlier = before.get(key);
    const kept = [...closes].filter(close => earlier?.has(close) === true || !inside(close));
    if (kept.length > 0) next.set(key, kept.length === closes.size ? closes : new Set(kept));
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

/** The close's expression statement (`x.close();`, `await x.close();`, `void x.close();`), when it is one. */
function closeStatement(close: TSESTree.CallExpression): TSESTree.ExpressionStatement | undefined {
  let node: TSESTree.Node = outerWrapper(close);
  while (
    node.parent &&
    (node.parent.type === AST_NODE_TYPES.AwaitExpression ||
      (node.parent.type === AST_NODE_TYPES.UnaryExpression && node.parent.operator === 'void'))
  ) {
    node = outerWrapper(node.parent);
  }
  return node.parent?.type === AST_NODE_TYPES.ExpressionStatement ? node.parent : undefined;
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
