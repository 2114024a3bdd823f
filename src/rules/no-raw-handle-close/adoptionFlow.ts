// no-raw-handle-close: the data flow of adoptions. Which variables were handed to an adopter on
// the paths to a program point, with the adopter's result and the boolean flags known there.
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import type { FlowAnalysis } from '../../model/flow.js';
import { PersistentMap } from '../../util/persistentMap.js';
import { isNullish, outerWrapper, skipWrappers } from '../../util/ast.js';
import { contains } from '../../model/util.js';
import type { Analyzer } from './analysis.js';
import type { Adoption, CallLike, Flags, SourceCode, State, Variable } from './records.js';
import { patternVariables, variableOf } from './syntax.js';

/**
 * The data-flow analysis: an adopting call adds an adoption to the variables it adopts; a write
 * of a variable (declaration, assignment, loop head) ends its adoptions; a test showing that the
 * adopter's result is absent (`if (!stream)`, `stream === undefined`), or that a flag has the
 * other value than it had on that path (`if (!ok)` after `ok = true`), drops the adoption on that
 * branch.
 */
export function adoptionFlow(
  sourceCode: SourceCode,
  adoptions: ReadonlyMap<CallLike, readonly Variable[]>,
  analyzer: Analyzer,
): FlowAnalysis<State> {
  const writes = new AdoptionWrites(sourceCode, adoptions);
  const adopt = (state: State, call: CallLike, variables: readonly Variable[]): State => {
    const adoption: Adoption = {
      call,
      holder: writes.holderOf(call),
      flags: state.flags,
      armed: analyzer.siteOf(call).tryStatement === undefined,
    };
    let adopted = state.adopted;
    for (const variable of variables) adopted = adopted.set(variable, addAdoption(adopted.get(variable) ?? [], adoption));
    return { flags: state.flags, adopted };
  };
  return {
    initial: { flags: new Map(), adopted: PersistentMap.empty() },
    join: joinStates,
    equals: sameStates,
    transfer: (node, state) => {
      let next = state.adopted.size === 0 ? state : arm(state, node, analyzer);
      const written = writtenVariables(sourceCode, node);
      if (written) next = writes.reassigned(next, written.variables, written.value);
      if (node.type === AST_NODE_TYPES.CallExpression || node.type === AST_NODE_TYPES.NewExpression) {
        const adopted = adoptions.get(node);
        if (adopted) next = adopt(next, node, adopted);
      }
      return next;
    },
    refine: (test, outcome, state) => {
      if (state.adopted.size === 0) return state;
      const check = holderTest(sourceCode, test);
      if (!check) return state;
      const absent = outcome !== (check.presentWhen ?? true);
      const flagTest = check.presentWhen === undefined;
      return dropAdoptions(
        state,
        adoption => (absent && adoption.holder === check.variable) || (flagTest && adoption.flags.get(check.variable) === !outcome),
      );
    },
  };
}

/** Arms the adoptions that control has moved on from (see {@link AdoptionSite}); a `catch` of their `try` drops the others. */
function arm(state: State, node: TSESTree.Node, analyzer: Analyzer): State {
  // The variables with an adoption not yet armed, found without a scan of every variable.
  if (!state.adopted.some(hasUnarmed)) return state;
  const change = (adoption: Adoption): Adoption | undefined => {
    if (adoption.armed) return adoption;
    const { statement, tryStatement } = analyzer.siteOf(adoption.call);
    if (!tryStatement) return adoption;
    if (tryStatement.handler && contains(tryStatement.handler, node)) return undefined;
    const movedOn = contains(tryStatement.block, node) && (!contains(statement, node) || node.range[0] >= adoption.call.range[1]);
    return movedOn ? { ...adoption, armed: true } : adoption;
  };
  return mapAdoptions(state, change, [...state.adopted.entriesWhere(hasUnarmed)]);
}

function hasUnarmed(list: readonly Adoption[]): boolean {
  return list.some(adoption => !adoption.armed);
}

/**
 * What writes of variables do to the adoptions (see {@link AdoptionWrites.reassigned}), with what
 * tells, without a look at every adopted variable, which adoptions a write can touch: the
 * variables that hold an adopting call's result, and those ever given a boolean literal (flags).
 */
class AdoptionWrites {
  private readonly holders = new Map<CallLike, Variable | undefined>();
  /** Per holder variable, the adopting calls whose result it holds. */
  private readonly heldBy = new Map<Variable, CallLike[]>();
  /** The variables some write has given a boolean literal so far: no flags map holds any other. */
  private readonly flagged = new Set<Variable>();

  constructor(
    private readonly sourceCode: SourceCode,
    private readonly adoptions: ReadonlyMap<CallLike, readonly Variable[]>,
  ) {
    for (const call of adoptions.keys()) {
      const holder = this.holderOf(call);
      if (holder) this.heldBy.set(holder, [...(this.heldBy.get(holder) ?? []), call]);
    }
  }

  holderOf(call: CallLike): Variable | undefined {
    if (!this.holders.has(call)) this.holders.set(call, holderOf(this.sourceCode, call));
    return this.holders.get(call);
  }

  /**
   * A written variable loses its adoptions; a holder that gets another value no longer tells
   * whether the adoption happened; a flag takes the boolean literal written to it (or is forgotten).
   */
  reassigned(state: State, variables: readonly Variable[], value: TSESTree.Node | null): State {
    if (variables.length === 0) return state;
    const literal = value?.type === AST_NODE_TYPES.Literal && typeof value.value === 'boolean' ? value.value : undefined;
    if (literal !== undefined || variables.some(variable => this.flagged.has(variable))) {
      for (const variable of variables) if (literal !== undefined) this.flagged.add(variable);
      return reassignedWithFlags(state, variables, value, literal);
    }
    // No flag changes: only the written variables' own adoptions and those they hold change.
    let adopted = state.adopted.deleteAll(variables);
    for (const holder of variables) {
      for (const call of this.heldBy.get(holder) ?? []) {
        if (value && contains(value, call)) continue;
        for (const variable of this.adoptions.get(call) ?? []) {
          const list = adopted.get(variable);
          if (!list?.some(adoption => adoption.call === call && adoption.holder === holder)) continue;
          let kept: readonly Adoption[] = [];
          for (const adoption of list) {
            kept = addAdoption(kept, adoption.call === call && adoption.holder === holder ? { ...adoption, holder: undefined } : adoption);
          }
          adopted = adopted.set(variable, kept);
        }
      }
    }
    return adopted === state.adopted ? state : { flags: state.flags, adopted };
  }
}

/** {@link AdoptionWrites.reassigned} when flags change: every adoption's flags are rewritten. */
function reassignedWithFlags(
  state: State,
  variables: readonly Variable[],
  value: TSESTree.Node | null,
  literal: boolean | undefined,
): State {
  const setFlags = (flags: Flags): Flags => {
    if (literal === undefined && !variables.some(variable => flags.has(variable))) return flags;
    const next = new Map(flags);
    for (const variable of variables) {
      if (literal === undefined) next.delete(variable);
      else next.set(variable, literal);
    }
    return next;
  };
  const entries: [Variable, readonly Adoption[]][] = [];
  for (const [variable, list] of state.adopted) {
    if (variables.includes(variable)) continue;
    let kept: readonly Adoption[] = [];
    for (const adoption of list) {
      const lost = adoption.holder !== undefined && variables.includes(adoption.holder) && !(value && contains(value, adoption.call));
      kept = addAdoption(kept, { ...adoption, holder: lost ? undefined : adoption.holder, flags: setFlags(adoption.flags) });
    }
    entries.push([variable, kept]);
  }
  const next = { flags: setFlags(state.flags), adopted: PersistentMap.of(entries) };
  return sameStates(state, next) ? state : next;
}

/** The variables a node writes (and the value it writes, if any): declarators, assignments, `++`, loop heads. */
function writtenVariables(
  sourceCode: SourceCode,
  node: TSESTree.Node,
): { readonly variables: readonly Variable[]; readonly value: TSESTree.Node | null } | undefined {
  switch (node.type) {
    case AST_NODE_TYPES.VariableDeclarator:
      return { variables: sourceCode.getDeclaredVariables(node), value: node.init };
    case AST_NODE_TYPES.AssignmentExpression:
      return { variables: patternVariables(sourceCode, node.left), value: node.operator === '=' ? node.right : null };
    case AST_NODE_TYPES.UpdateExpression:
      return { variables: patternVariables(sourceCode, node.argument), value: null };
    default: {
      const parent = node.parent;
      const loopHead =
        (parent?.type === AST_NODE_TYPES.ForInStatement || parent?.type === AST_NODE_TYPES.ForOfStatement) &&
        parent.left === node &&
        node.type !== AST_NODE_TYPES.VariableDeclaration;
      return loopHead ? { variables: patternVariables(sourceCode, node), value: null } : undefined;
    }
  }
}

/** The state with `change` applied to the adoptions of `entries` (all of them by default); an adoption it returns undefined for is dropped. */
function mapAdoptions(
  state: State,
  change: (adoption: Adoption) => Adoption | undefined,
  entries: Iterable<readonly [Variable, readonly Adoption[]]> = state.adopted,
): State {
  let adopted = state.adopted;
  for (const [variable, list] of entries) {
    let changed = false;
    let kept: readonly Adoption[] = [];
    for (const adoption of list) {
      const result = change(adoption);
      if (result !== adoption) changed = true;
      if (result) kept = addAdoption(kept, result);
    }
    if (changed) adopted = kept.length > 0 ? adopted.set(variable, kept) : adopted.delete(variable);
  }
  return adopted === state.adopted ? state : { flags: state.flags, adopted };
}

function dropAdoptions(state: State, drop: (adoption: Adoption) => boolean): State {
  return mapAdoptions(state, adoption => (drop(adoption) ? undefined : adoption));
}

function addAdoption(list: readonly Adoption[], adoption: Adoption): readonly Adoption[] {
  return list.some(other => sameAdoption(other, adoption)) ? list : [...list, adoption];
}

export function sameAdoption(a: Adoption, b: Adoption): boolean {
  return a === b || (a.call === b.call && a.holder === b.holder && a.armed === b.armed && sameFlags(a.flags, b.flags));
}

function sameFlags(a: Flags, b: Flags): boolean {
  return a === b || (a.size === b.size && [...a].every(([variable, value]) => b.get(variable) === value));
}

function joinStates(a: State, b: State): State {
  if (a === b) return a;
  const flags = new Map<Variable, boolean>();
  for (const [variable, value] of a.flags) if (b.flags.get(variable) === value) flags.set(variable, value);
  const adopted = a.adopted.merge(b.adopted, (mine, theirs) => {
    let merged = mine;
    for (const adoption of theirs) merged = addAdoption(merged, adoption);
    return merged;
  });
  return { flags: sameFlags(flags, a.flags) ? a.flags : flags, adopted };
}

function sameStates(a: State, b: State): boolean {
  if (a === b) return true;
  return sameFlags(a.flags, b.flags) && a.adopted.equals(b.adopted, sameLists);
}

function sameLists(list: readonly Adoption[], other: readonly Adoption[]): boolean {
  return (
    list === other || (other.length === list.length && list.every(adoption => other.some(candidate => sameAdoption(candidate, adoption))))
  );
}

/**
 * `const s = adopt(fd)`, `s = await adopt(fd)`, `const s = ok ? adopt(fd) : undefined`: the
 * variable that holds the adopter's result (an object: when the variable is falsy, the adoption
 * did not happen on that path).
 */
function holderOf(sourceCode: SourceCode, call: CallLike): Variable | undefined {
  let node = outerWrapper(call);
  for (let parent = node.parent; parent; parent = node.parent) {
    const passes =
      parent.type === AST_NODE_TYPES.AwaitExpression ||
      (parent.type === AST_NODE_TYPES.ConditionalExpression && parent.test !== node) ||
      (parent.type === AST_NODE_TYPES.LogicalExpression && parent.right === node);
    if (!passes) break;
    node = outerWrapper(parent);
  }
  const parent = node.parent;
  if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.init === node && parent.id.type === AST_NODE_TYPES.Identifier) {
    return sourceCode.getDeclaredVariables(parent)[0];
  }
  if (parent?.type === AST_NODE_TYPES.AssignmentExpression && parent.operator === '=' && parent.right === node) {
    return parent.left.type === AST_NODE_TYPES.Identifier ? variableOf(sourceCode, parent.left) : undefined;
  }
  return undefined;
}

/**
 * `s`, `s == null`, `s !== undefined`: which variable the test is about, and on which outcome it
 * is present (a holder), or undefined when the test is the variable itself (a holder or a flag).
 */
function holderTest(sourceCode: SourceCode, test: TSESTree.Expression): { variable: Variable; presentWhen?: boolean } | undefined {
  const expression = skipWrappers(test);
  if (expression.type === AST_NODE_TYPES.Identifier) {
    const variable = variableOf(sourceCode, expression);
    return variable ? { variable } : undefined;
  }
  if (expression.type !== AST_NODE_TYPES.BinaryExpression || !['===', '!==', '==', '!='].includes(expression.operator)) return undefined;
  const other = isNullish(expression.right) ? expression.left : isNullish(expression.left) ? expression.right : undefined;
  const operand = other && skipWrappers(other);
  if (operand?.type !== AST_NODE_TYPES.Identifier) return undefined;
  const variable = variableOf(sourceCode, operand);
  return variable ? { variable, presentWhen: expression.operator.startsWith('!') } : undefined;
}
