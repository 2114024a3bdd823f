import { AST_NODE_TYPES, ASTUtils, TSESLint, type TSESTree } from '@typescript-eslint/utils';
import tsutils from '../util/ts-api-utils.cjs';
import ts from '../util/typescript.cjs';
import { analyzeFunction, type FlowAnalysis, type FlowResult } from '../model/flow.js';
import {
  adoptedArguments,
  getNativeHandleServices,
  rawHandleSource,
  symbolMemberName,
  type NativeHandleServices,
  type Owner,
  type RawHandleSource,
} from '../model/index.js';
import {
  isClass,
  isFunction,
  isInlineFunction,
  isNullish,
  outerWrapper,
  skipWrappers,
  statementList,
  statementRemovalRange,
  walk,
  type FunctionNode,
} from '../util/ast.js';
import { createRule } from './createRule.js';

export type MessageIds = 'ownedHandle' | 'adoptedHandle' | 'closeOwner' | 'removeRawClose';

export default createRule<[], MessageIds>({
  name: 'no-raw-handle-close',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow closing a raw handle that an owner still owns',
      recommended: true,
      requiresTypeChecking: true,
    },
    hasSuggestions: true,
    schema: [],
    defaultOptions: [],
    messages: {
      ownedHandle:
        '`{{closer}}` closes `{{handle}}`, the raw handle of the {{owner}} `{{ownerText}}`, which still owns it. The {{owner}} closes the same number again when it is closed (or garbage-collected); by then the number may belong to an unrelated file or socket, which is then closed out from under its owner. Close the {{owner}} itself instead.',
      adoptedHandle:
        '`{{closer}}` closes `{{handle}}`, which was handed to `{{adopter}}` on line {{line}} and is owned by it now. The adopter closes the same number again when it is closed or destroyed; by then the number may belong to an unrelated file or socket, which is then closed out from under its owner. {{remedy}}',
      closeOwner: 'Close the owner instead: `{{replacement}}`.',
      removeRawClose: 'Remove this raw close: `{{close}}` in the same block already closes the owner.',
    },
  },
  create(context) {
    const services = getNativeHandleServices(context);
    const collector = new Collector(context.sourceCode, services);
    return {
      Program: node => {
        collector.enter(node);
      },
      ':function': (node: FunctionNode) => {
        collector.enter(node);
      },
      ':function:exit': () => {
        collector.exit();
      },
      CallExpression: node => {
        collector.rawClose(node);
        collector.adoption(node);
      },
      NewExpression: node => {
        collector.adoption(node);
      },
      'Program:exit': () => {
        for (const finding of new Analyzer(context.sourceCode, services, collector).run()) report(context, services, finding);
      },
    };
  },
});

// -----------------------------------------------------------------------------------------
// What the single AST pass collects

type Context = Readonly<TSESLint.RuleContext<MessageIds, []>>;
type SourceCode = Readonly<TSESLint.SourceCode>;
type Variable = TSESLint.Scope.Variable;
type CallLike = TSESTree.CallExpression | TSESTree.NewExpression;

interface FunctionInfo {
  readonly node: FunctionNode | TSESTree.Program;
  readonly parent: FunctionInfo | undefined;
  /** Variables handed to an adopter in this function (not counting nested functions). */
  readonly adopted: Set<Variable>;
}

/** A call of a raw closer (`fs.closeSync(x)`, a `rawClose` or `@closesHandle` function). */
interface RawClose {
  readonly call: TSESTree.CallExpression;
  readonly argument: TSESTree.Expression;
  readonly fn: FunctionInfo;
}

class Collector {
  readonly closes: RawClose[] = [];
  /** Adopting calls, with the variables they adopt. */
  readonly adoptions = new Map<CallLike, readonly Variable[]>();
  private readonly stack: FunctionInfo[] = [];

  constructor(
    private readonly sourceCode: SourceCode,
    private readonly services: NativeHandleServices,
  ) {}

  enter(node: FunctionNode | TSESTree.Program): void {
    this.stack.push({ node, parent: this.stack[this.stack.length - 1], adopted: new Set() });
  }

  exit(): void {
    this.stack.pop();
  }

  rawClose(call: TSESTree.CallExpression): void {
    const fn = this.stack[this.stack.length - 1];
    const first = call.arguments[0];
    if (!fn || !first || first.type === AST_NODE_TYPES.SpreadElement) return;
    const argument = skipWrappers(first);
    const candidate =
      argument.type === AST_NODE_TYPES.Identifier ||
      argument.type === AST_NODE_TYPES.MemberExpression ||
      argument.type === AST_NODE_TYPES.CallExpression;
    if (!candidate || !this.services.isRawCloser(call.callee)) return;
    this.closes.push({ call, argument: first, fn });
  }

  adoption(call: CallLike): void {
    const fn = this.stack[this.stack.length - 1];
    if (!fn || !call.arguments.some(mentionsIdentifier)) return;
    const variables: Variable[] = [];
    for (const node of adoptedArguments(this.services, call, this.sourceCode)) {
      const value = skipWrappers(node);
      const variable = value.type === AST_NODE_TYPES.Identifier ? variableOf(this.sourceCode, value) : undefined;
      if (variable && variable.defs.length > 0 && !variables.includes(variable)) variables.push(variable);
    }
    if (variables.length === 0) return;
    this.adoptions.set(call, variables);
    for (const variable of variables) fn.adopted.add(variable);
  }
}

/** `x`, or an object literal with a property `{ fd }` / `{ fd: x }`: what an adopted variable looks like. */
function mentionsIdentifier(argument: TSESTree.CallExpressionArgument): boolean {
  const node = skipWrappers(argument);
  if (node.type === AST_NODE_TYPES.Identifier) return true;
  return (
    node.type === AST_NODE_TYPES.ObjectExpression &&
    node.properties.some(property => property.type === AST_NODE_TYPES.Property && skipWrappers(property.value).type === AST_NODE_TYPES.Identifier)
  );
}

// -----------------------------------------------------------------------------------------
// Analysis, at Program:exit

/**
 * One way a variable was handed to an adopter on the paths to a program point: the adopting
 * call, the variable holding the adopter's result, the boolean flags known on that path (`ok =
 * true` after the adoption, so that `if (!ok) fs.closeSync(fd)` in a `finally` is not on it), and
 * whether control has moved on from the adopting statement (see {@link AdoptionSite}).
 */
interface Adoption {
  readonly call: CallLike;
  readonly holder: Variable | undefined;
  readonly flags: Flags;
  readonly armed: boolean;
}

type Flags = ReadonlyMap<Variable, boolean>;

/** The boolean flags known at a program point, and the adoptions each variable has been through. */
interface State {
  readonly flags: Flags;
  readonly adopted: ReadonlyMap<Variable, readonly Adoption[]>;
}

/**
 * Where an adopting call sits. The flow engine sends the state after every call and statement
 * in a `try` to its `catch`/`finally`, the adopting call and its own statement included; but
 * when that throws, the adopter failed and owns nothing. So an adoption inside a `try` block
 * starts unarmed and is armed by the first node evaluated after it in that block outside its
 * statement (or later in the statement). A `catch` of that `try` takes in only armed adoptions;
 * its `finally` also those that leave the block by a `return`, `break` or `continue` right after.
 */
interface AdoptionSite {
  readonly statement: TSESTree.Node;
  readonly tryStatement: TSESTree.TryStatement | undefined;
}

type Finding =
  | { readonly kind: 'owned'; readonly close: RawClose; readonly source: RawHandleSource }
  | { readonly kind: 'adopted'; readonly close: RawClose; readonly variable: Variable; readonly adoptions: readonly Adoption[] };

class Analyzer {
  private readonly flows = new Map<FunctionInfo, FlowResult<State>>();
  private readonly sites = new Map<CallLike, AdoptionSite>();

  constructor(
    private readonly sourceCode: SourceCode,
    private readonly services: NativeHandleServices,
    private readonly collector: Collector,
  ) {}

  run(): Finding[] {
    const findings: Finding[] = [];
    for (const close of this.collector.closes) {
      const source = rawHandleSource(this.services, this.sourceCode, close.argument);
      if (source) {
        // An owner closing its own raw handle (`closeHandle(this.handle)` in its close method) is how it closes.
        if (skipWrappers(source.ownerNode).type !== AST_NODE_TYPES.ThisExpression) findings.push({ kind: 'owned', close, source });
        continue;
      }
      const argument = skipWrappers(close.argument);
      const variable = argument.type === AST_NODE_TYPES.Identifier ? variableOf(this.sourceCode, argument) : undefined;
      const adoptions = variable ? this.adoptionsAt(close, variable) : [];
      if (variable && adoptions.length > 0) findings.push({ kind: 'adopted', close, variable, adoptions });
    }
    return findings;
  }

  siteOf(call: CallLike): AdoptionSite {
    let site = this.sites.get(call);
    if (!site) {
      site = adoptionSite(call);
      this.sites.set(call, site);
    }
    return site;
  }

  /**
   * The adoptions `variable` has been through on some path to the close: in the close's own
   * function, or, for a close inside a callback of a variable it captures, in the function that
   * creates the callback, before it creates it (the callback cannot run earlier).
   */
  private adoptionsAt(close: RawClose, variable: Variable): readonly Adoption[] {
    let fn = close.fn;
    let anchor: TSESTree.Node = close.call;
    for (;;) {
      if (fn.adopted.has(variable)) {
        if (anchor !== close.call && !isStable(variable)) return [];
        const flow = this.flowOf(fn);
        const adoptions = flow.before(anchor)?.adopted.get(variable) ?? [];
        return adoptions.filter(adoption => adoption.armed || this.unarmedReaches(adoption, variable, close.call, flow));
      }
      if (!fn.parent || !isInlineFunction(fn.node) || declaredInside(variable, fn.node)) return [];
      anchor = fn.node;
      fn = fn.parent;
    }
  }

  /**
   * An adoption not yet armed at a close inside the `catch` of its `try` got there through the
   * adopting statement's own throw: the adopter failed. In the `finally`, it got there that way,
   * or through a `return`, `break` or `continue` right after it: only the latter is an adoption.
   */
  private unarmedReaches(adoption: Adoption, variable: Variable, close: TSESTree.Node, flow: FlowResult<State>): boolean {
    const { tryStatement } = this.siteOf(adoption.call);
    if (tryStatement?.handler && contains(tryStatement.handler, close)) return false;
    const finalizer = tryStatement?.finalizer;
    if (!tryStatement || !finalizer || !contains(finalizer, close)) return true;
    const exits: TSESTree.Node[] = [];
    walk(
      tryStatement.block,
      this.sourceCode.visitorKeys,
      node => {
        if (node.type === AST_NODE_TYPES.ReturnStatement && node.argument) exits.push(node.argument);
        else if (node.type === AST_NODE_TYPES.ReturnStatement || node.type === AST_NODE_TYPES.BreakStatement || node.type === AST_NODE_TYPES.ContinueStatement) {
          exits.push(node);
        }
      },
      { skipTypes: true, skip: isNestedScope },
    );
    return exits.some(exit => {
      const state = exit.parent?.type === AST_NODE_TYPES.ReturnStatement ? flow.after(exit) : flow.before(exit);
      return state?.adopted.get(variable)?.some(other => sameAdoption(other, adoption)) ?? false;
    });
  }

  private flowOf(fn: FunctionInfo): FlowResult<State> {
    let flow = this.flows.get(fn);
    if (!flow) {
      flow = analyzeFunction(asFunction(fn.node), adoptionFlow(this.sourceCode, this.collector.adoptions, this), this.sourceCode.visitorKeys);
      this.flows.set(fn, flow);
    }
    return flow;
  }
}

/**
 * The data-flow analysis: an adopting call adds an adoption to the variables it adopts; a write
 * of a variable (declaration, assignment, loop head) ends its adoptions; a test showing that the
 * adopter's result is absent (`if (!stream)`, `stream === undefined`), or that a flag has the
 * other value than it had on that path (`if (!ok)` after `ok = true`), drops the adoption on that
 * branch.
 */
function adoptionFlow(
  sourceCode: SourceCode,
  adoptions: ReadonlyMap<CallLike, readonly Variable[]>,
  analyzer: Analyzer,
): FlowAnalysis<State> {
  const adopt = (state: State, call: CallLike, variables: readonly Variable[]): State => {
    const adoption: Adoption = {
      call,
      holder: holderOf(sourceCode, call),
      flags: state.flags,
      armed: analyzer.siteOf(call).tryStatement === undefined,
    };
    const adopted = new Map(state.adopted);
    for (const variable of variables) adopted.set(variable, addAdoption(adopted.get(variable) ?? [], adoption));
    return { flags: state.flags, adopted };
  };
  return {
    initial: { flags: new Map(), adopted: new Map() },
    join: joinStates,
    equals: sameStates,
    transfer: (node, state) => {
      let next = state.adopted.size === 0 ? state : arm(state, node, analyzer);
      const written = writtenVariables(sourceCode, node);
      if (written) next = reassigned(next, written.variables, written.value);
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
  if (![...state.adopted.values()].some(list => list.some(adoption => !adoption.armed))) return state;
  const change = (adoption: Adoption): Adoption | undefined => {
    if (adoption.armed) return adoption;
    const { statement, tryStatement } = analyzer.siteOf(adoption.call);
    if (!tryStatement) return adoption;
    if (tryStatement.handler && contains(tryStatement.handler, node)) return undefined;
    const movedOn = contains(tryStatement.block, node) && (!contains(statement, node) || node.range[0] >= adoption.call.range[1]);
    return movedOn ? { ...adoption, armed: true } : adoption;
  };
  return mapAdoptions(state, change);
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

/**
 * A written variable loses its adoptions; a holder that gets another value no longer tells
 * whether the adoption happened; a flag takes the boolean literal written to it (or is forgotten).
 */
function reassigned(state: State, variables: readonly Variable[], value: TSESTree.Node | null): State {
  if (variables.length === 0) return state;
  const literal = value?.type === AST_NODE_TYPES.Literal && typeof value.value === 'boolean' ? value.value : undefined;
  const setFlags = (flags: Flags): Flags => {
    if (literal === undefined && !variables.some(variable => flags.has(variable))) return flags;
    const next = new Map(flags);
    for (const variable of variables) {
      if (literal === undefined) next.delete(variable);
      else next.set(variable, literal);
    }
    return next;
  };
  const adopted = new Map<Variable, readonly Adoption[]>();
  for (const [variable, list] of state.adopted) {
    if (variables.includes(variable)) continue;
    let kept: readonly Adoption[] = [];
    for (const adoption of list) {
      const lost = adoption.holder !== undefined && variables.includes(adoption.holder) && !(value && contains(value, adoption.call));
      kept = addAdoption(kept, { ...adoption, holder: lost ? undefined : adoption.holder, flags: setFlags(adoption.flags) });
    }
    adopted.set(variable, kept);
  }
  const next = { flags: setFlags(state.flags), adopted };
  return sameStates(state, next) ? state : next;
}

function mapAdoptions(state: State, change: (adoption: Adoption) => Adoption | undefined): State {
  let changed = false;
  const adopted = new Map<Variable, readonly Adoption[]>();
  for (const [variable, list] of state.adopted) {
    let kept: readonly Adoption[] = [];
    for (const adoption of list) {
      const result = change(adoption);
      if (result !== adoption) changed = true;
      if (result) kept = addAdoption(kept, result);
    }
    if (kept.length > 0) adopted.set(variable, kept);
  }
  return changed ? { flags: state.flags, adopted } : state;
}

function dropAdoptions(state: State, drop: (adoption: Adoption) => boolean): State {
  return mapAdoptions(state, adoption => (drop(adoption) ? undefined : adoption));
}

function addAdoption(list: readonly Adoption[], adoption: Adoption): readonly Adoption[] {
  return list.some(other => sameAdoption(other, adoption)) ? list : [...list, adoption];
}

function sameAdoption(a: Adoption, b: Adoption): boolean {
  return a === b || (a.call === b.call && a.holder === b.holder && a.armed === b.armed && sameFlags(a.flags, b.flags));
}

function sameFlags(a: Flags, b: Flags): boolean {
  return a === b || (a.size === b.size && [...a].every(([variable, value]) => b.get(variable) === value));
}

function joinStates(a: State, b: State): State {
  if (a === b) return a;
  const flags = new Map<Variable, boolean>();
  for (const [variable, value] of a.flags) if (b.flags.get(variable) === value) flags.set(variable, value);
  const adopted = new Map(a.adopted);
  for (const [variable, list] of b.adopted) {
    let merged = adopted.get(variable) ?? [];
    for (const adoption of list) merged = addAdoption(merged, adoption);
    adopted.set(variable, merged);
  }
  return { flags: sameFlags(flags, a.flags) ? a.flags : flags, adopted };
}

function sameStates(a: State, b: State): boolean {
  if (a === b) return true;
  if (!sameFlags(a.flags, b.flags) || a.adopted.size !== b.adopted.size) return false;
  for (const [variable, list] of a.adopted) {
    const other = b.adopted.get(variable);
    if (other?.length !== list.length || !list.every(adoption => other.some(candidate => sameAdoption(candidate, adoption)))) return false;
  }
  return true;
}

/** The statement of an adopting call, and the innermost `try` (in its function) whose block holds it. */
function adoptionSite(call: CallLike): AdoptionSite {
  let statement: TSESTree.Node | undefined;
  let child: TSESTree.Node = call;
  for (let parent: TSESTree.Node | undefined = call.parent; parent; child = parent, parent = parent.parent) {
    if (!statement && (child.type.endsWith('Statement') || child.type === AST_NODE_TYPES.VariableDeclaration)) statement = child;
    if (isNestedScope(parent)) break;
    if (parent.type === AST_NODE_TYPES.TryStatement && parent.block === child) return { statement: statement ?? call, tryStatement: parent };
  }
  return { statement: statement ?? call, tryStatement: undefined };
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

/** The flow engine analyses functions; top-level code is analysed as the body of one. */
function asFunction(node: FunctionNode | TSESTree.Program): FunctionNode {
  if (node.type !== AST_NODE_TYPES.Program) return node;
  const body = { type: AST_NODE_TYPES.BlockStatement, body: node.body, range: node.range, loc: node.loc, parent: node };
  return { type: AST_NODE_TYPES.ArrowFunctionExpression, params: [], body, range: node.range, loc: node.loc } as unknown as FunctionNode;
}

// -----------------------------------------------------------------------------------------
// Reporting

function report(context: Context, services: NativeHandleServices, finding: Finding): void {
  const { sourceCode } = context;
  const { call } = finding.close;
  const closer = sourceCode.getText(call.callee);
  if (finding.kind === 'owned') {
    const { source } = finding;
    const fix = ownerSuggestion(sourceCode, services, call, source.ownerNode, source.owner);
    context.report({
      node: call,
      messageId: 'ownedHandle',
      data: {
        closer,
        handle: sourceCode.getText(finding.close.argument),
        owner: source.owner.name,
        ownerText: sourceCode.getText(source.ownerNode),
      },
      ...(fix ? { suggest: [fix] } : {}),
    });
    return;
  }
  const adoptions = [...finding.adoptions].sort((a, b) => a.call.range[0] - b.call.range[0]);
  const first = adoptions[0]!;
  const fix = adopterSuggestion(sourceCode, services, call, adoptions);
  context.report({
    node: call,
    messageId: 'adoptedHandle',
    data: {
      closer,
      handle: finding.variable.name,
      adopter: `${first.call.type === AST_NODE_TYPES.NewExpression ? 'new ' : ''}${sourceCode.getText(first.call.callee)}()`,
      line: first.call.loc.start.line,
      remedy: adopterRemedy(services, first.call),
    },
    ...(fix ? { suggest: [fix] } : {}),
  });
}

function adopterRemedy(services: NativeHandleServices, call: CallLike): string {
  if (!services.isBuiltinAdopterCall(call)) return 'Close the object that adopted it instead.';
  if (call.type === AST_NODE_TYPES.NewExpression) return 'Destroy the socket instead.';
  return 'Destroy the stream instead, or pass `autoClose: false` if this code is to keep closing the fd itself.';
}

type Suggestion = TSESLint.SuggestionReportDescriptor<MessageIds>;

/** `await fh.close()` (in an async function) or `dev.close()` in place of the raw close, when the owner is in scope there. */
function ownerSuggestion(
  sourceCode: SourceCode,
  services: NativeHandleServices,
  call: TSESTree.CallExpression,
  ownerNode: TSESTree.Node,
  owner: Owner,
): Suggestion | undefined {
  if (!replaceable(sourceCode, call)) return undefined;
  const text = ownerText(sourceCode, ownerNode, call);
  return text === undefined ? undefined : closeSuggestion(sourceCode, services, call, skipWrappers(ownerNode), owner, text);
}

/** `stream.destroy()` in place of the raw close, when one adopter's result is held in a `const` in scope. */
function adopterSuggestion(
  sourceCode: SourceCode,
  services: NativeHandleServices,
  call: TSESTree.CallExpression,
  adoptions: readonly Adoption[],
): Suggestion | undefined {
  const holder = adoptions[0]?.holder;
  if (!holder || adoptions.some(adoption => adoption.holder !== holder) || !replaceable(sourceCode, call)) return undefined;
  const def = holder.defs[0];
  if (holder.defs.length !== 1 || def?.type !== TSESLint.Scope.DefinitionType.Variable || def.parent.kind !== 'const') return undefined;
  if (def.name.range[1] > call.range[0] || ASTUtils.findVariable(sourceCode.getScope(call), holder.name) !== holder) return undefined;
  const owner = services.ownerOf(def.name);
  return owner ? closeSuggestion(sourceCode, services, call, def.name, owner, holder.name) : undefined;
}

function closeSuggestion(
  sourceCode: SourceCode,
  services: NativeHandleServices,
  call: TSESTree.CallExpression,
  ownerNode: TSESTree.Node,
  owner: Owner,
  text: string,
): Suggestion | undefined {
  // The owner is closed by a statement beside this one already (`fs.closeSync(fh.fd); await
  // fh.close();`): replacing would close it twice in a row, so the remedy is to drop the raw close.
  const closing = ownerCloseBeside(sourceCode, services, call, text);
  if (closing) {
    const statement = call.parent;
    return {
      messageId: 'removeRawClose',
      data: { close: sourceCode.getText(closing) },
      fix: fixer => fixer.removeRange(statementRemovalRange(sourceCode, statement)),
    };
  }
  const type = services.typeOf(ownerNode);
  if (tsutils.unionConstituents(type).some(part => tsutils.isTypeFlagSet(part, ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Void))) {
    return undefined;
  }
  const method = closeMethod(services, owner, type, services.tsNodeOf(call));
  if (!method || (method.thenable && !inAsyncFunction(call))) return undefined;
  const replacement = `${method.thenable ? 'await ' : ''}${text}.${method.name}()`;
  return { messageId: 'closeOwner', data: { replacement }, fix: fixer => fixer.replaceText(call, replacement) };
}

/**
 * A close-role call on the owner (`await fh.close()`, `void sock.destroy()`) that is a whole
 * statement of the same block as the raw close.
 */
function ownerCloseBeside(
  sourceCode: SourceCode,
  services: NativeHandleServices,
  call: TSESTree.CallExpression,
  ownerText: string,
): TSESTree.CallExpression | undefined {
  const statements = call.parent.parent ? statementList(call.parent.parent) : undefined;
  const compact = (text: string): string => text.replace(/\s+/g, '');
  for (const statement of statements ?? []) {
    if (statement === call.parent || statement.type !== AST_NODE_TYPES.ExpressionStatement) continue;
    let expression = skipWrappers(statement.expression);
    if (expression.type === AST_NODE_TYPES.AwaitExpression) expression = skipWrappers(expression.argument);
    else if (expression.type === AST_NODE_TYPES.UnaryExpression && expression.operator === 'void') expression = skipWrappers(expression.argument);
    if (expression.type !== AST_NODE_TYPES.CallExpression) continue;
    const member = services.calledOwnerMember(expression);
    if (member?.roles.includes('close') && compact(sourceCode.getText(skipWrappers(member.object))) === compact(ownerText)) return expression;
  }
  return undefined;
}

/** The raw close is a whole expression statement with no callback and no comment inside: it can be replaced. */
function replaceable(sourceCode: SourceCode, call: TSESTree.CallExpression): boolean {
  return (
    call.parent.type === AST_NODE_TYPES.ExpressionStatement &&
    call.arguments.length === 1 &&
    !call.optional &&
    sourceCode.getCommentsInside(call).length === 0
  );
}

/** How the close can name the owner: a never-reassigned variable that is in scope there, or a `this.…` path in the same `this`. */
function ownerText(sourceCode: SourceCode, ownerNode: TSESTree.Node, call: TSESTree.Node): string | undefined {
  const node = skipWrappers(ownerNode);
  if (node.type === AST_NODE_TYPES.Identifier) {
    const variable = variableOf(sourceCode, node);
    if (!variable || !isStable(variable) || ASTUtils.findVariable(sourceCode.getScope(call), node.name) !== variable) return undefined;
    return node.name;
  }
  return isThisPath(node) && thisContext(node) === thisContext(call) ? sourceCode.getText(node) : undefined;
}

const CLOSE_PREFERENCE = ['destroy', 'close', 'dispose', 'terminate'];

/** The owner's close-role method callable without arguments (streams: `destroy`), and whether it returns a promise. */
function closeMethod(
  services: NativeHandleServices,
  owner: Owner,
  type: ts.Type,
  location: ts.Node,
): { name: string; thenable: boolean } | undefined {
  const { checker } = services;
  const names = services.model
    .membersWithRole(owner, 'close')
    .filter(name => /^[A-Za-z_$][\w$]*$/.test(name))
    .sort((a, b) => rank(a) - rank(b));
  for (const name of names) {
    const property = checker.getPropertiesOfType(checker.getNonNullableType(type)).find(symbol => symbolMemberName(symbol) === name);
    if (!property) continue;
    const signature = checker
      .getTypeOfSymbolAtLocation(property, location)
      .getCallSignatures()
      .find(candidate => candidate.getParameters().every(parameter => isOptionalParameter(parameter)));
    if (!signature) continue;
    return { name, thenable: tsutils.isThenableType(checker, location, checker.getReturnTypeOfSignature(signature)) };
  }
  return undefined;
}

function rank(name: string): number {
  const index = CLOSE_PREFERENCE.indexOf(name);
  return index < 0 ? CLOSE_PREFERENCE.length : index;
}

function isOptionalParameter(parameter: ts.Symbol): boolean {
  const declaration = parameter.valueDeclaration;
  return (
    declaration !== undefined &&
    ts.isParameter(declaration) &&
    (declaration.questionToken ?? declaration.initializer ?? declaration.dotDotDotToken) !== undefined
  );
}

// -----------------------------------------------------------------------------------------
// Syntax helpers

function variableOf(sourceCode: SourceCode, identifier: TSESTree.Identifier): Variable | undefined {
  return ASTUtils.findVariable(sourceCode.getScope(identifier), identifier.name) ?? undefined;
}

/** The variables an assignment target or pattern writes (members of objects are not variables). */
function patternVariables(sourceCode: SourceCode, pattern: TSESTree.Node): Variable[] {
  const node = skipWrappers(pattern);
  switch (node.type) {
    case AST_NODE_TYPES.Identifier: {
      const variable = variableOf(sourceCode, node);
      return variable ? [variable] : [];
    }
    case AST_NODE_TYPES.ObjectPattern:
      return node.properties.flatMap(property =>
        patternVariables(sourceCode, property.type === AST_NODE_TYPES.Property ? property.value : property.argument),
      );
    case AST_NODE_TYPES.ArrayPattern:
      return node.elements.flatMap(element => (element ? patternVariables(sourceCode, element) : []));
    case AST_NODE_TYPES.AssignmentPattern:
      return patternVariables(sourceCode, node.left);
    case AST_NODE_TYPES.RestElement:
      return patternVariables(sourceCode, node.argument);
    default:
      return [];
  }
}

/** A parameter or a variable written only by its declaration. */
function isStable(variable: Variable): boolean {
  const def = variable.defs[0];
  if (variable.defs.length !== 1 || !def) return false;
  if (def.type !== TSESLint.Scope.DefinitionType.Variable && def.type !== TSESLint.Scope.DefinitionType.Parameter) return false;
  return variable.references.every(reference => !reference.isWrite() || reference.init === true);
}

/** Functions and classes: their bodies run at another time, or with another `this`. */
function isNestedScope(node: TSESTree.Node): boolean {
  return isFunction(node) || isClass(node);
}

function declaredInside(variable: Variable, node: TSESTree.Node): boolean {
  return variable.defs.some(def => contains(node, def.name));
}

/** `this.a`, `this.#b.c`: a member path on `this` with no computed or optional link. */
function isThisPath(node: TSESTree.Node): boolean {
  let current = node;
  while (current.type === AST_NODE_TYPES.MemberExpression && !current.computed && !current.optional) current = current.object;
  return current !== node && current.type === AST_NODE_TYPES.ThisExpression;
}

/** The node that decides what `this` is at a node: the nearest non-arrow function, field initializer, static block or the program. */
function thisContext(node: TSESTree.Node): TSESTree.Node | undefined {
  for (let current = node.parent; current; current = current.parent) {
    switch (current.type) {
      case AST_NODE_TYPES.FunctionDeclaration:
      case AST_NODE_TYPES.FunctionExpression:
      case AST_NODE_TYPES.PropertyDefinition:
      case AST_NODE_TYPES.AccessorProperty:
      case AST_NODE_TYPES.StaticBlock:
      case AST_NODE_TYPES.Program:
        return current;
      default:
        break;
    }
  }
  return undefined;
}

/** Whether an `await` is allowed where the node is: its nearest function is `async`. */
function inAsyncFunction(node: TSESTree.Node): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (isFunction(current)) return current.async;
    if (current.type === AST_NODE_TYPES.PropertyDefinition || current.type === AST_NODE_TYPES.StaticBlock) return false;
  }
  return false;
}

function contains(outer: TSESTree.Node, inner: TSESTree.Node): boolean {
  return outer.range[0] <= inner.range[0] && inner.range[1] <= outer.range[1];
}
