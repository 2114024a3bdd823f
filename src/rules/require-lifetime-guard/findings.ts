import type { TSESTree } from '@typescript-eslint/utils';
import type { FunctionNode } from '../../util/ast.js';

/**
 * What the flow analysis of require-lifetime-guard carries (the fields unguarded since which
 * awaits) and what it hands to the report: a finding.
 */

/** Marks facts that hold at the entry of a nested function: they stand for the enclosing function's state. */
export class Entry {
  constructor(readonly fn: FunctionNode) {}
}
/** What made a field unguarded: an `await`/`yield`, a `for await` loop, a deferred callback's start, or a nested function's entry. */
export type Origin = TSESTree.Node | Entry;

/** Origins as a finding holds them: a `Set`, or the flow state's persistent set (guardState.ts `Origins`). */
export interface OriginSet extends Iterable<Origin> {
  readonly size: number;
}

export interface Finding {
  readonly node: TSESTree.Node;
  readonly field: string;
  readonly origins: OriginSet;
  /** The function whose own awaits (or start) the origins are. */
  readonly fn: FunctionNode;
  /** docs/rules/require-lifetime-guard.md (newly acquired owners): a newly acquired owner stored after an unrelated await (else a use, (a) or (c)). */
  readonly acquired?: true;
}
