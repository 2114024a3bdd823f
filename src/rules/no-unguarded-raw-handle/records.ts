// The records of no-unguarded-raw-handle: one `rawHandle` read (Origin), its problems, the
// writes of raw values into locals (Def), what a raw value's use is (Use), and the per-function
// state the analysis and the flow share.
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import type { FlowResult } from '../../model/flow.js';
import type { Owner } from '../../model/index.js';
import type { Facts } from './facts.js';

export type Variable = TSESLint.Scope.Variable;
export type { Facts };
export type CallLike = TSESTree.CallExpression | TSESTree.NewExpression;
/** How the raw value outlives its statement (docs/rules/no-unguarded-raw-handle.md). */
export type Reason = 'await' | 'callback' | 'field' | 'outer' | 'returned' | 'asyncCall';

/** One `rawHandle` read (a member read, a method call, or a destructured property). */
export interface Origin {
  readonly report: TSESTree.Node;
  readonly value: TSESTree.Node;
  readonly owner: Owner;
  readonly member: string;
  readonly object: TSESTree.Node;
  readonly key: string | undefined;
  /** Whether the read may see a nullish owner (`fh?.fd`, `FileHandle | undefined`). */
  readonly nullable: boolean;
  readonly fn: TSESTree.Node;
  readonly problems: Problem[];
  /** Every place a local holding the raw value is read (for the suggestion's range). */
  readonly uses: TSESTree.Node[];
}

export interface Problem {
  readonly reason: Reason;
  readonly at: TSESTree.Node;
  /** A borrow bracketing the read and this use would remove the hazard. */
  readonly borrowable: boolean;
}

/** A write of a raw value into a local variable of the origin's function. */
export interface Def {
  readonly index: number;
  readonly node: TSESTree.Node;
  readonly variable: Variable;
  readonly origins: Set<Origin>;
  /**
   * A def no await can separate from its reads (see {@link isLocalDef}): its `L` fact would only
   * say what the syntax already does, so the flow does not carry it (one fact per such def made
   * the state of a long function grow with every statement: quadratic).
   */
  local?: boolean;
  /**
   * No read of the def's variable asks for the flow's facts (every read is in a closure that can
   * run later): the flow does not carry it either (only its own facts would read them).
   */
  unasked?: boolean;
}

/**
 * `fine`: used synchronously as a handle; `inert`: only compared, printed or turned into text
 * (not a use of the handle); `handOff`: given to an adopter, raw closer, `postMessage` or a
 * registration (other rules' business).
 */
export type Use =
  | { readonly kind: 'fine' | 'inert' | 'handOff' }
  | { readonly kind: 'holder'; readonly variable: Variable; readonly node: TSESTree.Node }
  | { readonly kind: 'returned' | 'field' | 'outer' }
  | { readonly kind: 'asyncCall'; readonly call: CallLike; readonly awaited: boolean };

/** A use of a collected result (`const fds = xs.map(x => x.fd)`), recorded once the holders are known. */
export interface ResultUse {
  readonly use: Use;
  readonly origins: readonly Origin[];
  readonly at: TSESTree.Node;
  readonly fn: TSESTree.Node;
}

export type Placement = { readonly kind: 'deferred' } | { readonly kind: 'at'; readonly nodes: readonly TSESTree.Node[] };

export interface FunctionState {
  readonly node: TSESTree.Node;
  readonly origins: Origin[];
  readonly defs: Def[];
  readonly defsByNode: Map<TSESTree.Node, Def[]>;
  readonly defsByVariable: Map<Variable, Def[]>;
  readonly killsByNode: Map<TSESTree.Node, Variable[]>;
  flow?: FlowResult<Facts> | null;
}

/** Where the flow of a function is asked about (RawHandleAnalyzer.askedOf). */
export interface AskedPositions {
  /** Per holder variable, the start of the last node whose facts a read of it asks for (-1: none). */
  readonly lastAsked: ReadonlyMap<Variable, number>;
  /** The nodes whose facts may be asked for, or below the calls whose facts may be: the flow walks down to each. */
  readonly anchors: readonly TSESTree.Node[];
}
