// The records of no-raw-handle-close: what the AST pass collects (each function's adopted
// variables, each raw close), the adoption states the flow carries, and the findings.
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import type { RawHandleSource } from '../../model/index.js';
import type { FunctionNode } from '../../util/ast.js';
import type { PersistentMap } from '../../util/persistentMap.js';

export type SourceCode = Readonly<TSESLint.SourceCode>;
export type Variable = TSESLint.Scope.Variable;
export type CallLike = TSESTree.CallExpression | TSESTree.NewExpression;

export interface FunctionInfo {
  readonly node: FunctionNode | TSESTree.Program;
  readonly parent: FunctionInfo | undefined;
  /** Variables handed to an adopter in this function (not counting nested functions). */
  readonly adopted: Set<Variable>;
}

/** A call of a raw closer (`fs.closeSync(x)`, a `rawClose` or `@closesHandle` function). */
export interface RawClose {
  readonly call: TSESTree.CallExpression;
  readonly argument: TSESTree.Expression;
  readonly fn: FunctionInfo;
}

/**
 * One way a variable was handed to an adopter on the paths to a program point: the adopting
 * call, the variable holding the adopter's result, the boolean flags known on that path (`ok =
 * true` after the adoption, so that `if (!ok) fs.closeSync(fd)` in a `finally` is not on it), and
 * whether control has moved on from the adopting statement (see {@link AdoptionSite}).
 */
export interface Adoption {
  readonly call: CallLike;
  readonly holder: Variable | undefined;
  readonly flags: Flags;
  readonly armed: boolean;
}

export type Flags = ReadonlyMap<Variable, boolean>;

/** The boolean flags known at a program point, and the adoptions each variable has been through. */
export interface State {
  readonly flags: Flags;
  /** A persistent map: states of consecutive nodes share all but what changed between them. */
  readonly adopted: PersistentMap<Variable, readonly Adoption[]>;
}

/**
 * Where an adopting call sits. The flow engine sends the state after every call and statement
 * in a `try` to its `catch`/`finally`, the adopting call and its own statement included; but
 * when that throws, the adopter failed and owns nothing. So an adoption inside a `try` block
 * starts unarmed and is armed by the first node evaluated after it in that block outside its
 * statement (or later in the statement). A `catch` of that `try` takes in only armed adoptions;
 * its `finally` also those that leave the block by a `return`, `break` or `continue` right after.
 */
export interface AdoptionSite {
  readonly statement: TSESTree.Node;
  readonly tryStatement: TSESTree.TryStatement | undefined;
}

export type Finding =
  | { readonly kind: 'owned'; readonly close: RawClose; readonly source: RawHandleSource }
  | { readonly kind: 'adopted'; readonly close: RawClose; readonly variable: Variable; readonly adoptions: readonly Adoption[] };
