import { AST_NODE_TYPES, AST_TOKEN_TYPES, ASTUtils, TSESLint, type TSESTree } from '@typescript-eslint/utils';
import tsutils from '../util/ts-api-utils.cjs';
import ts from '../util/typescript.cjs';
import { analyzeFunction, type FlowResult } from '../model/flow.js';
import {
  calleeMember,
  getNativeHandleServices,
  memberNameOf,
  propertyKeyName,
  type NativeHandleServices,
  type Owner,
} from '../model/index.js';
import {
  childContaining,
  indentOf,
  lineBreakOf,
  isFunction,
  isSuspension,
  isWrapper,
  isWriteTarget,
  outerWrapper,
  skipWrappers,
  some,
  statementList,
  type FunctionNode,
} from '../util/ast.js';
import { createRule } from './createRule.js';
import { type References, referencesOf } from '../model/references.js';
import { enclosingFunction } from '../model/util.js';

export type MessageIds = 'rawHandleOutlives' | 'wrapInBorrow';

export default createRule<[], MessageIds>({
  name: 'no-unguarded-raw-handle',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow raw handles that outlive the statement that read them outside an addRef/release borrow',
      recommended: true,
      requiresTypeChecking: true,
    },
    hasSuggestions: true,
    messages: {
      rawHandleOutlives:
        'The raw handle `{{member}}` of this {{owner}} {{how}}. It outlives the statement that read it: by then the {{owner}} may be closed and its handle reused by another resource. {{remedy}}',
      wrapInBorrow: 'Hold a borrow around the uses: `{{object}}.{{addRef}}()` before and `{{object}}.{{release}}()` in a `finally`.',
    },
    schema: [],
    defaultOptions: [],
  },
  create(context) {
    const services = getNativeHandleServices(context);
    const analyzer = new RawHandleAnalyzer(context, services);
    return {
      MemberExpression: node => {
        analyzer.memberCandidate(node);
      },
      VariableDeclarator: node => {
        analyzer.destructuringCandidates(node);
      },
      'Program:exit': () => {
        analyzer.finish();
      },
    };
  },
});

type Context = Readonly<TSESLint.RuleContext<MessageIds, []>>;
type Variable = TSESLint.Scope.Variable;
type Facts = ReadonlySet<string>;
type CallLike = TSESTree.CallExpression | TSESTree.NewExpression;
/** How the raw value outlives its statement (spec §3.1). */
type Reason = 'await' | 'callback' | 'field' | 'outer' | 'returned' | 'asyncCall';

const HOW: Readonly<Record<Reason, string>> = {
  await: 'is used after an `await` or `yield`',
  callback: 'is used in a callback or closure that can run later',
  field: 'is stored in a field',
  outer: 'is stored in a variable declared outside this function',
  returned: 'is returned from the function that read it',
  asyncCall: 'is passed to an asynchronous operation that keeps using it after this statement',
};

/** One `rawHandle` read (a member read, a method call, or a destructured property). */
interface Origin {
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

interface Problem {
  readonly reason: Reason;
  readonly at: TSESTree.Node;
  /** A borrow bracketing the read and this use would remove the hazard. */
  readonly borrowable: boolean;
}

/** A write of a raw value into a local variable of the origin's function. */
interface Def {
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
}

/**
 * `fine`: used synchronously as a handle; `inert`: only compared, printed or turned into text
 * (not a use of the handle); `handOff`: given to an adopter, raw closer, `postMessage` or a
 * registration (other rules' business).
 */
type Use =
  | { readonly kind: 'fine' | 'inert' | 'handOff' }
  | { readonly kind: 'holder'; readonly variable: Variable; readonly node: TSESTree.Node }
  | { readonly kind: 'returned' | 'field' | 'outer' }
  | { readonly kind: 'asyncCall'; readonly call: CallLike; readonly awaited: boolean };

/** A use of a collected result (`const fds = xs.map(x => x.fd)`), recorded once the holders are known. */
interface ResultUse {
  readonly use: Use;
  readonly origins: readonly Origin[];
  readonly at: TSESTree.Node;
  readonly fn: TSESTree.Node;
}

type Placement = { readonly kind: 'deferred' } | { readonly kind: 'at'; readonly nodes: readonly TSESTree.Node[] };

interface FunctionState {
  readonly node: TSESTree.Node;
  readonly origins: Origin[];
  readonly defs: Def[];
  readonly defsByNode: Map<TSESTree.Node, Def[]>;
  readonly defsByVariable: Map<Variable, Def[]>;
  readonly killsByNode: Map<TSESTree.Node, Variable[]>;
  flow?: FlowResult<Facts> | null;
}

/** Hand-offs that belong to no-handle-adoption and require-unregister (spec §3.6, §3.7), by name. */
const HAND_OFF_METHODS = new Set(['postMessage', 'register']);
const IDENTIFIER_NAME = /^[A-Za-z_$][\w$]*$/;
/** Where a raw value is only compared, printed or turned into text: not a use of the handle. */
const INERT_PARENTS = new Set<string>([
  AST_NODE_TYPES.BinaryExpression,
  AST_NODE_TYPES.UnaryExpression,
  AST_NODE_TYPES.TemplateLiteral,
  AST_NODE_TYPES.ExpressionStatement,
  AST_NODE_TYPES.IfStatement,
  AST_NODE_TYPES.WhileStatement,
  AST_NODE_TYPES.DoWhileStatement,
  AST_NODE_TYPES.ForStatement,
  AST_NODE_TYPES.SwitchStatement,
  AST_NODE_TYPES.SwitchCase,
]);
const INERT_FUNCTIONS = new Set(['String', 'Number', 'Boolean', 'BigInt']);
/** Members of a collected result (`xs.map(x => x.fd)`) that only count or print the raw values. */
const INERT_MEMBERS = new Set(['length', 'join']);
/**
 * Methods of the lib's arrays and typed arrays whose result is made of their callback's results
 * (`map`, `flatMap`, the mapper of `Array.from`, `reduce`). Others ignore them (`forEach`), reduce
 * them to a boolean or an index (`some`, `findIndex`), or return the elements (`filter`, `find`).
 */
const COLLECTING_METHODS = new Set(['map', 'flatMap', 'from', 'reduce', 'reduceRight']);
const MAX_ALIAS_ROUNDS = 4;

/**
 * Collects the `rawHandle` reads of one file during the AST pass, then (at `Program:exit`)
 * follows each raw value through the function that read it.
 */
class RawHandleAnalyzer {
  private readonly origins: Origin[] = [];
  private readonly functions = new Map<TSESTree.Node, FunctionState>();
  private readonly resultUses: ResultUse[] = [];
  private readonly useCache = new Map<TSESTree.Node, Use>();
  private readonly callRoleCache = new Map<TSESTree.Node, readonly string[]>();
  private readonly sourceCode: Readonly<TSESLint.SourceCode>;
  /** Which owner an expression names: `addRef`/`release`, guards and leases match the owner a raw handle was read from by it. */
  private readonly refs: References;

  constructor(
    private readonly context: Context,
    private readonly services: NativeHandleServices,
  ) {
    this.sourceCode = context.sourceCode;
    this.refs = referencesOf(context.sourceCode);
  }

  // ---------------------------------------------------------------------------------------
  // Candidates (syntax first, then one type question)

  memberCandidate(node: TSESTree.MemberExpression): void {
    const object = skipWrappers(node.object);
    if (object.type === AST_NODE_TYPES.ThisExpression || object.type === AST_NODE_TYPES.Super) return;
    if (isWriteTarget(node, { destructuring: true })) return;
    const name = memberNameOf(node);
    if (name === undefined || !this.services.model.mayBeRawHandleName(name)) return; // syntax before types
    const info = this.services.ownerMember(node);
    if (!info?.roles.includes('rawHandle')) return;
    const call = calledBy(node);
    let value: TSESTree.Node = node;
    let member = info.name;
    if (call) {
      value = call;
      member = `${info.name}()`;
    } else if (this.services.isCallable(node)) {
      return; // a method taken as a value, not the raw handle
    }
    this.addOrigin(value, value, info.owner, member, node.object, node.optional || this.isNullable(node.object));
  }

  destructuringCandidates(node: TSESTree.VariableDeclarator): void {
    if (node.id.type !== AST_NODE_TYPES.ObjectPattern || !node.init) return;
    const init = node.init;
    if (skipWrappers(init).type === AST_NODE_TYPES.ThisExpression) return;
    let owner: Owner | undefined;
    for (const property of node.id.properties) {
      if (property.type !== AST_NODE_TYPES.Property) continue;
      const name = propertyKeyName(property.key, property.computed);
      const target = property.value.type === AST_NODE_TYPES.AssignmentPattern ? property.value.left : property.value;
      if (name === undefined || target.type !== AST_NODE_TYPES.Identifier) continue;
      if (!this.services.model.mayBeRawHandleName(name)) continue; // syntax before types
      owner ??= this.services.ownerOf(init);
      if (!owner) return;
      if (!this.services.model.hasRole(owner, 'rawHandle', name) || hasCallSignatures(this.services.typeOf(target))) continue;
      const origin = this.addOrigin(property, target, owner, name, init, this.isNullable(init));
      const variable = this.sourceCode.getDeclaredVariables(node).find(candidate => candidate.name === target.name);
      if (variable) this.addDef(this.stateOf(origin.fn), node, variable, [origin]);
    }
  }

  private addOrigin(
    report: TSESTree.Node,
    value: TSESTree.Node,
    owner: Owner,
    member: string,
    object: TSESTree.Node,
    nullable: boolean,
  ): Origin {
    const fn = enclosingFunction(report);
    const origin: Origin = { report, value, owner, member, object, key: this.refs.keyOf(object), nullable, fn, problems: [], uses: [] };
    this.origins.push(origin);
    this.stateOf(fn).origins.push(origin);
    return origin;
  }

  private isNullable(object: TSESTree.Node): boolean {
    const type = this.services.typeOf(object);
    return tsutils.unionConstituents(type).some(part => tsutils.isTypeFlagSet(part, ts.TypeFlags.Null | ts.TypeFlags.Undefined));
  }

  // ---------------------------------------------------------------------------------------
  // Analysis at Program:exit

  finish(): void {
    if (this.origins.length === 0) return;
    // 1. Where each read goes: locals that receive a raw value become holders, and so do locals
    //    that receive the result of a collecting callback that returns it (`xs.map(x => x.fd)`).
    const direct = this.origins.filter(origin => origin.value === origin.report);
    for (const origin of direct) {
      const use = this.classify(origin.value, origin.fn);
      if (use.kind === 'holder') this.addDef(this.stateOf(origin.fn), use.node, use.variable, [origin]);
      else if (use.kind === 'returned' && this.isSyncCallback(origin.fn)) this.followResult([origin], origin.fn);
    }
    // 2. Aliases and re-assignments of holders (before any flow is computed).
    this.collectAllHolders();
    // 3. The reads themselves, the collected results, then every read of a holder.
    for (const origin of direct) {
      const use = this.classify(origin.value, origin.fn);
      if (use.kind === 'returned' && this.isSyncCallback(origin.fn)) continue; // followed in 1.
      if (use.kind !== 'holder') this.recordUse(use, [origin], origin.value, origin.fn);
    }
    for (const result of this.resultUses) this.recordUse(result.use, result.origins, result.at, result.fn);
    for (const state of this.functions.values()) this.checkHolders(state);
    for (const origin of this.origins) this.report(origin);
  }

  /**
   * Collects the holders of every function, inner functions first: a callback's returned holder
   * adds a holder to the function around it (`xs.map(x => { const fd = x.fd; return fd; })`).
   */
  private collectAllHolders(): void {
    const done = new Set<FunctionState>();
    for (;;) {
      const pending = [...this.functions.values()].filter(state => !done.has(state));
      if (pending.length === 0) return;
      const innermost = pending.reduce((best, state) => (isInner(state.node, best.node) ? state : best));
      done.add(innermost);
      this.collectHolders(innermost);
    }
  }

  /**
   * A raw value returned from a synchronous callback. When the callback's results make up the
   * call's result (`xs.map(x => x.fd)`, an IIFE), that result holds the raw value and is followed
   * like the read itself; otherwise (`forEach`, `some`, `filter`, a Promise executor) it goes nowhere.
   */
  private followResult(origins: readonly Origin[], callback: TSESTree.Node): void {
    const call = this.collectingCall(callback);
    if (!call) return;
    const fn = enclosingFunction(call);
    const derived = origins.map(origin => this.resultOrigin(origin, call, callback, fn));
    const use = this.classify(call, fn);
    if (use.kind === 'holder') this.addDef(this.stateOf(fn), use.node, use.variable, derived);
    else if (use.kind === 'returned' && this.isSyncCallback(fn)) this.followResult(derived, fn);
    else this.resultUses.push({ use, origins: derived, at: call, fn });
  }

  /** For a synchronous callback whose results make up the call's result (an IIFE, the lib's `map`, `flatMap`…): that call. */
  private collectingCall(callback: TSESTree.Node): TSESTree.CallExpression | undefined {
    const call = callback.parent;
    if (call?.type !== AST_NODE_TYPES.CallExpression || !this.isSyncCallback(callback)) return undefined;
    if (call.callee === callback) return call;
    const callee = skipWrappers(call.callee);
    if (callee.type !== AST_NODE_TYPES.MemberExpression) return undefined;
    const name = memberNameOf(callee);
    return name !== undefined && COLLECTING_METHODS.has(name) && this.services.isDefaultLibValue(callee) ? call : undefined;
  }

  /**
   * The origin seen as the collected result in the function around the call. It shares the
   * read's problems (reported once, at the read); its owner key is kept only where it names the
   * same owner outside the callback (not `x` of `xs.map(x => x.fd)`).
   */
  private resultOrigin(origin: Origin, call: TSESTree.Node, callback: TSESTree.Node, fn: TSESTree.Node): Origin {
    const root = rootOf(origin.object);
    let key: string | undefined;
    if (root?.type === AST_NODE_TYPES.ThisExpression) {
      key = callback.type === AST_NODE_TYPES.ArrowFunctionExpression ? origin.key : undefined;
    } else if (root?.type === AST_NODE_TYPES.Identifier) {
      const variable = ASTUtils.findVariable(this.sourceCode.getScope(root), root.name);
      key = variable && !declaredInside(variable, callback) ? origin.key : undefined;
    }
    return { ...origin, value: call, fn, key };
  }

  private recordUse(use: Use, origins: Iterable<Origin>, at: TSESTree.Node, fn: TSESTree.Node): void {
    let problem: Problem | undefined;
    if (use.kind === 'returned' || use.kind === 'field' || use.kind === 'outer') {
      problem = { reason: use.kind, at, borrowable: false };
    } else if (use.kind === 'asyncCall') {
      const all = [...origins];
      if (use.awaited && all.every(origin => this.heldAt(use.call, origin, fn))) return;
      problem = { reason: 'asyncCall', at, borrowable: use.awaited };
    }
    if (problem) for (const origin of origins) origin.problems.push(problem);
  }

  /** Collects the locals that hold a raw value in one function: aliases (`const b = a`) and re-assignments. */
  private collectHolders(state: FunctionState): void {
    if (state.defs.length === 0) return;
    const seen = new Set<Variable>();
    for (let round = 0; round < MAX_ALIAS_ROUNDS; round++) {
      const pending = [...state.defsByVariable.keys()].filter(variable => !seen.has(variable));
      if (pending.length === 0) break;
      for (const variable of pending) {
        seen.add(variable);
        this.collectAliases(state, variable);
      }
    }
    for (const variable of state.defsByVariable.keys()) this.collectKills(state, variable);
  }

  /** Checks every read of every local that holds a raw value. */
  private checkHolders(state: FunctionState): void {
    for (const variable of state.defsByVariable.keys()) {
      for (const reference of valueReads(variable)) this.checkHolderRead(state, variable, reference.identifier);
    }
  }

  private collectAliases(state: FunctionState, variable: Variable): void {
    const origins = [...new Set((state.defsByVariable.get(variable) ?? []).flatMap(def => [...def.origins]))];
    for (const reference of valueReads(variable)) {
      const read = reference.identifier;
      const at = enclosingFunction(read);
      if (at !== state.node) {
        this.followCapturedResult(state, read, at, origins);
        continue;
      }
      const use = this.classify(read, state.node);
      if (use.kind === 'holder' && use.variable !== variable) this.addDef(state, use.node, use.variable, origins);
      else if (use.kind === 'returned' && this.isSyncCallback(state.node)) this.followResult(origins, state.node);
    }
  }

  /** `ids.map(() => fd)` directly in the holder's function: the collected result holds the raw value too. */
  private followCapturedResult(state: FunctionState, read: TSESTree.Node, callback: TSESTree.Node, origins: readonly Origin[]): void {
    const call = this.collectingCall(callback);
    if (!call || enclosingFunction(call) !== state.node) return;
    if (this.classify(read, state.node).kind === 'returned') this.followResult(origins, callback); // classified as checkHolderRead does
  }

  private collectKills(state: FunctionState, variable: Variable): void {
    const add = (node: TSESTree.Node): void => {
      if (state.defsByNode.get(node)?.some(def => def.variable === variable)) return;
      const kills = state.killsByNode.get(node) ?? [];
      kills.push(variable);
      state.killsByNode.set(node, kills);
    };
    for (const definition of variable.defs) {
      if (definition.node.type === AST_NODE_TYPES.VariableDeclarator && !definition.node.init) add(definition.node);
    }
    for (const reference of variable.references) {
      if (!reference.isWrite()) continue;
      const writer = writerOf(reference.identifier);
      if (writer) add(writer);
    }
  }

  private checkHolderRead(state: FunctionState, variable: Variable, identifier: TSESTree.Node): void {
    const fn = state.node;
    const use = this.classify(identifier, fn);
    if (use.kind === 'handOff' || use.kind === 'inert') return; // other rules' business, or not a use of the handle
    const placement = this.placementOf(identifier, fn);
    const defs = state.defsByVariable.get(variable) ?? [];
    const flow = this.flowOf(state);
    if (placement.kind === 'deferred') {
      const problem: Problem = { reason: 'callback', at: identifier, borrowable: false };
      for (const def of defs) for (const origin of def.origins) this.addUse(origin, identifier, problem);
      return;
    }
    const nested = placement.nodes[0] !== identifier;
    for (const position of placement.nodes) {
      const facts = flow?.before(position);
      if (flow && !facts) continue; // unreachable
      for (const def of defs) {
        if (facts && def.local !== true && !facts.has(`L${def.index}`)) continue;
        const stale = facts !== undefined && def.local !== true && (facts.has(`S${def.index}`) || (facts.has(`C${def.index}`) && ![...def.origins].every(origin => this.heldAt(position, origin, fn))));
        for (const origin of def.origins) this.addUse(origin, identifier, stale ? { reason: 'await', at: identifier, borrowable: true } : undefined);
        if (this.isOwnUse(use, nested, fn)) this.recordUse(use, def.origins, identifier, fn);
      }
    }
  }

  /**
   * Whether a holder read's use is recorded at the read: not an alias (followed as a holder), and
   * not a value returned from a synchronous callback (followed as the call's result, or dropped).
   * Inside a callback run before its call returns, only what escapes the callback counts.
   */
  private isOwnUse(use: Use, nested: boolean, fn: TSESTree.Node): boolean {
    if (use.kind === 'holder') return false;
    if (use.kind === 'returned') return !nested && !this.isSyncCallback(fn);
    return !(nested && use.kind === 'asyncCall' && use.awaited);
  }

  private addUse(origin: Origin, use: TSESTree.Node, problem: Problem | undefined): void {
    if (!origin.uses.includes(use)) origin.uses.push(use);
    if (problem) origin.problems.push(problem);
  }

  /**
   * Where a read of a holder happens, seen from the holder's function: directly, in a callback
   * called before the statement ends (position: that callback), in a local function called only
   * directly (positions: its call sites), or in a closure that can run later.
   */
  private placementOf(identifier: TSESTree.Node, fn: TSESTree.Node): Placement {
    const chain: TSESTree.Node[] = [];
    for (let current = enclosingFunction(identifier); current !== fn; current = enclosingFunction(current)) {
      if (current.type === AST_NODE_TYPES.Program) return { kind: 'deferred' };
      chain.push(current);
    }
    if (chain.length === 0) return { kind: 'at', nodes: [identifier] };
    const outermost = chain[chain.length - 1]!;
    for (const nested of chain.slice(0, -1)) if (!this.isSyncCallback(nested)) return { kind: 'deferred' };
    if (this.isSyncCallback(outermost)) return { kind: 'at', nodes: [outermost] };
    const sites = this.localCallSites(outermost, fn);
    return sites ? { kind: 'at', nodes: sites } : { kind: 'deferred' };
  }

  /** For a local function only ever called directly in `fn`: those calls. */
  private localCallSites(node: TSESTree.Node, fn: TSESTree.Node): TSESTree.Node[] | undefined {
    let variable: Variable | undefined;
    if (node.parent?.type === AST_NODE_TYPES.ExportNamedDeclaration || node.parent?.type === AST_NODE_TYPES.ExportDefaultDeclaration) {
      return undefined; // callable from other modules
    }
    if (node.type === AST_NODE_TYPES.FunctionDeclaration && node.id) {
      variable = this.sourceCode.getDeclaredVariables(node)[0];
    } else if (
      node.parent?.type === AST_NODE_TYPES.VariableDeclarator &&
      node.parent.init === node &&
      node.parent.id.type === AST_NODE_TYPES.Identifier &&
      node.parent.parent.kind === 'const'
    ) {
      variable = this.sourceCode.getDeclaredVariables(node.parent)[0];
    }
    if (!variable) return undefined;
    const sites: TSESTree.Node[] = [];
    for (const reference of variable.references) {
      if (reference.init === true) continue;
      const parent = reference.identifier.parent;
      if (parent.type !== AST_NODE_TYPES.CallExpression || parent.callee !== reference.identifier) return undefined;
      if (enclosingFunction(parent) !== fn) return undefined;
      sites.push(parent);
    }
    return sites;
  }

  // ---------------------------------------------------------------------------------------
  // Where a raw value goes

  /** What happens to a raw value (or a local holding one) in the statement that reads it. */
  private classify(start: TSESTree.Node, fn: TSESTree.Node): Use {
    const cached = this.useCache.get(start);
    if (cached) return cached;
    const use = this.classifyUncached(start, fn);
    this.useCache.set(start, use);
    return use;
  }

  private classifyUncached(start: TSESTree.Node, fn: TSESTree.Node): Use {
    let value = start;
    for (let parent = value.parent; parent; value = parent, parent = parent.parent) {
      switch (parent.type) {
        case AST_NODE_TYPES.ConditionalExpression:
          if (parent.test === value) return { kind: 'inert' };
          continue;
        case AST_NODE_TYPES.LogicalExpression:
        case AST_NODE_TYPES.ArrayExpression:
        case AST_NODE_TYPES.ObjectExpression:
        case AST_NODE_TYPES.SpreadElement:
          continue;
        case AST_NODE_TYPES.SequenceExpression:
          if (parent.expressions[parent.expressions.length - 1] !== value) return { kind: 'inert' };
          continue;
        case AST_NODE_TYPES.Property:
          if (parent.value !== value || parent.parent.type !== AST_NODE_TYPES.ObjectExpression) return { kind: 'fine' };
          continue;
        case AST_NODE_TYPES.VariableDeclarator:
          return this.declaratorUse(parent, value);
        case AST_NODE_TYPES.AssignmentExpression:
          if (parent.right !== value) return { kind: 'fine' };
          return parent.operator === '=' ? this.assignmentUse(parent, fn) : { kind: 'inert' };
        case AST_NODE_TYPES.PropertyDefinition:
        case AST_NODE_TYPES.AccessorProperty:
          return parent.value === value ? { kind: 'field' } : { kind: 'fine' };
        case AST_NODE_TYPES.ReturnStatement:
        case AST_NODE_TYPES.YieldExpression:
          return { kind: 'returned' };
        case AST_NODE_TYPES.ArrowFunctionExpression:
          return parent.body === value ? { kind: 'returned' } : { kind: 'fine' };
        case AST_NODE_TYPES.CallExpression:
        case AST_NODE_TYPES.NewExpression:
          if (parent.callee === value) return { kind: 'fine' };
          return isInertCall(parent) ? { kind: 'inert' } : this.argumentUse(parent);
        default:
          if (isWrapper(parent) || parent.type === AST_NODE_TYPES.AwaitExpression) continue;
          if (parent.type === AST_NODE_TYPES.MemberExpression) return parent.object === value && !isInertMember(parent) ? { kind: 'fine' } : { kind: 'inert' };
          return INERT_PARENTS.has(parent.type) ? { kind: 'inert' } : { kind: 'fine' };
      }
    }
    return { kind: 'fine' };
  }

  private declaratorUse(declarator: TSESTree.VariableDeclarator, value: TSESTree.Node): Use {
    if (declarator.init !== value || declarator.id.type !== AST_NODE_TYPES.Identifier) return { kind: 'fine' };
    const variable = this.sourceCode.getDeclaredVariables(declarator)[0];
    return variable ? { kind: 'holder', variable, node: declarator } : { kind: 'fine' };
  }

  private assignmentUse(assignment: TSESTree.AssignmentExpression, fn: TSESTree.Node): Use {
    const target = skipWrappers(assignment.left);
    if (target.type === AST_NODE_TYPES.Identifier) {
      const variable = ASTUtils.findVariable(this.sourceCode.getScope(target), target.name);
      if (!variable || this.declaredOutside(variable, fn)) return { kind: 'outer' };
      return declaringFunction(variable) === fn ? { kind: 'holder', variable, node: assignment } : { kind: 'fine' };
    }
    if (target.type !== AST_NODE_TYPES.MemberExpression) return { kind: 'fine' };
    const root = rootOf(target);
    if (root?.type === AST_NODE_TYPES.ThisExpression) return { kind: 'field' };
    if (root?.type !== AST_NODE_TYPES.Identifier) return { kind: 'fine' };
    const variable = ASTUtils.findVariable(this.sourceCode.getScope(root), root.name);
    if (!variable || this.declaredOutside(variable, fn)) return { kind: 'field' };
    const parameter = declaringFunction(variable) === fn && variable.defs.some(def => def.type === TSESLint.Scope.DefinitionType.Parameter);
    return parameter ? { kind: 'field' } : { kind: 'fine' };
  }

  /**
   * Whether a variable lives outside the function that stores a raw value in it (callbacks run
   * before their call returns count as part of the function around them).
   */
  private declaredOutside(variable: Variable, fn: TSESTree.Node): boolean {
    let boundary = fn;
    while (this.isSyncCallback(boundary)) boundary = enclosingFunction(boundary);
    return !declaredInside(variable, boundary);
  }

  private argumentUse(call: CallLike): Use {
    if (this.isHandOff(call)) return { kind: 'handOff' };
    const tsCall = this.services.tsNodeOf(call);
    if (!ts.isCallExpression(tsCall) && !ts.isNewExpression(tsCall)) return { kind: 'fine' };
    const asynchronous = this.services.returnsThenable(call) || this.services.passesCompletionCallback(call);
    if (!asynchronous) return { kind: 'fine' };
    return { kind: 'asyncCall', call, awaited: outerWrapper(call).parent?.type === AST_NODE_TYPES.AwaitExpression };
  }

  /** Adopters, raw closers, `postMessage` and registrations: the business of other rules. */
  private isHandOff(call: CallLike): boolean {
    const callee = skipWrappers(call.callee);
    const name = callee.type === AST_NODE_TYPES.Identifier ? callee.name : callee.type === AST_NODE_TYPES.MemberExpression ? memberNameOf(callee) : undefined;
    if (name !== undefined && HAND_OFF_METHODS.has(name)) return true;
    return this.services.isBuiltinAdopterCall(call) || this.services.isAdopter(call.callee) || this.services.isRawCloser(call.callee);
  }

  /** Whether a function runs before the call that receives it returns (IIFE, array/map/set callbacks, Promise executor). */
  private isSyncCallback(fn: TSESTree.Node): boolean {
    return this.services.callbackTiming(fn)?.when === 'now';
  }

  // ---------------------------------------------------------------------------------------
  // Borrows and guards

  /** Whether a borrow of the origin's owner is held at `node` (a lease, or addRef + release in a finally). */
  private heldAt(node: TSESTree.Node, origin: Origin, fn: TSESTree.Node, facts?: Facts): boolean {
    const key = origin.key;
    if (key === undefined) return false;
    if (this.leaseCovers(node, key, origin.owner, fn)) return true;
    const { addRef, release } = origin.owner.roles;
    if (addRef.size === 0 || release.size === 0) return false;
    const state = facts ?? this.flowOf(this.stateOf(fn))?.before(node);
    if (!state || state.has(`U:${key}`)) return false;
    return this.insideReleasingTry(node, key, release, fn);
  }

  /** `using lease = owner.lease()` (or `await using`) earlier in an enclosing block of `node`. */
  private leaseCovers(node: TSESTree.Node, key: string, owner: Owner, fn: TSESTree.Node): boolean {
    if (owner.roles.lease.size === 0) return false;
    for (let child = node, parent = node.parent; parent && child !== fn; child = parent, parent = parent.parent) {
      const statements = statementList(parent);
      if (!statements) continue;
      for (const statement of statements) {
        if (statement === child) break;
        if (statement.type !== AST_NODE_TYPES.VariableDeclaration || (statement.kind !== 'using' && statement.kind !== 'await using')) continue;
        if (statement.declarations.some(declarator => this.isLeaseCall(declarator.init, key, owner))) return true;
      }
    }
    return false;
  }

  private isLeaseCall(init: TSESTree.Expression | null, key: string, owner: Owner): boolean {
    let expression = init ? skipWrappers(init) : undefined;
    if (expression?.type === AST_NODE_TYPES.AwaitExpression) expression = skipWrappers(expression.argument);
    if (expression?.type !== AST_NODE_TYPES.CallExpression) return false;
    const member = calleeMember(expression);
    return member !== undefined && this.refs.keyOf(member.object) === key && this.services.model.hasRole(owner, 'lease', memberNameOf(member));
  }

  private insideReleasingTry(node: TSESTree.Node, key: string, release: ReadonlySet<string>, fn: TSESTree.Node): boolean {
    for (let child = node, parent = node.parent; parent && child !== fn; child = parent, parent = parent.parent) {
      if (parent.type === AST_NODE_TYPES.TryStatement && parent.block === child && parent.finalizer) {
        if (this.containsOwnerCall(parent.finalizer, key, release)) return true;
      }
    }
    return false;
  }

  private containsOwnerCall(root: TSESTree.Node, key: string, names: ReadonlySet<string>): boolean {
    const isOwnerCall = (node: TSESTree.Node): boolean =>
      node.type === AST_NODE_TYPES.CallExpression && this.ownerCallName(node, key, names) !== undefined;
    return some(root, this.sourceCode.visitorKeys, isOwnerCall, { skip: isFunction });
  }

  /** For `owner.m()` with `owner` spelled as `key` and `m` one of `names`: `m`. */
  private ownerCallName(call: TSESTree.CallExpression, key: string, names: ReadonlySet<string>): string | undefined {
    const member = calleeMember(call);
    if (!member || this.refs.keyOf(member.object) !== key) return undefined;
    const name = memberNameOf(member);
    return name !== undefined && names.has(name) ? name : undefined;
  }

  // ---------------------------------------------------------------------------------------
  // Flow

  private stateOf(fn: TSESTree.Node): FunctionState {
    let state = this.functions.get(fn);
    if (!state) {
      state = { node: fn, origins: [], defs: [], defsByNode: new Map(), defsByVariable: new Map(), killsByNode: new Map() };
      this.functions.set(fn, state);
    }
    return state;
  }

  private addDef(state: FunctionState, node: TSESTree.Node, variable: Variable, origins: Iterable<Origin>): void {
    const existing = state.defsByNode.get(node)?.find(def => def.variable === variable);
    if (existing) {
      for (const origin of origins) existing.origins.add(origin);
      return;
    }
    const def: Def = { index: state.defs.length, node, variable, origins: new Set(origins) };
    state.defs.push(def);
    state.defsByNode.set(node, [...(state.defsByNode.get(node) ?? []), def]);
    state.defsByVariable.set(variable, [...(state.defsByVariable.get(variable) ?? []), def]);
  }

  /**
   * The flow facts of one function: `L<i>` def i may hold here, `S<i>` it crossed an await
   * without a borrow, `C<i>` it crossed an await under a borrow, `U:<key>` the owner may be
   * unreferenced (no addRef held).
   */
  private flowOf(state: FunctionState): FlowResult<Facts> | undefined {
    if (state.flow !== undefined) return state.flow ?? undefined;
    const fn = flowFunction(state.node);
    if (!fn) {
      state.flow = null;
      return undefined;
    }
    const keys = new Map<string, Owner>();
    for (const origin of [...state.origins, ...state.defs.flatMap(def => [...def.origins])]) {
      if (origin.key !== undefined && !keys.has(origin.key)) keys.set(origin.key, origin.owner);
    }
    const initial = new Set<string>();
    for (const [key, owner] of keys) {
      if (owner.roles.addRef.size > 0 && owner.roles.release.size > 0) initial.add(`U:${key}`);
    }
    const suspensions = suspensionOffsets(fn, this.sourceCode.visitorKeys);
    const killed = new Set([...state.killsByNode.values()].flat());
    for (const def of state.defs) def.local = isLocalDef(state, def, killed, suspensions);
    state.flow = null; // no recursion through heldAt while the flow runs
    state.flow = analyzeFunction<Facts>(
      fn,
      {
        initial,
        join: (a, b) => (a === b ? a : new Set([...a, ...b])),
        equals: (a, b) => a === b || (a.size === b.size && [...a].every(fact => b.has(fact))),
        transfer: (node, facts) => this.transfer(state, keys, node, facts),
        refine: (test, outcome, facts) => (outcome ? facts : this.guard(state, keys, test, facts, true)),
      },
      this.sourceCode.visitorKeys,
    );
    return state.flow;
  }

  private transfer(state: FunctionState, keys: ReadonlyMap<string, Owner>, node: TSESTree.Node, facts: Facts): Facts {
    const defs = state.defsByNode.get(node);
    const kills = state.killsByNode.get(node);
    if (defs || kills) {
      const next = new Set(facts);
      for (const variable of [...(defs ?? []).map(def => def.variable), ...(kills ?? [])]) {
        for (const def of state.defsByVariable.get(variable) ?? []) for (const prefix of 'LSC') next.delete(`${prefix}${def.index}`);
      }
      for (const def of defs ?? []) if (def.local !== true) next.add(`L${def.index}`);
      return next;
    }
    if (isSuspension(node)) return this.suspend(state, node, facts);
    if (node.type === AST_NODE_TYPES.CallExpression) return this.ownerCall(state, keys, node, facts);
    return facts;
  }

  /** An `await`/`yield`: each live raw value crosses it, with or without a borrow. */
  private suspend(state: FunctionState, node: TSESTree.Node, facts: Facts): Facts {
    const next = new Set(facts);
    for (const def of state.defs) {
      if (def.local === true || !facts.has(`L${def.index}`)) continue;
      const held = [...def.origins].every(origin => this.heldAt(node, origin, state.node, facts));
      next.add(`${held ? 'C' : 'S'}${def.index}`);
    }
    return next;
  }

  private ownerCall(state: FunctionState, keys: ReadonlyMap<string, Owner>, call: TSESTree.CallExpression, facts: Facts): Facts {
    const member = calleeMember(call);
    const key = member ? this.refs.keyOf(member.object) : undefined;
    const owner = key === undefined ? undefined : keys.get(key);
    if (!member || key === undefined || !owner) return facts;
    const roles = this.callRoles(call, owner);
    if (roles.includes('addRef') && facts.has(`U:${key}`)) return new Set([...facts].filter(fact => fact !== `U:${key}`));
    if (roles.includes('release') && !facts.has(`U:${key}`) && owner.roles.addRef.size > 0) return new Set([...facts, `U:${key}`]);
    if (roles.includes('guard') && !this.returnsBoolean(call)) return this.guard(state, keys, call, facts, false);
    return facts;
  }

  /** The roles of an owner-method call, confirmed by type (names alone are only a pre-filter). */
  private callRoles(call: TSESTree.CallExpression, owner: Owner): readonly string[] {
    const member = calleeMember(call);
    const name = member ? memberNameOf(member) : undefined;
    if (name === undefined || this.services.model.rolesOf(owner, name).length === 0) return [];
    let roles = this.callRoleCache.get(call);
    if (!roles) {
      roles = this.services.calledOwnerMember(call)?.roles ?? [];
      this.callRoleCache.set(call, roles);
    }
    return roles;
  }

  private returnsBoolean(call: TSESTree.CallExpression): boolean {
    return tsutils.isTypeFlagSet(this.services.typeOf(call), ts.TypeFlags.BooleanLike);
  }

  /**
   * A liveness check on the branch where the owner is open (`if (dev.closed) return;`, or a
   * throwing `dev.throwIfClosed()`): the owner is known open, so raw values read from it before
   * an await are fresh again.
   */
  private guard(state: FunctionState, keys: ReadonlyMap<string, Owner>, test: TSESTree.Node, facts: Facts, isTest: boolean): Facts {
    const expression = skipWrappers(test);
    let member: TSESTree.MemberExpression | undefined;
    if (expression.type === AST_NODE_TYPES.MemberExpression) member = expression;
    else if (expression.type === AST_NODE_TYPES.CallExpression && (!isTest || this.returnsBoolean(expression))) member = calleeMember(expression);
    const key = member ? this.refs.keyOf(member.object) : undefined;
    const owner = key === undefined ? undefined : keys.get(key);
    if (!member || !owner || !this.services.model.hasRole(owner, 'guard', memberNameOf(member))) return facts;
    const next = new Set(facts);
    for (const def of state.defs) if ([...def.origins].some(origin => origin.key === key)) next.delete(`S${def.index}`);
    return next;
  }

  // ---------------------------------------------------------------------------------------
  // Reports and the suggestion

  private report(origin: Origin): void {
    const first = [...origin.problems].sort((a, b) => a.at.range[0] - b.at.range[0])[0];
    if (!first) return;
    const owner = origin.owner;
    const suggestion = this.borrowSuggestion(origin);
    this.context.report({
      node: origin.report,
      messageId: 'rawHandleOutlives',
      data: { owner: owner.name, member: origin.member, how: HOW[first.reason], remedy: this.remedy(owner) },
      ...(suggestion ? { suggest: [suggestion] } : {}),
    });
  }

  private remedy(owner: Owner): string {
    const model = this.services.model;
    const [addRef] = model.membersWithRole(owner, 'addRef');
    const [release] = model.membersWithRole(owner, 'release');
    const [lease] = model.membersWithRole(owner, 'lease');
    const borrows: string[] = [];
    if (addRef !== undefined && release !== undefined) borrows.push(`\`${addRef}()\` before the read and \`${release}()\` in a \`finally\` after the last use`);
    if (lease !== undefined) borrows.push(`a \`using\` lease from \`${lease}()\``);
    if (borrows.length > 0) return `Hold a borrow across every use (${borrows.join(', or ')}), or use the ${owner.name}'s own methods instead of the raw handle.`;
    if (owner.name === 'FileHandle') {
      return 'Use the FileHandle\'s own methods, or pass the FileHandle itself (`{ fd: fh }`, `fh.createReadStream()`), instead of the raw fd.';
    }
    return `Use the ${owner.name}'s own methods, or pass the ${owner.name} itself, instead of the raw handle.`;
  }

  private borrowSuggestion(origin: Origin): TSESLint.SuggestionReportDescriptor<MessageIds> | undefined {
    if (origin.problems.some(problem => !problem.borrowable) || origin.key === undefined || origin.nullable) return undefined;
    if (!isStableKey(skipWrappers(origin.object))) return undefined;
    const model = this.services.model;
    const [addRef] = model.membersWithRole(origin.owner, 'addRef');
    const [release] = model.membersWithRole(origin.owner, 'release');
    if (addRef === undefined || release === undefined || !IDENTIFIER_NAME.test(addRef) || !IDENTIFIER_NAME.test(release)) return undefined;
    const range = this.wrapRange(origin);
    if (!range) return undefined;
    const object = this.sourceCode.getText(skipWrappers(origin.object));
    // A bracket already written around the statements, with the release outside a `finally`
    // (`dev.ref(); …; dev.unref();`): the fix reuses it rather than taking a second borrow.
    const statements = statementList(range.first.parent!)!;
    const before = statements[statements.indexOf(range.first) - 1];
    const after = statements[statements.indexOf(range.last) + 1];
    const addRefBefore = before !== undefined && this.isCallStatement(before, object, addRef);
    const releaseAfter = after !== undefined && this.isCallStatement(after, object, release);
    if (addRefBefore !== releaseAfter) return undefined;
    const text = this.wrapText(range.first, range.last, `${object}.${addRef}();`, `${object}.${release}();`);
    const from = addRefBefore ? before : range.first;
    const to = releaseAfter ? after : range.last;
    return {
      messageId: 'wrapInBorrow',
      data: { object, addRef, release },
      fix: fixer => fixer.replaceTextRange([from.range[0], to.range[1]], text),
    };
  }

  /** `object.method();` as a whole statement (spaces aside). */
  private isCallStatement(statement: TSESTree.Node, object: string, method: string): boolean {
    if (statement.type !== AST_NODE_TYPES.ExpressionStatement) return false;
    const compact = (text: string): string => text.replace(/\s+/g, '');
    return compact(this.sourceCode.getText(statement.expression)) === compact(`${object}.${method}()`);
  }

  /** The statements from the read to the last use, when they are siblings in one block and can be wrapped. */
  private wrapRange(origin: Origin): { first: TSESTree.Node; last: TSESTree.Node } | undefined {
    const first = statementIn(origin.report, origin.fn);
    const block = first?.parent;
    const statements = block ? statementList(block) : undefined;
    if (!first || !block || !statements) return undefined;
    const start = statements.indexOf(first);
    let end = start;
    for (const use of [...origin.uses, ...origin.problems.map(problem => problem.at)]) {
      const statement = childContaining(block, use);
      const index = statement ? statements.indexOf(statement) : -1;
      if (index < start) return undefined;
      end = Math.max(end, index);
    }
    return this.canWrap(statements.slice(start, end + 1)) ? { first, last: statements[end]! } : undefined;
  }

  /** Block-scoped declarations in the wrapped statements must not be used after them; no `using` inside. */
  private canWrap(wrapped: readonly TSESTree.Node[]): boolean {
    const end = wrapped[wrapped.length - 1]!.range[1];
    for (const declaration of wrapped) {
      if (declaration.type === AST_NODE_TYPES.ExportNamedDeclaration || declaration.type === AST_NODE_TYPES.ExportDefaultDeclaration) return false;
      if (declaration.type === AST_NODE_TYPES.VariableDeclaration) {
        if (declaration.kind === 'using' || declaration.kind === 'await using') return false;
        if (declaration.kind === 'var') continue;
      } else if (declaration.type !== AST_NODE_TYPES.FunctionDeclaration && declaration.type !== AST_NODE_TYPES.ClassDeclaration) {
        continue;
      }
      for (const variable of this.sourceCode.getDeclaredVariables(declaration)) {
        if (variable.references.some(reference => reference.identifier.range[0] >= end)) return false;
      }
    }
    return true;
  }

  private wrapText(first: TSESTree.Node, last: TSESTree.Node, addRef: string, release: string): string {
    const indent = indentOf(this.sourceCode, first);
    const lineBreak = lineBreakOf(this.sourceCode);
    const unit = indent.includes('\t') ? '\t' : '  ';
    const templateLines = this.linesInsideTemplates(first, last);
    const body = this.sourceCode.text
      .slice(first.range[0], last.range[1])
      .split(/\r?\n/)
      .map((line, index) => {
        if (index === 0) return `${indent}${unit}${line}`;
        const lineNumber = first.loc.start.line + index;
        return line.trim() === '' || templateLines.has(lineNumber) ? line : `${unit}${line}`;
      })
      .join(lineBreak);
    return [addRef, `${indent}try {`, body, `${indent}} finally {`, `${indent}${unit}${release}`, `${indent}}`].join(lineBreak);
  }

  /** Lines that start inside a multi-line template literal (re-indenting them would change the string). */
  private linesInsideTemplates(first: TSESTree.Node, last: TSESTree.Node): Set<number> {
    const lines = new Set<number>();
    const statements = first.parent ? (statementList(first.parent) ?? [first]) : [first];
    for (const statement of statements.slice(statements.indexOf(first), statements.indexOf(last) + 1)) {
      for (const token of this.sourceCode.getTokens(statement)) {
        if (token.type !== AST_TOKEN_TYPES.Template) continue;
        for (let line = token.loc.start.line + 1; line <= token.loc.end.line; line++) lines.add(line);
      }
    }
    return lines;
  }
}

// -----------------------------------------------------------------------------------------
// Syntax helpers

/** `console.log(fd)`, `String(fd)`: printing or converting, not using the handle. */
function isInertCall(call: CallLike): boolean {
  const callee = skipWrappers(call.callee);
  if (callee.type === AST_NODE_TYPES.Identifier) return INERT_FUNCTIONS.has(callee.name);
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return false;
  const object = skipWrappers(callee.object);
  return object.type === AST_NODE_TYPES.Identifier && object.name === 'console';
}

/** `fds.length`, `fds.join(', ')`: counting or printing the raw values a collected result holds, not using them. */
function isInertMember(member: TSESTree.MemberExpression): boolean {
  const name = member.computed ? undefined : memberNameOf(member);
  return name !== undefined && INERT_MEMBERS.has(name);
}

/** Whether function `a` lies inside `b`, or starts later (so no function that `b` holds is inside `a`). */
function isInner(a: TSESTree.Node, b: TSESTree.Node): boolean {
  return a.range[0] > b.range[0] || (a.range[0] === b.range[0] && a.range[1] < b.range[1]);
}

/** The start offsets of the awaits and yields of a function (not of functions inside it), in order. */
function suspensionOffsets(fn: TSESTree.Node, visitorKeys: TSESLint.SourceCode['visitorKeys']): number[] {
  const offsets: number[] = [];
  const body = fn.type === AST_NODE_TYPES.Program ? fn : isFunction(fn) ? fn.body : fn;
  some(
    body,
    visitorKeys,
    node => {
      if (isSuspension(node)) offsets.push(node.range[0]);
      return false;
    },
    { skipTypes: true, skip: node => node !== body && (isFunction(node) || node.type === AST_NODE_TYPES.ClassDeclaration || node.type === AST_NODE_TYPES.ClassExpression) },
  );
  return offsets.sort((a, b) => a - b);
}

/**
 * Whether the def reaches every read of its variable with nothing for the flow to learn: the only
 * write of a `const`/`let` (no other def, no kill), no loop and no function between the
 * declaration's block and any read (a back edge could bring an await before the read; a function
 * runs where it is called), and no await or yield of the
 * function between the def and any read in source order (the only order in which code after a
 * declaration in its block can run, loops aside).
 */
function isLocalDef(state: FunctionState, def: Def, killed: ReadonlySet<Variable>, suspensions: readonly number[]): boolean {
  const declarator = def.node;
  const declaration = declarator.parent;
  if (declarator.type !== AST_NODE_TYPES.VariableDeclarator || declaration?.type !== AST_NODE_TYPES.VariableDeclaration) return false;
  if (declaration.kind !== 'const' && declaration.kind !== 'let') return false;
  if (killed.has(def.variable) || (state.defsByVariable.get(def.variable)?.length ?? 0) !== 1 || def.variable.defs.length !== 1) return false;
  const block = declaration.parent;
  const from = declarator.range[1];
  for (const reference of def.variable.references) {
    if (reference.init === true) continue;
    if (reference.isWrite()) return false;
    const read = reference.identifier;
    if (read.range[0] < from) return false;
    for (let node: TSESTree.Node | undefined = read.parent; node !== block; node = node.parent) {
      if (!node || node === state.node) return false;
      // A read in a function runs where the function is called, not where it is written.
      if (isFunction(node)) return false;
      if (
        node.type === AST_NODE_TYPES.ForStatement ||
        node.type === AST_NODE_TYPES.ForInStatement ||
        node.type === AST_NODE_TYPES.ForOfStatement ||
        node.type === AST_NODE_TYPES.WhileStatement ||
        node.type === AST_NODE_TYPES.DoWhileStatement
      ) {
        return false;
      }
    }
    // An await or yield between the def and this read?
    let low = 0;
    let high = suspensions.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (suspensions[middle]! < from) low = middle + 1;
      else high = middle;
    }
    if (low < suspensions.length && suspensions[low]! < read.range[0]) return false;
  }
  return true;
}

function hasCallSignatures(type: ts.Type): boolean {
  return tsutils.unionConstituents(type).some(part => part.getCallSignatures().length > 0);
}

/** The call that invokes this member (`q.getHandle()`, `q.getHandle?.()`, `q.getHandle!()`). */
function calledBy(node: TSESTree.MemberExpression): TSESTree.CallExpression | undefined {
  let child: TSESTree.Node = node;
  let parent: TSESTree.Node = node.parent;
  while (isWrapper(parent) && parent.type !== AST_NODE_TYPES.ChainExpression) {
    child = parent;
    parent = parent.parent;
  }
  return parent.type === AST_NODE_TYPES.CallExpression && parent.callee === child ? parent : undefined;
}

/** Whether the owner expression can be evaluated again without side effects (for the suggestion). */
function isStableKey(node: TSESTree.Node): boolean {
  if (node.type === AST_NODE_TYPES.Identifier || node.type === AST_NODE_TYPES.ThisExpression) return true;
  return node.type === AST_NODE_TYPES.MemberExpression && !node.computed && !node.optional && isStableKey(node.object);
}

/** The variable, `this` or call at the root of `a.b.c`, `a.get(x).c`. */
function rootOf(node: TSESTree.Node): TSESTree.Node | undefined {
  let current = skipWrappers(node);
  for (;;) {
    if (current.type === AST_NODE_TYPES.MemberExpression) current = skipWrappers(current.object);
    else if (current.type === AST_NODE_TYPES.CallExpression) current = skipWrappers(current.callee);
    else break;
  }
  return current.type === AST_NODE_TYPES.Identifier || current.type === AST_NODE_TYPES.ThisExpression ? current : undefined;
}

/** Whether the variable is declared in `fn` or in a function nested in it. */
function declaredInside(variable: Variable, fn: TSESTree.Node): boolean {
  const name = variable.defs[0]?.name;
  return name !== undefined && (fn.type === AST_NODE_TYPES.Program || (name.range[0] >= fn.range[0] && name.range[1] <= fn.range[1]));
}

function declaringFunction(variable: Variable): TSESTree.Node | undefined {
  const definition = variable.defs[0];
  return definition ? enclosingFunction(definition.name) : undefined;
}

function flowFunction(node: TSESTree.Node): FunctionNode | undefined {
  if (isFunction(node)) return node;
  if (node.type !== AST_NODE_TYPES.Program) return undefined;
  // Module code runs like the body of a function (top-level await included).
  const body = { ...node, type: AST_NODE_TYPES.BlockStatement, body: node.body } as unknown as TSESTree.BlockStatement;
  return { type: AST_NODE_TYPES.FunctionExpression, params: [], body, async: true, generator: false } as unknown as FunctionNode;
}

function valueReads(variable: Variable): TSESLint.Scope.Reference[] {
  return variable.references.filter(reference => reference.isRead() && reference.isValueReference && !reference.isWrite());
}

/** The node that writes a variable through this identifier (assignment, declarator, update, loop head). */
function writerOf(identifier: TSESTree.Node): TSESTree.Node | undefined {
  for (let current: TSESTree.Node | undefined = identifier.parent; current; current = current.parent) {
    switch (current.type) {
      case AST_NODE_TYPES.AssignmentExpression:
      case AST_NODE_TYPES.VariableDeclarator:
      case AST_NODE_TYPES.UpdateExpression:
        return current;
      case AST_NODE_TYPES.ForInStatement:
      case AST_NODE_TYPES.ForOfStatement:
        return current.left;
      default:
        if (isFunction(current) || current.type.endsWith('Statement')) return undefined;
    }
  }
  return undefined;
}

/** The statement in a block-like list that contains `node`, within `fn`. */
function statementIn(node: TSESTree.Node, fn: TSESTree.Node): TSESTree.Node | undefined {
  for (let child = node, parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (child === fn) return undefined;
    if (statementList(parent)) return child;
  }
  return undefined;
}
