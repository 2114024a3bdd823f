// no-close-with-pending-ops: the records the analysis passes around. An operation that may be
// pending (OpRecord, with the controllers that can cancel it), what a member call does to pending
// operations (CallKind), what a called method of the class settles or cancels (MethodSummary),
// and a close that found some pending (Finding).
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import type { Owner } from '../../model/index.js';
import type { FunctionInfo } from './collector.js';

/** A pending operation started at one call site. */
export interface OpRecord {
  readonly call: TSESTree.CallExpression;
  readonly owner: Owner;
  /** Which owner it runs on (see References). */
  readonly ownerKey: string;
  /** Where its promise is kept (`p`, `this.pending`, an array it was pushed to). */
  readonly holder: string | undefined;
  readonly holderText: string | undefined;
  /** Controllers whose signal the operation was given: aborting one cancels it. */
  readonly controllers: readonly Controller[];
  /** Started in another method of the class and stored on `this` (docs/rules/no-close-with-pending-ops.md, class clause). */
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
export type Join = 'none' | 'all' | 'swallowed';

export interface Controller {
  /** Keys naming the controller (`ac`, `this.ac`). */
  readonly keys: readonly string[];
  /** Expressions that name it, for the suggestion: a local variable, or a `this` path. */
  readonly spellings: readonly { readonly text: string; readonly variable?: TSESLint.Scope.Variable }[];
}

export type CallKind =
  | { readonly kind: 'op'; readonly owner: Owner; readonly key: string; readonly callback: boolean; readonly acceptsSignal: boolean }
  | { readonly kind: 'close'; readonly owner: Owner; readonly key: string; readonly member: TSESTree.MemberExpression }
  | { readonly kind: 'cancel'; readonly key: string }
  | { readonly kind: 'other' };

export interface Finding {
  readonly call: TSESTree.CallExpression;
  readonly owner: Owner;
  readonly member: TSESTree.MemberExpression;
  readonly fn: FunctionInfo;
  readonly records: Set<OpRecord>;
}

export interface MethodSummary {
  readonly settles: ReadonlySet<string>;
  readonly cancels: ReadonlySet<string>;
  readonly aborts: ReadonlySet<string>;
}
