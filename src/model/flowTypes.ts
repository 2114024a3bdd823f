import type { TSESTree } from '@typescript-eslint/utils';

/**
 * A small forward data-flow engine over the AST of one function, for the control-flow
 * questions the rules ask ("after an await", "on the same path", "before the close").
 *
 * It evaluates the function's body in JavaScript evaluation order and keeps one abstract state
 * per program point. Branches (`if`, `?:`, `&&`/`||`/`??`, optional chains, `switch`) split the
 * state and join it again; loops are iterated to a fixed point (so a fact from the end of one
 * iteration reaches the start of the next); `return`/`throw`/`break`/`continue` leave the normal
 * path and flow to their targets, through `finally` blocks; any call, `new`, `await` or `yield`
 * inside a `try` may throw into its `catch`/`finally`. Nested functions and classes are not
 * entered: they run at another time, and rules analyse them as functions of their own.
 *
 * A state of `undefined` means "unreachable" (no path gets here).
 */
export interface FlowAnalysis<S> {
  /** The state at the function's entry. */
  readonly initial: S;
  /** Least upper bound of two states at a join point. */
  join(a: S, b: S): S;
  equals(a: S, b: S): boolean;
  /**
   * The effect of evaluating a node, called after its children (post-order). For a
   * `for await` loop, its `left` node is transferred at the start of every iteration,
   * right after the implicit await.
   */
  transfer?(node: TSESTree.Node, state: S): S;
  /**
   * The state on the branch where `test` evaluated to `outcome` (for guards like
   * `if (x.closed)`). The engine looks through `!`, `&&` and `||` itself, so `test` is never one
   * of those.
   */
  refine?(test: TSESTree.Expression, outcome: boolean, state: S): S;
  /**
   * The state a node that may throw (a call, `new`, `await`, `yield`, expression statement or
   * variable declaration inside a `try`) sends to the `catch`/`finally` when it throws, given the
   * states before and after it. By default the state after it (its transfer included); an
   * analysis can take back what the node itself did (a close call that throws did not close).
   */
  thrown?(node: TSESTree.Node, before: S, after: S): S;
  /**
   * Whether the caller will ask for the states before and after this node
   * ({@link FlowResult.before}, {@link FlowResult.after}); when omitted, every node's are kept.
   * Keeping two states per node of a long function costs more than walking it (two maps of
   * hundreds of thousands of nodes, slower per entry the larger they grow), so an analysis that
   * asks about a few nodes, or none, says which.
   */
  records?(node: TSESTree.Node): boolean;
  /**
   * Whether the walk may pass over this node: evaluating it and everything inside leaves the
   * state as it is (no transfer, refinement or thrown state changes anything there) and no state
   * inside it is asked for. The engine asks only of nodes that cannot complete abruptly but by
   * throwing (expressions, expression statements, variable declarations), and then goes on with
   * the state it came with; in a `try` it still sends that state to the `catch`/`finally` for a
   * node that may throw, and does not pass over a node that may not (a call inside it may). An
   * analysis that changes the state at a few nodes of a long function says which subtrees hold none.
   */
  skips?(node: TSESTree.Node): boolean;
  /**
   * Whether the caller will ask for states after nodes ({@link FlowResult.after}); when false
   * only the states before them are kept (every `after` is undefined). An analysis that reads
   * only `before` halves what it keeps.
   */
  readonly after?: boolean;
  /**
   * Whether the caller will ask for the state at the function's exit ({@link FlowResult.exit});
   * when false it is not kept (undefined). Every `return` joins into it, so an analysis whose
   * states differ at each return (n awaits, each with a `return` after it) pays a join per return
   * into an ever larger state for nothing.
   */
  readonly exit?: boolean;
}

export interface FlowResult<S> {
  /**
   * The state right before the node is evaluated (joined over every path and loop iteration);
   * undefined where it is unreachable, and for a node that {@link FlowAnalysis.records} leaves out.
   */
  before(node: TSESTree.Node): S | undefined;
  /** The state right after the node (and its transfer) was evaluated (undefined as for `before`). */
  after(node: TSESTree.Node): S | undefined;
  /** The state when the function completes (normally, by `return`, or by `throw`). */
  readonly exit: S | undefined;
  /**
   * How many times the engine evaluated a node (all nodes together). For tests of the engine's
   * cost: it is linear in the size of the function, whatever the nesting of its loops.
   */
  readonly visits: number;
}

export interface Branches<S> {
  readonly whenTrue: S | undefined;
  readonly whenFalse: S | undefined;
}

export type AbruptKind = 'return' | 'throw' | 'break' | 'continue';
interface Abrupt<S> {
  readonly kind: AbruptKind;
  readonly label: string | undefined;
  readonly state: S;
}

export type Context<S> =
  | {
      kind: 'try';
      phase: 'block' | 'catch' | 'finally';
      hasCatch: boolean;
      hasFinally: boolean;
      thrown?: S;
      /** Abrupt completions waiting for the `finally` block, joined per kind and label. */
      pending: Map<string, Abrupt<S>>;
    }
  | TargetContext<S>
  | ChainContext<S>;

/** A `break`/`continue` target: a loop, a `switch`, or a labeled block. */
export interface TargetContext<S> {
  kind: 'target';
  accepts: 'loop' | 'switch' | 'block';
  labels: readonly string[];
  breaks?: S;
  continues?: S;
}

/** An optional chain: the states where it short-circuits. */
export interface ChainContext<S> {
  kind: 'chain';
  shortCircuit?: S;
}

/** A completion leaving a loop: a `return`/`throw`/`break`/`continue`, or an implicit throw. */
export interface Escape<S> {
  readonly kind: AbruptKind | 'implicit';
  readonly label: string | undefined;
  state: S;
}

/**
 * What one loop computed from its head state: the head's fixed point, the state leaving the loop,
 * and the completions that left it for an enclosing target. When the loop is entered again (the
 * next round of an enclosing loop) with a state its head already covers, the engine returns these
 * instead of walking the loop again: without this, each level of nesting multiplies the walks of
 * the loops inside it (2^depth and more).
 */
export interface LoopMemo<S> {
  readonly head: S | undefined;
  readonly exit: S | undefined;
  readonly escapes: readonly Escape<S>[];
}

/** What one walk of a `finally` block computed from its entry state: its exit and the completions that left it. */
export interface FinallyMemo<S> {
  readonly entry: S;
  readonly exit: S | undefined;
  readonly escapes: readonly Escape<S>[];
}

/** Collects the completions that leave a loop (or a `finally` block) while it is walked. */
export interface EscapeRecorder<S> {
  /** The number of contexts outside the loop: a completion consumed at a lower index leaves it. */
  readonly depth: number;
  readonly escapes: Map<string, Escape<S>>;
}

export type LoopStatement =
  TSESTree.WhileStatement | TSESTree.DoWhileStatement | TSESTree.ForStatement | TSESTree.ForInStatement | TSESTree.ForOfStatement;
