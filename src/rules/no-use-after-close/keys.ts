// Which owner an expression names: the keys of the owners the rule follows in one function (a
// local variable nothing else reassigns, or a `this` field), through `const` copies.

import { AST_NODE_TYPES, TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { thisFieldName } from '../../model/index.js';
import { skipWrappers, some, type FunctionNode } from '../../util/ast.js';
import { type References, referencesOf, writtenTargets } from '../../model/references.js';

type Variable = TSESLint.Scope.Variable;
/** An owner the rule follows: a local variable, or a `this` field (`this.fh`, `this.#fh`). */
export type Key = Variable | `this.${string}`;

/**
 * Keys of the owners the rule follows in one function: a local variable (or a parameter, or an
 * outer variable) that nothing but this function reassigns, and a `this` field. A variable that
 * a nested function (or another function) reassigns may get a new value at any call, so the
 * rule does not follow it.
 */
export class OwnerKeys {
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
      if (typeof key === 'string')
        return candidate.type === AST_NODE_TYPES.MemberExpression && `this.${thisFieldName(candidate) ?? ''}` === key;
      if (candidate.type !== AST_NODE_TYPES.Identifier) return false;
      const variable = this.refs.variableOf(candidate);
      return (
        variable !== undefined &&
        variable.references.some(reference => reference.identifier === candidate) &&
        this.original(variable) === key
      );
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
