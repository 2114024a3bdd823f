/**
 * The flow engine's walker: evaluates one function's body in evaluation order (see
 * {@link FlowAnalysis} in src/model/flowTypes.ts for what it computes), with the loop and
 * `try`/`finally` machinery; completions are routed by {@link FlowCompletions}.
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { isNodeValue, keysOf, type FunctionNode, type VisitorKeys } from '../util/ast.js';
import { FlowCompletions } from './flowCompletions.js';
import type {
  Branches,
  ChainContext,
  Context,
  EscapeRecorder,
  FinallyMemo,
  FlowAnalysis,
  FlowResult,
  LoopMemo,
  LoopStatement,
  TargetContext,
} from './flowTypes.js';

export type { FlowAnalysis, FlowResult } from './flowTypes.js';

const MAX_LOOP_ROUNDS = 6;

/** Distinct entry states remembered per `finally` block before the next ones are widened. */
const MAX_FINALLY_ENTRIES = 4;

/** Analyses one function (its parameters' defaults, then its body). */
export function analyzeFunction<S>(fn: FunctionNode, analysis: FlowAnalysis<S>, visitorKeys: VisitorKeys): FlowResult<S> {
  return new FlowEngine(analysis, visitorKeys).run(fn);
}

const SKIPPED_TYPES = new Set<string>([
  AST_NODE_TYPES.FunctionDeclaration,
  AST_NODE_TYPES.FunctionExpression,
  AST_NODE_TYPES.ArrowFunctionExpression,
  AST_NODE_TYPES.ClassDeclaration,
  AST_NODE_TYPES.ClassExpression,
  AST_NODE_TYPES.TSInterfaceDeclaration,
  AST_NODE_TYPES.TSTypeAliasDeclaration,
  AST_NODE_TYPES.TSModuleDeclaration,
  AST_NODE_TYPES.TSEnumDeclaration,
  AST_NODE_TYPES.TSDeclareFunction,
  AST_NODE_TYPES.ImportDeclaration,
]);
const EXPRESSION_WRAPPERS = new Set<string>([
  AST_NODE_TYPES.TSAsExpression,
  AST_NODE_TYPES.TSNonNullExpression,
  AST_NODE_TYPES.TSSatisfiesExpression,
  AST_NODE_TYPES.TSTypeAssertion,
  AST_NODE_TYPES.TSInstantiationExpression,
]);
const MAY_THROW = new Set<string>([
  AST_NODE_TYPES.CallExpression,
  AST_NODE_TYPES.NewExpression,
  AST_NODE_TYPES.AwaitExpression,
  AST_NODE_TYPES.YieldExpression,
  AST_NODE_TYPES.ExpressionStatement,
  AST_NODE_TYPES.VariableDeclaration,
]);

/**
 * Nodes never passed over ({@link FlowAnalysis.skips}): statements that may complete abruptly
 * (all but expression statements and variable declarations), and the parts of statements the
 * engine walks itself.
 */
const UNSKIPPABLE = new Set<string>(
  Object.values(AST_NODE_TYPES).filter(type =>
    /^(?!ExpressionStatement$).*Statement$|^(SwitchCase|CatchClause|Program|StaticBlock|ClassBody)$/.test(type),
  ),
);

class FlowEngine<S> extends FlowCompletions<S> {
  private readonly beforeStates = new Map<TSESTree.Node, S>();
  private readonly afterStates = new Map<TSESTree.Node, S>();
  private visits = 0;
  /**
   * Per loop, what it computed, keyed also by the `finally` passes around it (a `finally` block
   * is walked once for normal and once for abrupt completion, and the two must not mix).
   */
  private readonly loopMemos = new Map<TSESTree.Node, Map<string, LoopMemo<S>>>();
  private finallyPath = '';
  /** Per `finally` block, its walks by entry state (see `finallyBlock`). */
  private readonly finallyMemos = new Map<TSESTree.Node, { exact: FinallyMemo<S>[]; widened: Map<'normal' | 'abrupt', FinallyMemo<S>> }>();

  constructor(
    analysis: FlowAnalysis<S>,
    private readonly visitorKeys: VisitorKeys,
  ) {
    super(analysis);
  }

  run(fn: FunctionNode): FlowResult<S> {
    let state: S | undefined = this.analysis.initial;
    for (const param of fn.params) state = this.evaluate(param, state);
    state = this.evaluate(fn.body, state);
    if (fn.body.type !== AST_NODE_TYPES.BlockStatement) this.abrupt('return', undefined, state);
    else this.exitWith(state);
    return {
      before: node => this.beforeStates.get(node),
      after: node => this.afterStates.get(node),
      exit: this.exitState,
      visits: this.visits,
    };
  }
  // ---------------------------------------------------------------------------------------

  private same(a: S | undefined, b: S | undefined): boolean {
    if (a === undefined || b === undefined) return a === b;
    return this.analysis.equals(a, b);
  }

  private record(map: Map<TSESTree.Node, S>, node: TSESTree.Node, state: S | undefined): void {
    if (state === undefined || (map === this.afterStates && this.analysis.after === false) || this.analysis.records?.(node) === false)
      return;
    const previous = map.get(node);
    map.set(node, previous === undefined ? state : this.analysis.join(previous, state));
  }

  private refine(test: TSESTree.Expression, outcome: boolean, state: S | undefined): S | undefined {
    if (state === undefined || !this.analysis.refine) return state;
    return this.analysis.refine(test, outcome, state);
  }

  /**
   * Evaluates a condition and returns the states on its true and false outcomes, looking
   * through `!`, `&&` and `||` so that `if (x.closed || y) return;` refines on `x.closed`.
   */
  private condition(test: TSESTree.Expression, state: S | undefined): Branches<S> {
    if (state === undefined) return { whenTrue: undefined, whenFalse: undefined };
    if (test.type === AST_NODE_TYPES.UnaryExpression && test.operator === '!') {
      this.record(this.beforeStates, test, state);
      const inner = this.condition(test.argument, state);
      return this.finishCondition(test, { whenTrue: inner.whenFalse, whenFalse: inner.whenTrue });
    }
    if (test.type === AST_NODE_TYPES.LogicalExpression && test.operator !== '??') {
      this.record(this.beforeStates, test, state);
      const left = this.condition(test.left, state);
      if (test.operator === '&&') {
        const right = this.condition(test.right, left.whenTrue);
        return this.finishCondition(test, { whenTrue: right.whenTrue, whenFalse: this.join(left.whenFalse, right.whenFalse) });
      }
      const right = this.condition(test.right, left.whenFalse);
      return this.finishCondition(test, { whenTrue: this.join(left.whenTrue, right.whenTrue), whenFalse: right.whenFalse });
    }
    const after = this.evaluate(test, state);
    return { whenTrue: this.refine(test, true, after), whenFalse: this.refine(test, false, after) };
  }

  private finishCondition(node: TSESTree.Node, branches: Branches<S>): Branches<S> {
    const transfer = (state: S | undefined): S | undefined =>
      state !== undefined && this.analysis.transfer ? this.analysis.transfer(node, state) : state;
    const result = { whenTrue: transfer(branches.whenTrue), whenFalse: transfer(branches.whenFalse) };
    this.record(this.afterStates, node, this.join(result.whenTrue, result.whenFalse));
    return result;
  }

  /** Evaluates a node from `state`; returns the state on normal completion. */
  private evaluate(node: TSESTree.Node | null | undefined, state: S | undefined): S | undefined {
    if (!node || state === undefined) return state;
    this.visits++;
    if (this.analysis.skips && !UNSKIPPABLE.has(node.type) && this.analysis.skips(node)) {
      if (!this.catchesThrow()) return state;
      if (MAY_THROW.has(node.type)) {
        // What anything inside would send when it throws: the unchanged state.
        this.implicitThrow(this.analysis.thrown ? this.analysis.thrown(node, state, state) : state);
        return state;
      }
    }
    this.record(this.beforeStates, node, state);
    let result = this.evaluateInner(node, state);
    if (result !== undefined && this.analysis.transfer) result = this.analysis.transfer(node, result);
    this.record(this.afterStates, node, result);
    // The state a throw sends on is computed only where a `catch` or `finally` receives it.
    if (result !== undefined && MAY_THROW.has(node.type) && this.catchesThrow()) {
      this.implicitThrow(this.analysis.thrown ? this.analysis.thrown(node, state, result) : result);
    }
    return result;
  }

  private evaluateInner(node: TSESTree.Node, state: S): S | undefined {
    switch (node.type) {
      case AST_NODE_TYPES.IfStatement:
        return this.ifStatement(node, state);
      case AST_NODE_TYPES.ConditionalExpression: {
        const test = this.condition(node.test, state);
        return this.join(this.evaluate(node.consequent, test.whenTrue), this.evaluate(node.alternate, test.whenFalse));
      }
      case AST_NODE_TYPES.LogicalExpression:
        return this.logical(node.left, node.right, node.operator, state);
      case AST_NODE_TYPES.UnaryExpression:
        if (node.operator === '!') {
          const test = this.condition(node.argument, state);
          return this.join(test.whenTrue, test.whenFalse);
        }
        return this.children(node, state);
      case AST_NODE_TYPES.AssignmentExpression:
        if (node.operator === '&&=' || node.operator === '||=' || node.operator === '??=') {
          return this.logical(node.left, node.right, node.operator.slice(0, 2) as '&&' | '||' | '??', state);
        }
        return this.children(node, state);
      case AST_NODE_TYPES.ChainExpression:
        return this.chain(node, state);
      case AST_NODE_TYPES.MemberExpression:
      case AST_NODE_TYPES.CallExpression:
        return this.optionalLink(node, state);
      case AST_NODE_TYPES.ReturnStatement:
      case AST_NODE_TYPES.ThrowStatement: {
        const value = this.evaluate(node.argument, state);
        if (value !== undefined) this.abrupt(node.type === AST_NODE_TYPES.ReturnStatement ? 'return' : 'throw', undefined, value);
        return undefined;
      }
      case AST_NODE_TYPES.BreakStatement:
        this.abrupt('break', node.label?.name, state);
        return undefined;
      case AST_NODE_TYPES.ContinueStatement:
        this.abrupt('continue', node.label?.name, state);
        return undefined;
      case AST_NODE_TYPES.LabeledStatement:
        return this.labeled(node, state);
      case AST_NODE_TYPES.WhileStatement:
      case AST_NODE_TYPES.DoWhileStatement:
      case AST_NODE_TYPES.ForStatement:
      case AST_NODE_TYPES.ForInStatement:
      case AST_NODE_TYPES.ForOfStatement:
        return this.loop(node, state, []);
      case AST_NODE_TYPES.SwitchStatement:
        return this.switchStatement(node, state, []);
      case AST_NODE_TYPES.TryStatement:
        return this.tryStatement(node, state);
      default:
        if (SKIPPED_TYPES.has(node.type)) return state;
        if (node.type.startsWith('TS') && !EXPRESSION_WRAPPERS.has(node.type)) return state;
        return this.children(node, state);
    }
  }

  /**
   * Evaluates the children in visitor-key order (source order, which is evaluation order here),
   * straight from the node's properties (no array of them per node of the function).
   */
  private children(node: TSESTree.Node, state: S | undefined): S | undefined {
    let current = state;
    const fields = node as unknown as Record<string, unknown>;
    for (const key of keysOf(node.type, this.visitorKeys, true)) {
      const value = fields[key];
      if (Array.isArray(value)) {
        for (const item of value as unknown[]) if (isNodeValue(item)) current = this.evaluate(item, current);
      } else if (isNodeValue(value)) {
        current = this.evaluate(value, current);
      }
    }
    return current;
  }

  private ifStatement(node: TSESTree.IfStatement, state: S): S | undefined {
    const test = this.condition(node.test, state);
    const yes = this.evaluate(node.consequent, test.whenTrue);
    const no = node.alternate ? this.evaluate(node.alternate, test.whenFalse) : test.whenFalse;
    return this.join(yes, no);
  }

  private logical(left: TSESTree.Expression, right: TSESTree.Expression, operator: '&&' | '||' | '??', state: S): S | undefined {
    if (operator === '??') {
      const afterLeft = this.evaluate(left, state);
      return this.join(afterLeft, this.evaluate(right, afterLeft));
    }
    const test = this.condition(left, state);
    const afterRight = this.evaluate(right, operator === '&&' ? test.whenTrue : test.whenFalse);
    return this.join(operator === '&&' ? test.whenFalse : test.whenTrue, afterRight);
  }

  private chain(node: TSESTree.ChainExpression, state: S): S | undefined {
    const context: ChainContext<S> = { kind: 'chain' };
    this.contexts.push(context);
    const result = this.evaluate(node.expression, state);
    this.contexts.pop();
    return this.join(result, context.shortCircuit);
  }

  /** `a?.b` / `a?.()`: after the object or callee, the rest of the chain may be skipped. */
  private optionalLink(node: TSESTree.MemberExpression | TSESTree.CallExpression, state: S): S | undefined {
    if (!node.optional) return this.children(node, state);
    const head = node.type === AST_NODE_TYPES.MemberExpression ? node.object : node.callee;
    const afterHead = this.evaluate(head, state);
    const chain = [...this.contexts].reverse().find(context => context.kind === 'chain');
    if (chain?.kind === 'chain') chain.shortCircuit = this.join(chain.shortCircuit, afterHead);
    if (node.type === AST_NODE_TYPES.MemberExpression) {
      return node.computed ? this.evaluate(node.property, afterHead) : afterHead;
    }
    let current = afterHead;
    for (const argument of node.arguments) current = this.evaluate(argument, current);
    return current;
  }

  private labeled(node: TSESTree.LabeledStatement, state: S): S | undefined {
    const labels: string[] = [node.label.name];
    let body: TSESTree.Statement = node.body;
    while (body.type === AST_NODE_TYPES.LabeledStatement) {
      labels.push(body.label.name);
      body = body.body;
    }
    switch (body.type) {
      case AST_NODE_TYPES.WhileStatement:
      case AST_NODE_TYPES.DoWhileStatement:
      case AST_NODE_TYPES.ForStatement:
      case AST_NODE_TYPES.ForInStatement:
      case AST_NODE_TYPES.ForOfStatement:
        return this.loop(body, state, labels);
      case AST_NODE_TYPES.SwitchStatement:
        return this.switchStatement(body, state, labels);
      default: {
        const target: TargetContext<S> = { kind: 'target', accepts: 'block', labels };
        this.contexts.push(target);
        const result = this.evaluate(body, state);
        this.contexts.pop();
        return this.join(result, target.breaks);
      }
    }
  }

  private loop(node: LoopStatement, entry: S, labels: readonly string[]): S | undefined {
    let start: S | undefined = entry;
    if (node.type === AST_NODE_TYPES.ForStatement) start = this.evaluate(node.init, start);
    if (node.type === AST_NODE_TYPES.ForInStatement || node.type === AST_NODE_TYPES.ForOfStatement) {
      start = this.evaluate(node.right, start);
    }
    // Entered before (an earlier round of an enclosing loop): go on from the head's fixed point
    // found then, and when the new entry adds nothing to it, replay what the loop computed.
    let memos = this.loopMemos.get(node);
    if (!memos) {
      memos = new Map();
      this.loopMemos.set(node, memos);
    }
    const memo = memos.get(this.finallyPath);
    let head = memo ? this.join(memo.head, start) : start;
    if (memo && this.same(head, memo.head)) {
      for (const escape of memo.escapes) this.replay(escape);
      return memo.exit;
    }
    const recorder: EscapeRecorder<S> = { depth: this.contexts.length, escapes: new Map() };
    this.recorders.push(recorder);
    let exit: S | undefined;
    for (let round = 0; round < MAX_LOOP_ROUNDS; round++) {
      const target: TargetContext<S> = { kind: 'target', accepts: 'loop', labels };
      this.contexts.push(target);
      const { bodyEnd, leaves } = this.loopRound(node, head);
      this.contexts.pop();
      exit = this.join(leaves, target.breaks);
      const next = this.join(start, this.join(bodyEnd, target.continues));
      // A round from a head that the next head equals computed everything: the fixed point.
      if (this.same(next, head)) break;
      head = this.join(head, next);
    }
    this.recorders.pop();
    memos.set(this.finallyPath, { head, exit, escapes: [...recorder.escapes.values()] });
    return exit;
  }

  /** One pass over a loop from its head state: where the body ends, and the state leaving by the test. */
  private loopRound(node: LoopStatement, head: S | undefined): { bodyEnd: S | undefined; leaves: S | undefined } {
    switch (node.type) {
      case AST_NODE_TYPES.WhileStatement: {
        const test = this.condition(node.test, head);
        return { bodyEnd: this.evaluate(node.body, test.whenTrue), leaves: test.whenFalse };
      }
      case AST_NODE_TYPES.DoWhileStatement: {
        const target = this.contexts[this.contexts.length - 1];
        const bodyEnd = this.evaluate(node.body, head);
        // `continue` in a do-while goes to the test.
        const beforeTest = this.join(bodyEnd, target?.kind === 'target' ? target.continues : undefined);
        if (target?.kind === 'target') target.continues = undefined;
        const test = this.condition(node.test, beforeTest);
        return { bodyEnd: test.whenTrue, leaves: test.whenFalse };
      }
      case AST_NODE_TYPES.ForStatement: {
        const test = node.test ? this.condition(node.test, head) : { whenTrue: head, whenFalse: undefined };
        const target = this.contexts[this.contexts.length - 1];
        const bodyEnd = this.evaluate(node.body, test.whenTrue);
        const beforeUpdate = this.join(bodyEnd, target?.kind === 'target' ? target.continues : undefined);
        if (target?.kind === 'target') target.continues = undefined;
        return { bodyEnd: this.evaluate(node.update, beforeUpdate), leaves: test.whenFalse };
      }
      case AST_NODE_TYPES.ForInStatement:
      case AST_NODE_TYPES.ForOfStatement: {
        const bodyStart = this.evaluate(node.left, head);
        return { bodyEnd: this.evaluate(node.body, bodyStart), leaves: head };
      }
    }
  }

  private switchStatement(node: TSESTree.SwitchStatement, state: S, labels: readonly string[]): S | undefined {
    let tests = this.evaluate(node.discriminant, state);
    const target: TargetContext<S> = { kind: 'target', accepts: 'switch', labels };
    this.contexts.push(target);
    let fallthrough: S | undefined;
    let hasDefault = false;
    for (const switchCase of node.cases) {
      if (switchCase.test) tests = this.evaluate(switchCase.test, tests);
      else hasDefault = true;
      let current = this.join(tests, fallthrough);
      this.record(this.beforeStates, switchCase, current);
      for (const statement of switchCase.consequent) current = this.evaluate(statement, current);
      fallthrough = current;
    }
    this.contexts.pop();
    return this.join(this.join(fallthrough, target.breaks), hasDefault ? undefined : tests);
  }

  private tryStatement(node: TSESTree.TryStatement, state: S): S | undefined {
    const context: Context<S> & { kind: 'try' } = {
      kind: 'try',
      phase: 'block',
      hasCatch: node.handler !== null,
      hasFinally: node.finalizer !== null,
      pending: new Map(),
    };
    this.contexts.push(context);
    this.implicitThrow(state);
    let normal = this.evaluate(node.block, state);
    if (node.handler) {
      context.phase = 'catch';
      const caught = context.thrown;
      if (caught !== undefined) {
        this.record(this.beforeStates, node.handler, caught);
        let inCatch = this.evaluate(node.handler.param, caught);
        inCatch = this.evaluate(node.handler.body, inCatch);
        this.record(this.afterStates, node.handler, inCatch);
        normal = this.join(normal, inCatch);
      }
    }
    context.phase = 'finally';
    this.contexts.pop();
    if (!node.finalizer) return normal;

    const path = this.finallyPath;
    this.finallyPath = `${path}/${node.range[0]}n`;
    const afterFinally = this.finallyBlock(node.finalizer, normal, 'normal');
    const pending = [...context.pending.values()];
    if (pending.length > 0) {
      const abruptEntry = pending.reduce<S | undefined>((joined, item) => this.join(joined, item.state), undefined);
      this.finallyPath = `${path}/${node.range[0]}a`;
      const abruptExit = this.finallyBlock(node.finalizer, abruptEntry, 'abrupt');
      this.finallyPath = path;
      for (const item of pending) this.abrupt(item.kind, item.label, abruptExit);
    }
    this.finallyPath = path;
    return normal === undefined ? undefined : afterFinally;
  }

  /**
   * Walks a `finally` block from `entry`, or replays an earlier walk from the same entry state.
   * A `finally` block is walked once per completion kind (normal, abrupt) of every walk of what
   * encloses it, so a `try`/`finally` nested in the `finally` of another is walked 2^depth times
   * without this; the states entering one block are few (usually one or two), and the block's
   * states (before/after every node inside) already hold what an equal entry produces. Past
   * {@link MAX_FINALLY_ENTRIES} different entry states, the block is walked from the join of the
   * entries of the same kind seen since (a sound widening, as at a loop head, until that join
   * stops growing; normal and abrupt entries are never joined: that would let a `return` in the
   * `try` leak into the code after it). In a loop, the entries of one kind only grow from round
   * to round, so their join is the latest of them.
   */
  private finallyBlock(block: TSESTree.BlockStatement, entry: S | undefined, kind: 'normal' | 'abrupt'): S | undefined {
    if (entry === undefined) return undefined;
    let memos = this.finallyMemos.get(block);
    if (!memos) {
      memos = { exact: [], widened: new Map() };
      this.finallyMemos.set(block, memos);
    }
    const exact = memos.exact.find(memo => this.same(memo.entry, entry));
    if (exact) return this.replayBlock(exact);
    let from: S = entry;
    const widened = memos.exact.length >= MAX_FINALLY_ENTRIES ? memos.widened.get(kind) : undefined;
    if (widened) {
      from = this.analysis.join(widened.entry, entry);
      if (this.same(from, widened.entry)) return this.replayBlock(widened);
    }
    const recorder: EscapeRecorder<S> = { depth: this.contexts.length, escapes: new Map() };
    this.recorders.push(recorder);
    const exit = this.evaluate(block, from);
    this.recorders.pop();
    const memo: FinallyMemo<S> = { entry: from, exit, escapes: [...recorder.escapes.values()] };
    if (memos.exact.length < MAX_FINALLY_ENTRIES) memos.exact.push(memo);
    else memos.widened.set(kind, memo);
    return exit;
  }

  private replayBlock(memo: FinallyMemo<S>): S | undefined {
    for (const escape of memo.escapes) this.replay(escape);
    return memo.exit;
  }
}
