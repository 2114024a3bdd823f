import { AST_NODE_TYPES, ASTUtils, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { isClass, isFunction, isWriteTarget, skipWrappers, walk, type FunctionNode, type VisitorKeys } from '../util/ast.js';

/**
 * Correlated conditions (docs/rules/no-use-after-close.md): two tests of the same side-effect-free expression, with
 * nothing in between that may change it, take the same branch. A flow analysis keeps what the
 * tests on a path said as {@link Facts}, drops the facts a node may change
 * ({@link ConditionKeys.changedBy}), and so can tell that `if (!keep) x.close(); … if (keep) x.read()`
 * has no path through both.
 *
 * What counts as the same expression: a variable (a local, a parameter, an import), or a member
 * chain of one or of `this` — `state?.items?.length`, `this.options.keepOpen`, `list[0]` — with
 * `?.` and `.` alike (where an optional link short-circuits, the plain chain would throw, so no
 * path takes a different branch); its truthiness, or its comparison with a constant
 * (`x === undefined`, `x !== null`, `n > 0`), where `!==`/`!=` are the negations of `===`/`==`.
 * Variables are told apart by their declaration, never by their spelling.
 *
 * What changes a condition, between the two tests (anything else is assumed not to):
 * - an assignment (`=`, `+=`, `??=`, `++`, `delete`, a destructuring or `for…of` target, a new
 *   declaration) to the variable or to any link of the chain (`state = …`, `state.items = …`,
 *   `state.items.length = 0`), or to a computed member of a link (`state.items[i] = …` may change
 *   `state.items.length`);
 * - a method call on a link of the chain (`state.items.push(x)`, `state.reset()`, `this.reload()`)
 *   or a call that is given a link (`reset(state)`, `fill(state.items)`, `f(this)`): it may mutate
 *   what comes after that link; it cannot rebind the variable itself;
 * - for a variable that another function assigns (a callback's `done = true`, a callback's
 *   `state.items = []`, a module variable some function sets): any call, `new`, `await` or
 *   `yield`, since that other function may run then.
 * An unrelated call or an `await` does not: a parameter's property that some other holder of the
 * object changes while this function is suspended is out of reach of a syntactic analysis, and
 * assuming it may change everywhere would report code that is fine. Copies (`const items =
 * state.items; items.push(x)`) are not followed either.
 *
 * Cost: only conditions that the function tests at least twice are kept (one test alone can
 * contradict nothing), and a path keeps at most {@link MAX_FACTS} of them, so each node costs a
 * bounded amount whatever the length of the function.
 */

type Variable = TSESLint.Scope.Variable;

/** A variable, or a member chain of a variable or of `this`; `path` holds the member names. */
interface Chain {
  readonly root: Variable | 'this';
  readonly path: readonly string[];
}

/** A condition the analysis can recognise when it is tested again. */
export interface Condition {
  /** The same for every test of the same condition. */
  readonly id: string;
  readonly chain: Chain;
}

/** A test of a condition: `negated` when the test is true exactly when the condition is false (`x !== null`). */
export interface ConditionTest {
  readonly condition: Condition;
  readonly negated: boolean;
}

/** What the tests on a path said: for each condition, its outcome. */
export type Facts = ReadonlyMap<string, Fact>;

interface Fact {
  readonly condition: Condition;
  readonly outcome: boolean;
}

export const NO_FACTS: Facts = new Map();

/** The most facts one path keeps: past it, a new test is not remembered (so fewer closes are ruled out, never more). */
export const MAX_FACTS = 32;

/** A predicate of the conditions a node may change. */
export type Changed = (condition: Condition) => boolean;

/**
 * Something a node may change: a chain (or what follows its `path`, when `beyond`) written or
 * mutated, or every chain of a variable that another function assigns.
 */
interface Touch {
  readonly root: Variable | 'this';
  readonly path: readonly string[];
  /** Only what comes after `path` may change (a method call, a computed member write), not `path` itself. */
  readonly beyond: boolean;
}

const EQUALITY_NEGATIONS: Readonly<Record<string, string>> = { '!==': '===', '!=': '==' };
const COMPARISONS = new Set(['===', '!==', '==', '!=', '<', '<=', '>', '>=']);

/** Recognises conditions and what changes them, in one function (top-level code counts as one). */
export class ConditionKeys {
  private readonly tests = new Map<TSESTree.Node, ConditionTest | null>();
  private repeated: ReadonlySet<string> | undefined;
  /** Per condition, where its last test ends (Infinity when one is in a loop); filled with {@link repeated}. */
  private readonly lastTests = new Map<string, number>();
  private readonly changes = new Map<TSESTree.Node, Changed | null>();
  private readonly variableIds = new Map<Variable, number>();
  private readonly assignedElsewhere = new Map<Variable, boolean>();

  constructor(
    private readonly sourceCode: Readonly<TSESLint.SourceCode>,
    private readonly fn: FunctionNode | TSESTree.Program,
    private readonly visitorKeys: VisitorKeys,
  ) {}

  /**
   * The condition a branch test checks (the engine has already looked through `!`, `&&`, `||`),
   * when the function tests it more than once.
   */
  of(test: TSESTree.Node): ConditionTest | undefined {
    this.repeated ??= this.repeatedConditions();
    const found = this.rawTest(test);
    return found && this.repeated.has(found.condition.id) ? found : undefined;
  }

  private rawTest(test: TSESTree.Node): ConditionTest | undefined {
    let found = this.tests.get(test);
    if (found === undefined) {
      found = this.testOf(skipWrappers(test)) ?? null;
      this.tests.set(test, found);
    }
    return found ?? undefined;
  }

  /**
   * The conditions tested more than once in the function: at every place the flow engine may
   * refine on (the tests of `if`, `?:` and loops, the operands of `!`, `&&`, `||`, `&&=`, `||=`,
   * looking through `!`, `&&` and `||` in them), counted by condition. Places that are no test
   * only add conditions, which costs time but not precision.
   */
  private repeatedConditions(): Set<string> {
    const seen = new Set<string>();
    const repeated = new Set<string>();
    const add = (test: TSESTree.Node): void => {
      if (test.type === AST_NODE_TYPES.UnaryExpression && test.operator === '!') {
        add(test.argument);
        return;
      }
      if (test.type === AST_NODE_TYPES.LogicalExpression && test.operator !== '??') {
        add(test.left);
        add(test.right);
        return;
      }
      const id = this.rawTest(test)?.condition.id;
      if (id === undefined) return;
      if (seen.has(id)) repeated.add(id);
      else seen.add(id);
      // Where the last test of it ends; a test inside a loop may come again (never past it).
      const last = this.lastTests.get(id);
      const end = this.withinLoop(test) ? Infinity : test.range[1];
      if (last === undefined || end > last) this.lastTests.set(id, end);
    };
    const root = this.fn.type === AST_NODE_TYPES.Program ? this.fn : this.fn.body;
    const skip = (node: TSESTree.Node): boolean => node !== root && (isFunction(node) || isClass(node));
    walk(
      root,
      this.visitorKeys,
      node => {
        switch (node.type) {
          case AST_NODE_TYPES.IfStatement:
          case AST_NODE_TYPES.ConditionalExpression:
          case AST_NODE_TYPES.WhileStatement:
          case AST_NODE_TYPES.DoWhileStatement:
          case AST_NODE_TYPES.ForStatement:
            if (node.test) add(node.test);
            break;
          case AST_NODE_TYPES.UnaryExpression:
            if (node.operator === '!') add(node.argument);
            break;
          case AST_NODE_TYPES.LogicalExpression:
            if (node.operator !== '??') add(node.left);
            break;
          case AST_NODE_TYPES.AssignmentExpression:
            if (node.operator === '&&=' || node.operator === '||=') add(node.left);
            break;
          default:
            break;
        }
      },
      { skip, skipTypes: true },
    );
    return repeated;
  }

  /**
   * The facts a path can still use after `position` (a node's start): those of conditions tested
   * again later in the function. A fact of a condition whose every test ends before it (none in a
   * loop) can contradict no later test, so a close made there needs to carry none.
   */
  liveAfter(facts: Facts, position: number): Facts {
    if (facts.size === 0) return facts;
    this.repeated ??= this.repeatedConditions();
    let live: Map<string, Fact> | undefined;
    for (const id of facts.keys()) {
      if ((this.lastTests.get(id) ?? Infinity) > position) continue;
      live ??= new Map(facts);
      live.delete(id);
    }
    return live === undefined ? facts : live.size === 0 ? NO_FACTS : live;
  }

  /** Whether a test sits in a loop of the function (its body, test or update). */
  private withinLoop(test: TSESTree.Node): boolean {
    for (let node: TSESTree.Node | undefined = test.parent; node && node !== this.fn; node = node.parent) {
      if (LOOPS.has(node.type)) return true;
    }
    return false;
  }

  /** Whether the function tests some condition more than once: without, no path keeps a fact (see {@link of}). */
  keepsFacts(): boolean {
    this.repeated ??= this.repeatedConditions();
    return this.repeated.size > 0;
  }

  /** Which conditions evaluating the node (after its children) may change; undefined when none. */
  changedBy(node: TSESTree.Node): Changed | undefined {
    // Most nodes change nothing: answered from their kind, without a look-up in a map of every node.
    if (!mayChange(node)) return undefined;
    let found = this.changes.get(node);
    if (found === undefined) {
      found = this.changeOf(node) ?? null;
      this.changes.set(node, found);
    }
    return found ?? undefined;
  }

  private testOf(expression: TSESTree.Node): ConditionTest | undefined {
    if (expression.type === AST_NODE_TYPES.BinaryExpression && COMPARISONS.has(expression.operator)) {
      return this.comparisonOf(expression);
    }
    const chain = this.chainOf(expression);
    return chain && { condition: { id: this.idOf(chain), chain }, negated: false };
  }

  /** A chain compared with a constant: `x === undefined`, `null != x`, `n > 0`. */
  private comparisonOf(test: TSESTree.BinaryExpression): ConditionTest | undefined {
    const negation = EQUALITY_NEGATIONS[test.operator];
    const operator = negation ?? test.operator;
    const symmetric = operator === '===' || operator === '==';
    let chain = test.left.type === AST_NODE_TYPES.PrivateIdentifier ? undefined : this.chainOf(skipWrappers(test.left));
    let constant = constantText(test.right, operator);
    if ((!chain || constant === undefined) && symmetric && test.left.type !== AST_NODE_TYPES.PrivateIdentifier) {
      chain = this.chainOf(skipWrappers(test.right));
      constant = constantText(test.left, operator);
    }
    if (!chain || constant === undefined) return undefined;
    return { condition: { id: `${this.idOf(chain)} ${operator} ${constant}`, chain }, negated: negation !== undefined };
  }

  /** The chain an expression names, when it is a side-effect-free one (`a`, `a.b?.c`, `this.d`, `a[0]`, `this.#e`). */
  private chainOf(expression: TSESTree.Node): Chain | undefined {
    const path: string[] = [];
    let current = expression;
    while (current.type === AST_NODE_TYPES.MemberExpression) {
      const name = staticName(current);
      if (name === undefined) return undefined;
      path.unshift(name);
      current = skipWrappers(current.object);
    }
    const root = this.rootOf(current);
    return root && { root, path };
  }

  private rootOf(node: TSESTree.Node): Variable | 'this' | undefined {
    if (node.type === AST_NODE_TYPES.ThisExpression) return 'this';
    if (node.type !== AST_NODE_TYPES.Identifier) return undefined;
    const variable = ASTUtils.findVariable(this.sourceCode.getScope(node), node.name);
    // A global the program does not declare (`undefined`, a lib global) is no local or parameter.
    return variable && variable.defs.length > 0 ? variable : undefined;
  }

  private idOf(chain: Chain): string {
    let root = 'this';
    if (chain.root !== 'this') {
      let id = this.variableIds.get(chain.root);
      if (id === undefined) {
        id = this.variableIds.size;
        this.variableIds.set(chain.root, id);
      }
      root = `v${id}`;
    }
    return [root, ...chain.path.map(name => JSON.stringify(name))].join('.');
  }

  private changeOf(node: TSESTree.Node): Changed | undefined {
    const touches: Touch[] = [];
    let suspends = false;
    switch (node.type) {
      case AST_NODE_TYPES.AssignmentExpression:
        this.written(node.left, touches);
        break;
      case AST_NODE_TYPES.UpdateExpression:
        this.written(node.argument, touches);
        break;
      case AST_NODE_TYPES.UnaryExpression:
        if (node.operator === 'delete') this.written(node.argument, touches);
        break;
      case AST_NODE_TYPES.VariableDeclarator:
        this.written(node.id, touches);
        break;
      case AST_NODE_TYPES.Identifier:
      case AST_NODE_TYPES.MemberExpression:
        if (isLoopHead(node)) this.written(node, touches);
        break;
      case AST_NODE_TYPES.CallExpression:
      case AST_NODE_TYPES.NewExpression:
        this.mutated(node, touches);
        suspends = true;
        break;
      case AST_NODE_TYPES.AwaitExpression:
      case AST_NODE_TYPES.YieldExpression:
      case AST_NODE_TYPES.TaggedTemplateExpression:
        suspends = true;
        break;
      default:
        break;
    }
    if (touches.length === 0 && !suspends) return undefined;
    return condition =>
      touches.some(touch => changes(touch, condition.chain)) || (suspends && this.isAssignedElsewhere(condition.chain.root));
  }

  /** The chains a write target (an identifier, a member, a destructuring pattern) gives a new value. */
  private written(target: TSESTree.Node, touches: Touch[]): void {
    const expression = skipWrappers(target);
    switch (expression.type) {
      case AST_NODE_TYPES.Identifier:
      case AST_NODE_TYPES.MemberExpression: {
        const touch = this.touchOf(expression, false);
        if (touch) touches.push(touch);
        break;
      }
      case AST_NODE_TYPES.ObjectPattern:
        for (const property of expression.properties) {
          this.written(property.type === AST_NODE_TYPES.Property ? property.value : property.argument, touches);
        }
        break;
      case AST_NODE_TYPES.ArrayPattern:
        for (const element of expression.elements) if (element) this.written(element, touches);
        break;
      case AST_NODE_TYPES.AssignmentPattern:
        this.written(expression.left, touches);
        break;
      case AST_NODE_TYPES.RestElement:
        this.written(expression.argument, touches);
        break;
      default:
        break;
    }
  }

  /** A call may mutate its receiver's chain and the chains it is given (`this` included). */
  private mutated(call: TSESTree.CallExpression | TSESTree.NewExpression, touches: Touch[]): void {
    const callee = skipWrappers(call.callee);
    if (callee.type === AST_NODE_TYPES.MemberExpression) {
      const receiver = skipWrappers(callee.object);
      const touch =
        receiver.type === AST_NODE_TYPES.Super ? { root: 'this' as const, path: [], beyond: true } : this.touchOf(receiver, true);
      if (touch) touches.push(touch);
    }
    for (const argument of call.arguments) {
      const value = skipWrappers(argument.type === AST_NODE_TYPES.SpreadElement ? argument.argument : argument);
      const touch = this.touchOf(value, true);
      if (touch) touches.push(touch);
    }
  }

  /**
   * The chain an expression writes or mutates, up to its first computed member that is not a
   * literal name (`state.items[i].x` touches what follows `state.items`); a write to a computed
   * member (`list[3] = v`) touches what follows the list, its `length` included.
   */
  private touchOf(expression: TSESTree.Node, mutation: boolean): Touch | undefined {
    const links: TSESTree.MemberExpression[] = [];
    let current = expression;
    while (current.type === AST_NODE_TYPES.MemberExpression) {
      links.unshift(current);
      current = skipWrappers(current.object);
    }
    const root = this.rootOf(current);
    if (!root) return undefined;
    const path: string[] = [];
    for (const link of links) {
      const name = staticName(link);
      if (name === undefined || link.computed) return { root, path, beyond: true };
      path.push(name);
    }
    return { root, path, beyond: mutation };
  }

  /**
   * Whether another function assigns the variable or a member chain of it (a callback's
   * `done = true` or `state.items = []`): then it may change at any call or suspension.
   */
  private isAssignedElsewhere(root: Variable | 'this'): boolean {
    if (root === 'this') return false;
    let assigned = this.assignedElsewhere.get(root);
    if (assigned === undefined) {
      assigned = root.references.some(reference => reference.from.variableScope.block !== this.fn && writesThrough(reference));
      this.assignedElsewhere.set(root, assigned);
    }
    return assigned;
  }
}

/** Whether evaluating the node may change a condition at all (the kinds of node {@link ConditionKeys.changeOf} looks at). */
function mayChange(node: TSESTree.Node): boolean {
  switch (node.type) {
    case AST_NODE_TYPES.AssignmentExpression:
    case AST_NODE_TYPES.UpdateExpression:
    case AST_NODE_TYPES.VariableDeclarator:
    case AST_NODE_TYPES.CallExpression:
    case AST_NODE_TYPES.NewExpression:
    case AST_NODE_TYPES.AwaitExpression:
    case AST_NODE_TYPES.YieldExpression:
    case AST_NODE_TYPES.TaggedTemplateExpression:
      return true;
    case AST_NODE_TYPES.UnaryExpression:
      return node.operator === 'delete';
    case AST_NODE_TYPES.Identifier:
    case AST_NODE_TYPES.MemberExpression:
      return isLoopHead(node);
    default:
      return false;
  }
}

/** The `left` of a `for…of`/`for…in`: written at each iteration. */
function isLoopHead(node: TSESTree.Node): boolean {
  const parent = node.parent;
  return (parent?.type === AST_NODE_TYPES.ForOfStatement || parent?.type === AST_NODE_TYPES.ForInStatement) && parent.left === node;
}

/** Whether a touch may change the chain. */
function changes(touch: Touch, chain: Chain): boolean {
  if (touch.root !== chain.root) return false;
  if (touch.beyond ? chain.path.length <= touch.path.length : chain.path.length < touch.path.length) return false;
  return touch.path.every((name, index) => chain.path[index] === name);
}

/** Whether a reference writes the variable or a member chain of it. */
function writesThrough(reference: TSESLint.Scope.Reference): boolean {
  if (reference.isWrite()) return reference.init !== true;
  let node: TSESTree.Node = reference.identifier;
  while (node.parent.type === AST_NODE_TYPES.MemberExpression && node.parent.object === node) node = node.parent;
  return node !== reference.identifier && isWriteTarget(node, { destructuring: true });
}

/** The name of a member link: `.b`, `?.b`, `.#b`, `['b']`, `[0]`; undefined for another computed key. */
function staticName(member: TSESTree.MemberExpression): string | undefined {
  const property = member.property;
  if (!member.computed)
    return property.type === AST_NODE_TYPES.PrivateIdentifier ? `#${property.name}` : (property as TSESTree.Identifier).name;
  if (property.type === AST_NODE_TYPES.Literal && (typeof property.value === 'string' || typeof property.value === 'number')) {
    return String(property.value);
  }
  return undefined;
}

/** A constant a chain is compared with, as text (`undefined` and `null` are one for `==`); undefined for anything else. */
function constantText(node: TSESTree.Node, operator: string): string | undefined {
  const expression = skipWrappers(node);
  if (expression.type === AST_NODE_TYPES.Identifier && expression.name === 'undefined') return operator === '==' ? 'null' : 'undefined';
  if (expression.type === AST_NODE_TYPES.TemplateLiteral && expression.expressions.length === 0) {
    return JSON.stringify(expression.quasis[0]?.value.cooked ?? '');
  }
  if (expression.type === AST_NODE_TYPES.UnaryExpression && expression.operator === '-') {
    const argument = constantText(expression.argument, operator);
    return argument !== undefined && /^\d/.test(argument) ? `-${argument}` : undefined;
  }
  if (expression.type !== AST_NODE_TYPES.Literal || 'regex' in expression) return undefined;
  if ('bigint' in expression) return `${expression.bigint}n`;
  const value = expression.value;
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

// -----------------------------------------------------------------------------------------
// Facts

/** The facts once the test said `outcome` (true: the test passed). */
export function assume(facts: Facts, test: ConditionTest, outcome: boolean): Facts {
  const value = outcome !== test.negated;
  const known = facts.get(test.condition.id);
  if (known?.outcome === value || (known === undefined && facts.size >= MAX_FACTS)) return facts;
  const next = new Map(facts);
  next.set(test.condition.id, { condition: test.condition, outcome: value });
  return next;
}

/** Whether the facts say the test cannot have `outcome`. */
export function contradicts(facts: Facts, test: ConditionTest, outcome: boolean): boolean {
  const known = facts.get(test.condition.id);
  return known !== undefined && known.outcome !== (outcome !== test.negated);
}

/** What two paths agree on. */
export function meetFacts(a: Facts, b: Facts): Facts {
  if (a === b || a.size === 0) return a;
  if (b.size === 0) return b;
  let next: Map<string, Fact> | undefined;
  for (const [id, fact] of a) {
    if (b.get(id)?.outcome === fact.outcome) continue;
    next ??= new Map(a);
    next.delete(id);
  }
  return next ?? a;
}

export function sameFacts(a: Facts, b: Facts): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const [id, fact] of a) if (b.get(id)?.outcome !== fact.outcome) return false;
  return true;
}

/** The facts without those a node changed. */
export function withoutChanged(facts: Facts, changed: Changed): Facts {
  let next: Map<string, Fact> | undefined;
  for (const [id, fact] of facts) {
    if (!changed(fact.condition)) continue;
    next ??= new Map(facts);
    next.delete(id);
  }
  return next ?? facts;
}

const LOOPS: ReadonlySet<string> = new Set([
  AST_NODE_TYPES.ForStatement,
  AST_NODE_TYPES.ForInStatement,
  AST_NODE_TYPES.ForOfStatement,
  AST_NODE_TYPES.WhileStatement,
  AST_NODE_TYPES.DoWhileStatement,
]);
