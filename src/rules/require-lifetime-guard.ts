import { AST_NODE_TYPES, AST_TOKEN_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import ts from '../util/typescript.cjs';
import { analyzeFunction } from '../model/flow.js';
import {
  LISTENER_METHODS,
  declarationHasTag,
  getNativeHandleServices,
  isConventionalGuardFlag,
  isConventionalGuardMethodName,
  isNativeResource,
  memberNameOf,
  propertyKeyName,
  thisFieldName,
  throwingGuardKind,
  type LivenessMembers,
  type NativeHandleServices,
  type Owner,
  type Role,
  type ThrowingGuardKind,
} from '../model/index.js';
import { isTeardownSafeCall } from '../model/lifetime.js';
import {
  childContaining,
  comparedOperands,
  indentOf,
  isClass,
  isFunction,
  isNullish,
  isSuspension,
  isWriteTarget,
  lineBreakOf,
  linesBefore,
  outerWrapper,
  skipWrappers,
  some,
  statementList,
  walk,
  type FunctionNode,
  type VisitorKeys,
} from '../util/ast.js';
import { createRule } from './createRule.js';
import { referencesOf } from '../model/references.js';
import { joinSetMaps, sameSetMaps, withoutKeys } from '../model/util.js';

export type MessageIds = 'unguardedAfterAwait' | 'rawHandleAfterAwait' | 'unguardedInCallback' | 'acquiredAfterAwait' | 'insertFlagCheck';
export type Options = [{ allOwnedFields?: boolean }];

export default createRule<Options, MessageIds>({
  name: 'require-lifetime-guard',
  meta: {
    type: 'problem',
    docs: {
      description: 'Require a liveness check before an owner class uses its resources after an await or in a later callback',
      recommended: true,
      strictOptions: [{ allOwnedFields: true }],
      requiresTypeChecking: true,
    },
    fixable: 'code',
    hasSuggestions: true,
    messages: {
      unguardedAfterAwait:
        '`this.{{field}}` ({{owner}}) is used after an `await` with no check that this {{className}} is still open. Another caller may have closed it while this code was suspended, and the call then fails (EBADF, ERR_STREAM_DESTROYED). Check the closed flag, or call the class\'s throwing guard, between the await and the use.',
      unguardedInCallback:
        '`this.{{field}}` ({{owner}}) is used in a later callback with no check that this {{className}} is still open. It may have been closed before the callback runs. Check the closed flag at the start of the callback.',
        rawHandleAfterAwait:
          '`this.{{field}}` (a raw handle) is read after an `await` with no check that this {{className}} is still open. A close() during the await freed the number, which may already belong to an unrelated file or socket. Check the closed flag, or call the class\'s throwing guard, between the await and the use.',
        acquiredAfterAwait:
          '`this.{{field}}` gets a newly acquired {{owner}} after an `await` with no check that this {{className}} is still open. If it was closed meanwhile (or before a later callback ran), nothing will ever close the new one: a leak, the close undone. Check the closed flag before acquiring, or close the new resource when the flag says closed.',
      insertFlagCheck: 'Throw when this {{className}} is closed: insert `if (this.{{flag}}) throw new Error(…)` before the use.',
    },
    schema: [
      {
        type: 'object',
        properties: {
          allOwnedFields: {
            type: 'boolean',
            description:
              'Also report uses of owned fields that are Node built-ins or inferred owner classes (which fail with a clean error after close), not only native resources (tagged, configured, known native packages).',
          },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ allOwnedFields: false }],
  },
  create(context, [{ allOwnedFields = false }]) {
    const services = getNativeHandleServices(context);
    const frames: ClassFrame[] = [];
    const enterClass = (node: ClassNode): void => {
      frames.push({ node, functions: [], usesThis: false });
    };
    const exitClass = (): void => {
      const frame = frames.pop();
      if (frame && frame.usesThis && frame.functions.length > 0) checkClass(context, services, frame, allOwnedFields);
    };
    return {
      ClassDeclaration: enterClass,
      ClassExpression: enterClass,
      'ClassDeclaration:exit': exitClass,
      'ClassExpression:exit': exitClass,
      ':function'(node: FunctionNode) {
        const frame = frames[frames.length - 1];
        if (frame && (node.async || node.type === AST_NODE_TYPES.ArrowFunctionExpression)) frame.functions.push(node);
      },
      'MemberExpression[object.type="ThisExpression"]'() {
        const frame = frames[frames.length - 1];
        if (frame) frame.usesThis = true;
      },
    };
  },
});

type Context = Readonly<TSESLint.RuleContext<MessageIds, Options>>;
type ClassNode = TSESTree.ClassDeclaration | TSESTree.ClassExpression;

interface ClassFrame {
  readonly node: ClassNode;
  /** Async functions and arrow functions met inside the class body (nested classes have their own frame). */
  readonly functions: FunctionNode[];
  usesThis: boolean;
}

/** Marks facts that hold at the entry of a nested function: they stand for the enclosing function's state. */
class Entry {
  constructor(readonly fn: FunctionNode) {}
}
/** What made a field unguarded: an `await`/`yield`, a `for await` loop, a deferred callback's start, or a nested function's entry. */
type Origin = TSESTree.Node | Entry;
/** The resource fields that may be unguarded here, each with the awaits (or callback starts) it is unguarded since. */
type State = ReadonlyMap<string, ReadonlySet<Origin>>;

interface Finding {
  readonly node: TSESTree.Node;
  readonly field: string;
  readonly origins: ReadonlySet<Origin>;
  /** The function whose own awaits (or start) the origins are. */
  readonly fn: FunctionNode;
  /** §3.2 (b): a newly acquired owner stored after an unrelated await (else a use, (a) or (c)). */
  readonly acquired?: true;
}

/** How a function inside an owner class is analysed. */
type Category =
  | { readonly kind: 'method' }
  | { readonly kind: 'callback'; readonly exempt: string | undefined; readonly cleared: boolean }
  | { readonly kind: 'nested'; readonly standalone: boolean }
  | { readonly kind: 'none' };

/** What the rule knows about one owner class (spec §2.4), with the extra liveness signals it accepts. */
interface ClassInfo {
  readonly node: ClassNode;
  readonly name: string;
  /** The owned resource fields (spec §2.4); borrowed and unknown ones are left out. */
  readonly fields: ReadonlyMap<string, Owner>;
  /** Fields holding a raw handle the class owns (§3.2 (a)): every read after an await is reported. */
  readonly rawFields: ReadonlySet<string>;
  /** The owned fields whose uses (§3.2 (c)) are reported; raw-handle reads (a) are reported for every owned field. */
  readonly reportedUses: ReadonlySet<string>;
  readonly classOwner: Owner | undefined;
  readonly closeMethods: ReadonlySet<string>;
  /** Flags and getters that are true when the object is closed. */
  readonly flags: ReadonlySet<string>;
  /** Methods whose call is a liveness guard (throw when the object is closed). */
  readonly guardMethods: ReadonlySet<string>;
  /** Instance methods the class declares itself with a body: only their bodies decide whether they guard. */
  readonly ownBodies: ReadonlySet<string>;
  /** Liveness state of unknown polarity: fields the close method writes, getters and methods reading a flag. */
  readonly stateMembers: ReadonlySet<string>;
  /** Resource fields set to `undefined`/`null` somewhere: a nullish check of them is a liveness check. */
  readonly nulledFields: ReadonlySet<string>;
  /** Own methods that are `async` or verifiably reject when closed: a call of one guards only when awaited (spec §2.4). */
  readonly asyncMethods: ReadonlySet<string>;
  /** The class's own guard method that verifiably throws when closed, which the autofix inserts (spec §3.2 fix). */
  readonly fixGuard: { readonly name: string; readonly kind: ThrowingGuardKind } | undefined;
  /** The flag the suggestion checks. */
  readonly fixFlag: string | undefined;
}

/** What a condition operand says about liveness (see `ClassAnalysis.probe`). */
type Probe =
  | { readonly kind: 'flag' }
  | { readonly kind: 'state' }
  | { readonly kind: 'field'; readonly field: string }
  | { readonly kind: 'fieldFlag'; readonly field: string }
  | { readonly kind: 'fieldState'; readonly field: string };

const CLEAR_TIMERS = new Set(['clearTimeout', 'clearInterval', 'clearImmediate']);
const REMOVE_LISTENER = new Set(['off', 'removeListener', 'removeAllListeners', 'removeEventListener']);
const NEUTRAL_ROLES: readonly Role[] = ['close', 'cancel', 'release'];
const COMPARISONS = new Set(['===', '!==', '==', '!=', '<', '<=', '>', '>=']);
/** The class's own code: walks leave nested classes out. */
const OWN_CODE = { skip: isClass } as const;

function checkClass(context: Context, services: NativeHandleServices, frame: ClassFrame, allOwnedFields: boolean): void {
  const info = describeClass(services, frame.node, context.sourceCode.visitorKeys, allOwnedFields);
  if (!info) return;
  const analysis = new ClassAnalysis(context, services, info);
  const findings = new Map<string, Finding & { origins: Set<Origin> }>();
  for (const fn of frame.functions) {
    for (const finding of analysis.standaloneFindings(fn)) {
      const origins = [...finding.origins].filter(origin => !(origin instanceof Entry));
      if (origins.length === 0) continue;
      const key = `${String(finding.node.range[0])}:${finding.field}`;
      const known = findings.get(key);
      if (known) for (const origin of origins) known.origins.add(origin);
      else findings.set(key, { ...finding, origins: new Set(origins) });
    }
  }
  for (const finding of findings.values()) report(context, info, finding);
}

// -----------------------------------------------------------------------------------------
// The owner class

function describeClass(services: NativeHandleServices, node: ClassNode, visitorKeys: VisitorKeys, allOwnedFields: boolean): ClassInfo | undefined {
  const resources = services.classResources(node);
  if (!resources) return undefined;
  const { ownerClass, classOwner, resourceFields, ownedFields: fields, rawFields, ownership } = resources;
  const reportedUses = new Set([...fields].filter(([, owner]) => allOwnedFields || isNativeResource(owner)).map(([name]) => name));
  const closeMethods = ownership.closeMethods;
  const members = new Map<string, TSESTree.ClassElement>();
  for (const member of node.body.body) {
    const name = memberName(member);
    if (name !== undefined && !('static' in member && member.static) && !members.has(name)) members.set(name, member);
  }
  const ownBodies = ownMethodBodies(node);
  const flags = new Set(ownerClass?.guardFlags ?? []);
  const guardMethods = new Set(ownerClass?.guardMethods ?? []);
  for (const name of classOwner?.roles.guard ?? []) {
    if (!isMethodMember(services, node, name)) flags.add(name);
    else if (!isUncheckedDefaultGuard(services, node, ownBodies, name)) guardMethods.add(name);
  }
  const stateMembers = new Set([...ownership.stateFields].filter(name => !resourceFields.has(name)));
  const testedOnly = ownership.nullableStateFields;
  addLivenessReaders(members, { liveness: new Set([...flags, ...stateMembers]), testedOnly }, stateMembers, guardMethods, visitorKeys);
  const nulledFields = new Set([...ownership.nulledFields].filter(name => fields.has(name) || rawFields.has(name)));
  const signals: LivenessSignals = { services, liveness: new Set([...flags, ...stateMembers]), testedOnly, fields, nulledFields, ownBodies };
  addConventionalGuards(signals, guardMethods, visitorKeys);
  const liveness: LivenessMembers = { closedFlags: flags, states: new Set([...stateMembers, ...nulledFields]) };
  const guards = throwingGuards(services, members, guardMethods, liveness);
  return {
    node,
    name: className(node),
    fields,
    rawFields,
    reportedUses,
    classOwner,
    closeMethods,
    flags,
    guardMethods,
    ownBodies: new Set(ownBodies.keys()),
    stateMembers,
    nulledFields,
    asyncMethods: new Set([...ownBodies].filter(([name, body]) => body.async || guards.kindOf(name) === 'async').map(([name]) => name)),
    fixGuard: guards.fixGuard,
    fixFlag: [...flags]
      .sort((a, b) => Number(members.has(b)) - Number(members.has(a)))
      .find(name => isAccessibleFlag(services, node, members, name)),
  };
}

function className(node: ClassNode): string {
  if (node.id) return node.id.name;
  const parent = node.parent;
  return parent.type === AST_NODE_TYPES.VariableDeclarator && parent.id.type === AST_NODE_TYPES.Identifier ? parent.id.name : 'object';
}

function memberName(member: TSESTree.ClassElement): string | undefined {
  if (member.type === AST_NODE_TYPES.StaticBlock || member.type === AST_NODE_TYPES.TSIndexSignature) return undefined;
  return propertyKeyName(member.key, member.computed);
}

function isMethodMember(services: NativeHandleServices, node: ClassNode, name: string): boolean {
  const own = node.body.body.find(member => memberName(member) === name);
  if (own) return own.type === AST_NODE_TYPES.MethodDefinition && own.kind === 'method';
  const classType = services.checker.getTypeAtLocation(services.tsNodeOf(node));
  const type = classType.getConstructSignatures()[0]?.getReturnType() ?? classType;
  const property = type.getProperties().find(symbol => symbol.name === name);
  return property?.declarations?.some(declaration => ts.isMethodDeclaration(declaration) || ts.isMethodSignature(declaration)) ?? false;
}

/**
 * Getters and methods of the class that read a liveness flag (`get isOpen() { return !this.closed }`)
 * are liveness checks of unknown polarity; such a method that also throws is a throwing guard.
 */
function addLivenessReaders(
  members: ReadonlyMap<string, TSESTree.ClassElement>,
  state: Pick<LivenessSignals, 'liveness' | 'testedOnly'>,
  stateMembers: Set<string>,
  guardMethods: Set<string>,
  visitorKeys: VisitorKeys,
): void {
  for (const [name, member] of members) {
    if (member.type !== AST_NODE_TYPES.MethodDefinition || (member.kind !== 'get' && member.kind !== 'method')) continue;
    const seen = { reads: false, throws: false };
    const visit = (inner: TSESTree.Node): void => {
      const read = inner.type === AST_NODE_TYPES.MemberExpression ? thisFieldName(inner) : undefined;
      if (read !== undefined && (readsState(inner, read, state) || isConventionalGuardFlag(read))) seen.reads = true;
      if (inner.type === AST_NODE_TYPES.ThrowStatement) seen.throws = true;
    };
    walk(member.value, visitorKeys, visit, OWN_CODE);
    if (!seen.reads) continue;
    stateMembers.add(name);
    if (seen.throws && member.kind === 'method' && !member.value.async) guardMethods.add(name);
  }
}

/**
 * The guard the autofix may insert: the first own method that the detection counts as a guard
 * and the model verifies throws (or rejects) when the object is closed and does nothing else
 * (`throwingGuardKind`). Chosen by what its body does, never by its name: a
 * `throwIfClosed(): boolean` that only reports is a flag read. Also answers how each method guards.
 */
function throwingGuards(
  services: NativeHandleServices,
  members: ReadonlyMap<string, TSESTree.ClassElement>,
  guardMethods: ReadonlySet<string>,
  liveness: LivenessMembers,
): { fixGuard: ClassInfo['fixGuard']; kindOf: (name: string) => ThrowingGuardKind | undefined } {
  const kinds = new Map<string, ThrowingGuardKind | null>();
  const kindOf = (name: string): ThrowingGuardKind | undefined => {
    if (!kinds.has(name)) {
      kinds.set(name, null); // a guard that calls itself is no guard
      const member = members.get(name);
      const method = member?.type === AST_NODE_TYPES.MethodDefinition && member.kind === 'method' && !member.computed ? member : undefined;
      const declaration = method ? (services.tsNodeOf(method) as ts.MethodDeclaration) : undefined;
      kinds.set(name, declaration ? (throwingGuardKind(services.model, declaration, { ...liveness, guardKind: kindOf }) ?? null) : null);
    }
    return kinds.get(name) ?? undefined;
  };
  for (const name of members.keys()) {
    const kind = guardMethods.has(name) ? kindOf(name) : undefined;
    if (kind) return { fixGuard: { name, kind }, kindOf };
  }
  return { fixGuard: undefined, kindOf };
}

/** Whether reading `this.<name>` here reads liveness state: a flag or state field (a nullable one only where tested). */
function readsState(node: TSESTree.Node, name: string, state: Pick<LivenessSignals, 'liveness' | 'testedOnly'>): boolean {
  return state.liveness.has(name) && (!state.testedOnly.has(name) || isInspected(outerWrapper(node)));
}

// -----------------------------------------------------------------------------------------
// Guard methods (spec §2.4: a conventionally named method is a guard only when it reads a flag)

type MethodBody = TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression;
type GuardMethods = Pick<ClassInfo, 'guardMethods' | 'ownBodies'>;

/** What counts as reading liveness in a guard method's body. */
interface LivenessSignals {
  readonly services: NativeHandleServices;
  /** Flags, state fields, and getters or methods reading them. */
  readonly liveness: ReadonlySet<string>;
  /** State fields holding a nullable object (`this.error`): liveness only where tested. */
  readonly testedOnly: ReadonlySet<string>;
  readonly fields: ReadonlyMap<string, Owner>;
  readonly nulledFields: ReadonlySet<string>;
  readonly ownBodies: ReadonlyMap<string, MethodBody>;
}

/** The instance methods (and function-valued fields) the class declares with a body, by name. */
function ownMethodBodies(node: ClassNode): Map<string, MethodBody> {
  const bodies = new Map<string, MethodBody>();
  for (const member of node.body.body) {
    if (member.type !== AST_NODE_TYPES.MethodDefinition && member.type !== AST_NODE_TYPES.PropertyDefinition) continue;
    if (member.static || (member.type === AST_NODE_TYPES.MethodDefinition && member.kind !== 'method')) continue;
    const value = member.value;
    const name = memberName(member);
    if (name === undefined || (value?.type !== AST_NODE_TYPES.FunctionExpression && value?.type !== AST_NODE_TYPES.ArrowFunctionExpression)) continue;
    bodies.set(name, value);
  }
  return bodies;
}

/**
 * A guard-role member that a tagged or configured owner gets only by its conventional name, for
 * a method the class declares itself: its body decides, as for an inferred owner class. A
 * `@lifetimeGuard` tag or a configured `guard` entry keeps it a guard.
 */
function isUncheckedDefaultGuard(services: NativeHandleServices, node: ClassNode, ownBodies: ReadonlyMap<string, MethodBody>, name: string): boolean {
  if (!ownBodies.has(name) || !isConventionalGuardMethodName(name)) return false;
  const tagged = node.body.body.some(member => memberName(member) === name && declarationHasTag(services.tsNodeOf(member), 'lifetimeGuard', services.checker));
  return !tagged && !services.model.settings.resources.some(resource => resource.roles.guard?.includes(name));
}

/**
 * Whether `this.<name>()` is a guard: a known guard method, or a conventionally named one the
 * class does not declare itself (inherited, often from a declaration file: its body is unknown).
 */
function isGuardCall(info: GuardMethods, name: string): boolean {
  return info.guardMethods.has(name) || (isConventionalGuardMethodName(name) && !info.ownBodies.has(name));
}

/**
 * The class's own conventionally named synchronous methods that read liveness less directly
 * than the model checks: through a getter (`if (!this.isOpen)`), the resource's own guard
 * (`this.sock.destroyed`), a nullish test of a field close clears, or a call of another guard.
 */
function addConventionalGuards(signals: LivenessSignals, guardMethods: Set<string>, visitorKeys: VisitorKeys): void {
  const info: GuardMethods = { guardMethods, ownBodies: new Set(signals.ownBodies.keys()) };
  for (let changed = true; changed; ) {
    changed = false;
    for (const [name, body] of signals.ownBodies) {
      if (guardMethods.has(name) || !isConventionalGuardMethodName(name) || body.async || body.generator) continue;
      if (!some(body, visitorKeys, inner => readsLiveness(inner, signals) || isGuardCallNode(inner, info), OWN_CODE)) continue;
      guardMethods.add(name);
      changed = true;
    }
  }
}

function readsLiveness(node: TSESTree.Node, signals: LivenessSignals): boolean {
  if (node.type !== AST_NODE_TYPES.MemberExpression) return false;
  const name = thisFieldName(node);
  if (name !== undefined) {
    if (readsState(node, name, signals) || isConventionalGuardFlag(name)) return true;
    return signals.nulledFields.has(name) && isInspected(outerWrapper(node));
  }
  const field = thisFieldName(node.object);
  const owner = field === undefined ? undefined : signals.fields.get(field);
  return owner !== undefined && signals.services.model.hasRole(owner, 'guard', memberNameOf(node));
}

function isGuardCallNode(node: TSESTree.Node, info: GuardMethods): boolean {
  if (node.type !== AST_NODE_TYPES.CallExpression) return false;
  const name = thisFieldName(node.callee);
  return name !== undefined && isGuardCall(info, name);
}

/** Whether `this.<name>` can be written inside the class (not a base class's `private` or `#` member). */
function isAccessibleFlag(
  services: NativeHandleServices,
  node: ClassNode,
  members: ReadonlyMap<string, TSESTree.ClassElement>,
  name: string,
): boolean {
  const own = members.get(name);
  if (own) return !('computed' in own && own.computed);
  if (name.startsWith('#') || !/^[A-Za-z_$][\w$]*$/.test(name)) return false;
  const classType = services.checker.getTypeAtLocation(services.tsNodeOf(node));
  const type = classType.getConstructSignatures()[0]?.getReturnType() ?? classType;
  const declaration = type.getProperty(name)?.declarations?.[0];
  return declaration !== undefined && (ts.getCombinedModifierFlags(declaration) & ts.ModifierFlags.Private) === 0;
}

// -----------------------------------------------------------------------------------------
// The flow analysis of one owner class

class ClassAnalysis {
  private readonly categories = new Map<FunctionNode, Category>();
  private readonly results = new Map<FunctionNode, Finding[]>();
  private readonly entryUses = new Map<FunctionNode, Map<string, TSESTree.Node[]>>();
  private readonly closeLike = new Map<TSESTree.MethodDefinition, boolean>();
  private clearedTimers: Set<string> | undefined;
  /** Per class member: local names assigned to a resource field (`this.sock = sock`). */
  /** Per class member: the locals and parameters a resource field was set from (`this.sock = sock`), by scope variable. */
  private readonly aliases = new Map<TSESTree.ClassElement, Map<TSESLint.Scope.Variable, string>>();

  constructor(
    private readonly context: Context,
    private readonly services: NativeHandleServices,
    private readonly info: ClassInfo,
  ) {}

  private get visitorKeys(): VisitorKeys {
    return this.context.sourceCode.visitorKeys;
  }

  /** The findings a function yields on its own: async methods, deferred callbacks, nested async functions. */
  standaloneFindings(fn: FunctionNode): readonly Finding[] {
    const category = this.categoryOf(fn);
    if (category.kind === 'method' || category.kind === 'callback') return this.findingsOf(fn);
    if (category.kind === 'nested' && category.standalone && fn.async) return this.findingsOf(fn);
    return [];
  }

  private findingsOf(fn: FunctionNode): readonly Finding[] {
    const cached = this.results.get(fn);
    if (cached) return cached;
    const findings: Finding[] = [];
    this.results.set(fn, findings);
    const category = this.categoryOf(fn);
    let initial: State = new Map();
    if (category.kind === 'callback' && !category.cleared) initial = this.unguardAll(initial, fn, category.exempt);
    if (category.kind === 'nested') initial = this.unguardAll(initial, new Entry(fn));
    analyzeFunction(
      fn,
      {
        initial,
        join: joinSetMaps,
        equals: sameSetMaps,
        transfer: (node, state) => this.transfer(node, state, fn, findings),
        refine: (test, outcome, state) => this.refine(test, outcome, state),
      },
      this.context.sourceCode.visitorKeys,
    );
    return findings;
  }

  // ---------------------------------------------------------------------------------------
  // Which functions are analysed, and how

  categoryOf(fn: FunctionNode): Category {
    let category = this.categories.get(fn);
    if (!category) {
      category = this.computeCategory(fn);
      this.categories.set(fn, category);
    }
    return category;
  }

  private computeCategory(fn: FunctionNode): Category {
    const parent = fn.parent;
    if (fn.type !== AST_NODE_TYPES.ArrowFunctionExpression) {
      const member = parent.type === AST_NODE_TYPES.MethodDefinition || parent.type === AST_NODE_TYPES.PropertyDefinition ? parent : undefined;
      if (!member || member.static || member.parent.parent !== this.info.node || !fn.async) return { kind: 'none' };
      if (member.type === AST_NODE_TYPES.MethodDefinition && (member.kind !== 'method' || this.isCloseLike(member))) return { kind: 'none' };
      return { kind: 'method' };
    }
    const home = this.lexicalThisMember(fn);
    if (!home) return { kind: 'none' };
    if (parent.type === AST_NODE_TYPES.PropertyDefinition && parent.value === fn) return fn.async ? { kind: 'method' } : { kind: 'none' };
    const deferred = this.deferringCall(fn);
    if (deferred) return { kind: 'callback', exempt: deferred.exempt, cleared: deferred.timer && this.isClearedOnClose(fn.parent) };
    return { kind: 'nested', standalone: !this.isDirectlyIn(fn, home) };
  }

  /** A close-role method, or one that sets the class's closed flag itself (`this.closed = true`). */
  private isCloseLike(member: TSESTree.MethodDefinition): boolean {
    const cached = this.closeLike.get(member);
    if (cached !== undefined) return cached;
    const name = propertyKeyName(member.key, member.computed);
    const seen = { closeLike: name !== undefined && this.info.closeMethods.has(name) };
    if (!seen.closeLike) {
      const visit = (node: TSESTree.Node): void => {
        if (node.type !== AST_NODE_TYPES.AssignmentExpression || node.right.type !== AST_NODE_TYPES.Literal || node.right.value !== true) return;
        const written = thisFieldName(node.left);
        if (written !== undefined && this.info.flags.has(written)) seen.closeLike = true;
      };
      walk(member.value, this.visitorKeys, visit, OWN_CODE);
    }
    this.closeLike.set(member, seen.closeLike);
    return seen.closeLike;
  }

  /** The instance member whose `this` an arrow function sees, when it is this class's instance. */
  private lexicalThisMember(fn: TSESTree.ArrowFunctionExpression): TSESTree.MethodDefinition | TSESTree.PropertyDefinition | undefined {
    let node: TSESTree.Node = fn;
    for (let parent: TSESTree.Node | undefined = node.parent; parent; node = parent, parent = parent.parent) {
      if (parent.type === AST_NODE_TYPES.MethodDefinition || parent.type === AST_NODE_TYPES.PropertyDefinition) {
        const inClass = parent.parent.parent === this.info.node && !parent.static;
        return inClass && (parent.value === node || parent.type === AST_NODE_TYPES.PropertyDefinition) ? parent : undefined;
      }
      if (
        parent.type === AST_NODE_TYPES.FunctionExpression ||
        parent.type === AST_NODE_TYPES.FunctionDeclaration ||
        parent.type === AST_NODE_TYPES.StaticBlock ||
        parent.type === AST_NODE_TYPES.ClassBody
      ) {
        if (parent.type === AST_NODE_TYPES.FunctionExpression && parent.parent.type === AST_NODE_TYPES.MethodDefinition) continue;
        return undefined;
      }
    }
    return undefined;
  }

  /** Whether a nested function sits in the close method's own code (not inside a deferred callback). */
  private isDirectlyIn(fn: FunctionNode, home: TSESTree.MethodDefinition | TSESTree.PropertyDefinition): boolean {
    if (home.type !== AST_NODE_TYPES.MethodDefinition || !this.isCloseLike(home)) return false;
    for (let node: TSESTree.Node | undefined = fn.parent; node && node !== home; node = node.parent) {
      if (node.type === AST_NODE_TYPES.ArrowFunctionExpression && this.categoryOf(node).kind === 'callback') return false;
    }
    return true;
  }

  /**
   * The call that runs the arrow function later: `.then`/`.catch`/`.finally` on a thenable, a
   * timer, `process.nextTick`, or a listener registration. A listener registered on a resource
   * field cannot fire after that resource is destroyed: that field is exempt at its start.
   */
  private deferringCall(fn: TSESTree.ArrowFunctionExpression): { exempt: string | undefined; timer: boolean } | undefined {
    const timing = this.services.callbackTiming(fn);
    if (timing?.when !== 'later') return undefined;
    const callee = skipWrappers(timing.call.callee);
    const exempt = timing.via === 'listener' && callee.type === AST_NODE_TYPES.MemberExpression ? this.receiverField(callee.object, timing.call) : undefined;
    return { exempt, timer: timing.via === 'timer' };
  }

  /**
   * `this.timer = setInterval(…)` (or a field initialised so) that a close method clears with
   * `clearInterval(this.timer)`: the callback cannot run once the object is closed.
   */
  private isClearedOnClose(call: TSESTree.Node): boolean {
    const outer = outerWrapper(call);
    const parent = outer.parent;
    let field: string | undefined;
    if (parent?.type === AST_NODE_TYPES.AssignmentExpression && parent.right === outer) field = thisFieldName(parent.left);
    if (parent?.type === AST_NODE_TYPES.PropertyDefinition && parent.value === outer && !parent.static) {
      field = propertyKeyName(parent.key, parent.computed);
    }
    if (field === undefined) return false;
    this.clearedTimers ??= this.collectClearedTimers();
    return this.clearedTimers.has(field);
  }

  private collectClearedTimers(): Set<string> {
    const cleared = new Set<string>();
    for (const member of this.info.node.body.body) {
      if (member.type !== AST_NODE_TYPES.MethodDefinition || member.static || !this.isCloseLike(member)) continue;
      const visit = (node: TSESTree.Node): void => {
        if (node.type !== AST_NODE_TYPES.CallExpression) return;
        const callee = skipWrappers(node.callee);
        const name = callee.type === AST_NODE_TYPES.Identifier ? callee.name : callee.type === AST_NODE_TYPES.MemberExpression ? memberNameOf(callee) : undefined;
        const timer = node.arguments[0] ? thisFieldName(node.arguments[0]) : undefined;
        if (name !== undefined && CLEAR_TIMERS.has(name) && timer !== undefined) cleared.add(timer);
      };
      walk(member.value, this.visitorKeys, visit, OWN_CODE);
    }
    return cleared;
  }

  /**
   * The resource field a listener is registered on: `this.sock.on(…)`, `this.child.stdout.on(…)`
   * (a part of the resource), or `sock.on(…)` where `sock` is a parameter property or `this.sock = sock`.
   */
  private receiverField(object: TSESTree.Node, call: TSESTree.CallExpression): string | undefined {
    let receiver = skipWrappers(object);
    for (;;) {
      if (receiver.type === AST_NODE_TYPES.CallExpression) {
        // `this.sock.on('data', f).on('end', g)`: `on` returns its receiver.
        const callee = skipWrappers(receiver.callee);
        if (callee.type !== AST_NODE_TYPES.MemberExpression || !LISTENER_METHODS.has(memberNameOf(callee) ?? '')) return undefined;
        receiver = skipWrappers(callee.object);
      } else if (receiver.type === AST_NODE_TYPES.MemberExpression && skipWrappers(receiver.object).type !== AST_NODE_TYPES.ThisExpression) {
        receiver = skipWrappers(receiver.object);
      } else {
        break;
      }
    }
    if (receiver.type !== AST_NODE_TYPES.Identifier) return this.resourceField(receiver);
    const member = ancestorMember(call);
    if (!member) return undefined;
    const variable = referencesOf(this.context.sourceCode).variableOf(receiver);
    return variable && this.aliasesIn(member).get(variable);
  }

  private aliasesIn(member: TSESTree.ClassElement): Map<TSESLint.Scope.Variable, string> {
    const refs = referencesOf(this.context.sourceCode);
    let aliases = this.aliases.get(member);
    if (aliases) return aliases;
    aliases = new Map();
    if (member.type === AST_NODE_TYPES.MethodDefinition && member.kind === 'constructor') {
      for (const parameter of member.value.params) {
        if (parameter.type !== AST_NODE_TYPES.TSParameterProperty || parameter.parameter.type !== AST_NODE_TYPES.Identifier) continue;
        const variable = refs.variableOf(parameter.parameter);
        if (variable && this.info.fields.has(parameter.parameter.name)) aliases.set(variable, parameter.parameter.name);
      }
    }
    const assigned: (readonly [TSESLint.Scope.Variable, string])[] = [];
    const visit = (node: TSESTree.Node): void => {
      if (node.type !== AST_NODE_TYPES.AssignmentExpression || node.operator !== '=') return;
      const right = skipWrappers(node.right);
      const field = this.resourceField(node.left);
      if (right.type !== AST_NODE_TYPES.Identifier || field === undefined) return;
      const variable = refs.variableOf(right);
      if (variable) assigned.push([variable, field]);
    };
    walk(member, this.visitorKeys, visit, OWN_CODE);
    // A local assigned to several resource fields names the last one it is assigned to.
    for (const [variable, field] of assigned.reverse()) if (!aliases.has(variable)) aliases.set(variable, field);
    this.aliases.set(member, aliases);
    return aliases;
  }

  // ---------------------------------------------------------------------------------------
  // Transfer: awaits unguard every field; guards, uses and assignments guard them again

  private transfer(node: TSESTree.Node, state: State, fn: FunctionNode, findings: Finding[]): State {
    if (isSuspension(node)) {
      const parent = node.parent;
      // The implicit await of each iteration of `for await`; the iterated resource itself delivered the value.
      if (parent?.type === AST_NODE_TYPES.ForOfStatement && parent.left === node) return this.unguardAll(state, parent, this.resourceField(parent.right));
      // `await this.assertOpen()`: the guard's own await; what follows is guarded.
      if (node.type === AST_NODE_TYPES.AwaitExpression && this.guardCallName(node.argument) !== undefined) return new Map();
      return this.unguardAll(state, node);
    }
    switch (node.type) {
      case AST_NODE_TYPES.ForOfStatement:
        return node.await ? this.unguardAll(state, node) : state;
      case AST_NODE_TYPES.MemberExpression:
        return this.memberRead(node, state, fn, findings);
      case AST_NODE_TYPES.CallExpression:
        return this.call(node, state, fn, findings);
      case AST_NODE_TYPES.AssignmentExpression: {
        const field = node.operator === '=' ? (this.resourceField(node.left) ?? this.rawField(node.left)) : undefined;
        if (field !== undefined && this.info.fields.has(field)) this.stored(node, field, state, fn, findings);
        return field === undefined ? state : withoutKeys(state, [field]);
      }
      case AST_NODE_TYPES.ArrowFunctionExpression:
        return this.nestedFunction(node, state, fn, findings);
      default:
        return state;
    }
  }

  /**
   * §3.2 (b): `this.f = <new owner>` while `f` is unguarded since an await that is not the
   * acquisition's own (`this.fh = await open(p)` alone is the plain initializer).
   */
  private stored(node: TSESTree.AssignmentExpression, field: string, state: State, fn: FunctionNode, findings: Finding[]): void {
    const right = node.right;
    const unrelated = [...(state.get(field) ?? [])].filter(origin => origin instanceof Entry || origin.range[0] < right.range[0] || origin.range[1] > right.range[1]);
    if (unrelated.length > 0 && this.services.isAcquisition(right)) findings.push({ node, field, origins: new Set(unrelated), fn, acquired: true });
  }

  /** `this.fh` read: a use unless it is written, called (the call is the use), or only inspected. */
  private memberRead(node: TSESTree.MemberExpression, state: State, fn: FunctionNode, findings: Finding[]): State {
    const raw = this.rawField(node);
    if (raw !== undefined && state.has(raw)) {
      const outer = outerWrapper(node);
      return isWriteTarget(outer) || isInspected(outer) ? state : this.use(raw, node, state, fn, findings, true);
    }
    const field = this.resourceField(node);
    if (field === undefined || !state.has(field)) return state;
    const outer = outerWrapper(node);
    const parent = outer.parent;
    if (!parent) return state;
    if (isWriteTarget(outer)) return state;
    if (parent.type === AST_NODE_TYPES.MemberExpression && parent.object === outer) {
      if (parent.optional && this.info.nulledFields.has(field)) return withoutKeys(state, [field]);
      const viaParent = outerWrapper(parent);
      if (viaParent.parent?.type === AST_NODE_TYPES.CallExpression && viaParent.parent.callee === viaParent) return state;
      const owner = this.info.fields.get(field)!;
      if (this.services.model.hasRole(owner, 'rawHandle', memberNameOf(parent))) return this.use(field, node, state, fn, findings, true);
      // A plain property read (`this.cursor.id`) is no use (§2.5); a call on a part (`this.child.stdin.write()`) is.
      if (!isCalledThrough(viaParent)) return state;
      return this.use(field, node, state, fn, findings);
    }
    if (isInspected(outer)) return state;
    return this.use(field, node, state, fn, findings);
  }

  private call(node: TSESTree.CallExpression, state: State, fn: FunctionNode, findings: Finding[]): State {
    const callee = skipWrappers(node.callee);
    if (callee.type === AST_NODE_TYPES.MemberExpression) {
      const object = skipWrappers(callee.object);
      const field = this.resourceField(object);
      if (field !== undefined) {
        const owner = this.info.fields.get(field)!;
        const name = memberNameOf(callee);
        const roles = this.services.model.rolesOf(owner, name);
        if (roles.includes('guard')) return withoutKeys(state, [field]);
        // Releases, teardown-safe calls, listener bookkeeping and methods that check the closed state themselves are no use (§2.5).
        if (roles.some(role => NEUTRAL_ROLES.includes(role)) || isTeardownSafeCall(owner, name, node.arguments.length)) return state;
        if (name !== undefined && (LISTENER_METHODS.has(name) || REMOVE_LISTENER.has(name) || this.services.handlesClosedState(owner, name))) return state;
        return this.use(field, node, state, fn, findings);
      }
      const name = this.guardCallName(node);
      // An async guard protects only when awaited (spec §2.4): its rejection is lost otherwise.
      if (name !== undefined && (!this.info.asyncMethods.has(name) || isAwaited(node))) return new Map();
    }
    if (isAssertion(callee) && node.arguments[0] && node.arguments[0].type !== AST_NODE_TYPES.SpreadElement) {
      return this.assume(node.arguments[0], true, state);
    }
    return state;
  }

  /** `this.g()` where `g` is a guard method: its name. */
  private guardCallName(node: TSESTree.Node): string | undefined {
    const call = skipWrappers(node);
    if (call.type !== AST_NODE_TYPES.CallExpression) return undefined;
    const callee = skipWrappers(call.callee);
    if (callee.type !== AST_NODE_TYPES.MemberExpression || skipWrappers(callee.object).type !== AST_NODE_TYPES.ThisExpression) return undefined;
    const name = memberNameOf(callee);
    return name !== undefined && isGuardCall(this.info, name) ? name : undefined;
  }

  /** A nested (not deferred) arrow function runs while its creator runs: its uses count there. */
  private nestedFunction(node: TSESTree.ArrowFunctionExpression, state: State, fn: FunctionNode, findings: Finding[]): State {
    if (state.size === 0 || this.categoryOf(node).kind !== 'nested') return state;
    let entryUses = this.entryUses.get(node);
    if (!entryUses) {
      entryUses = new Map();
      for (const finding of this.findingsOf(node)) {
        if (![...finding.origins].some(origin => origin instanceof Entry && origin.fn === node)) continue;
        const nodes = entryUses.get(finding.field) ?? [];
        nodes.push(finding.node);
        entryUses.set(finding.field, nodes);
      }
      this.entryUses.set(node, entryUses);
    }
    let next = state;
    for (const [field, nodes] of entryUses) {
      const origins = next.get(field);
      if (!origins) continue;
      for (const use of nodes) findings.push({ node: use, field, origins, fn });
      next = withoutKeys(next, [field]);
    }
    return next;
  }

  /**
   * A use of a field (a raw-handle read with `raw`): a finding when the field may be unguarded and
   * its uses are reported (§3.2 (a), (c)); either way it counts as used until the next await.
   */
  private use(field: string, node: TSESTree.Node, state: State, fn: FunctionNode, findings: Finding[], raw = false): State {
    const origins = state.get(field);
    if (!origins) return state;
    if ((raw || this.info.reportedUses.has(field)) && !this.isBorrowed(node, field)) findings.push({ node, field, origins, fn });
    return withoutKeys(state, [field]);
  }

  // ---------------------------------------------------------------------------------------
  // Guards in conditions

  private refine(test: TSESTree.Expression, outcome: boolean, state: State): State {
    const expression = skipWrappers(test);
    if (expression.type === AST_NODE_TYPES.BinaryExpression && COMPARISONS.has(expression.operator)) {
      return this.refineComparison(expression, outcome, state);
    }
    const probe = this.probe(expression);
    switch (probe?.kind) {
      case 'flag':
        return outcome ? state : new Map();
      case 'state':
        return new Map();
      case 'field':
        return this.info.nulledFields.has(probe.field) ? withoutKeys(state, [probe.field]) : state;
      case 'fieldFlag':
        return outcome ? state : withoutKeys(state, [probe.field]);
      case 'fieldState':
        return withoutKeys(state, [probe.field]);
      default:
        return state;
    }
  }

  /** `this.closed === false`, `this.state !== 'open'`, `this.fh === undefined`, `this.fh.fd < 0`. */
  private refineComparison(test: TSESTree.BinaryExpression, outcome: boolean, state: State): State {
    for (const { side, other, truth } of comparedOperands(test, outcome)) {
      const probe = this.probe(skipWrappers(side));
      if (!probe) continue;
      if (truth !== undefined) return this.refine(side as TSESTree.Expression, truth, state);
      if (probe.kind === 'flag' || probe.kind === 'state') return new Map();
      if (probe.kind === 'field') return this.info.nulledFields.has(probe.field) || isNullish(other, { loose: true }) ? withoutKeys(state, [probe.field]) : state;
      return withoutKeys(state, [probe.field]);
    }
    return state;
  }

  /** What a condition operand says about liveness. */
  private probe(expression: TSESTree.Node): Probe | undefined {
    const target = expression.type === AST_NODE_TYPES.CallExpression ? skipWrappers(expression.callee) : expression;
    if (target.type !== AST_NODE_TYPES.MemberExpression) return undefined;
    const field = this.resourceField(target) ?? this.rawField(target);
    if (field !== undefined) return expression === target ? { kind: 'field', field } : undefined;
    const name = thisFieldName(target);
    if (name !== undefined) {
      if (expression === target && (this.info.flags.has(name) || isConventionalGuardFlag(name))) return { kind: 'flag' };
      return this.info.stateMembers.has(name) || isConventionalGuardFlag(name) ? { kind: 'state' } : undefined;
    }
    const owner = this.resourceField(skipWrappers(target.object));
    if (owner === undefined || expression !== target) return undefined;
    const guard = this.services.model.hasRole(this.info.fields.get(owner)!, 'guard', memberNameOf(target));
    return { kind: guard ? 'fieldFlag' : 'fieldState', field: owner };
  }

  /** After `assert(cond)`, `cond` holds. */
  private assume(test: TSESTree.Expression, outcome: boolean, state: State): State {
    const expression = skipWrappers(test);
    if (expression.type === AST_NODE_TYPES.UnaryExpression && expression.operator === '!') {
      return this.assume(expression.argument, !outcome, state);
    }
    if (expression.type === AST_NODE_TYPES.LogicalExpression && expression.operator === (outcome ? '&&' : '||')) {
      return this.assume(expression.right, outcome, this.assume(expression.left, outcome, state));
    }
    return this.refine(expression as TSESTree.Expression, outcome, state);
  }

  // ---------------------------------------------------------------------------------------
  // Borrows held across the await

  /** `this.fh.addRef()` before and `this.fh.release()` in a `finally` around the use, or a `using` lease in scope. */
  private isBorrowed(node: TSESTree.Node, field: string): boolean {
    const fieldOwner = this.info.fields.get(field);
    const targets = (role: Role, object: TSESTree.Node, name: string | undefined): boolean => {
      const target = skipWrappers(object);
      if (target.type === AST_NODE_TYPES.ThisExpression) return this.info.classOwner !== undefined && this.services.model.hasRole(this.info.classOwner, role, name);
      return fieldOwner !== undefined && this.resourceField(target) === field && this.services.model.hasRole(fieldOwner, role, name);
    };
    const isCallWith = (role: Role) => (candidate: TSESTree.Node): boolean => {
      if (candidate.type !== AST_NODE_TYPES.CallExpression) return false;
      const callee = skipWrappers(candidate.callee);
      return callee.type === AST_NODE_TYPES.MemberExpression && targets(role, callee.object, memberNameOf(callee));
    };
    const member = ancestorMember(node);
    for (let child: TSESTree.Node = node, parent = node.parent; parent && parent !== member; child = parent, parent = parent.parent) {
      if (parent.type === AST_NODE_TYPES.TryStatement && parent.block === child && parent.finalizer) {
        const finalizer = parent.finalizer;
        const addRefBefore = (candidate: TSESTree.Node): boolean => isCallWith('addRef')(candidate) && candidate.range[1] <= node.range[0];
        if (some(finalizer, this.visitorKeys, isCallWith('release'), OWN_CODE) && member && some(member, this.visitorKeys, addRefBefore, OWN_CODE)) return true;
      }
      const statements = statementList(parent);
      const index = statements?.indexOf(child) ?? -1;
      for (const statement of statements?.slice(0, Math.max(index, 0)) ?? []) {
        if (statement.type !== AST_NODE_TYPES.VariableDeclaration || !statement.kind.includes('using')) continue;
        if (statement.declarations.some(declarator => declarator.init && isCallWith('lease')(skipAwait(declarator.init)))) return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------------------------------

  /** `this.fh` / `this.#sock` when it names a resource field, else undefined. */
  resourceField(node: TSESTree.Node): string | undefined {
    const name = thisFieldName(node);
    return name !== undefined && this.info.fields.has(name) ? name : undefined;
  }

  /** `this.fd` when it names a field holding a raw handle the class owns, else undefined. */
  private rawField(node: TSESTree.Node): string | undefined {
    const name = thisFieldName(node);
    return name !== undefined && this.info.rawFields.has(name) ? name : undefined;
  }

  /** After an await (or at a callback's start) every field is unguarded since that point; earlier origins no longer matter. */
  private unguardAll(state: State, origin: Origin, exempt?: string): State {
    const next = new Map(state);
    for (const field of [...this.info.fields.keys(), ...this.info.rawFields]) {
      if (field === exempt) continue;
      next.set(field, new Set([origin]));
    }
    return next;
  }
}

// -----------------------------------------------------------------------------------------
// Reports and fixes

function report(context: Context, info: ClassInfo, finding: Finding): void {
  const onlyCallbacks = [...finding.origins].every(origin => origin === finding.fn && !(origin instanceof Entry));
  const data = { field: finding.field, owner: info.fields.get(finding.field)?.name ?? 'raw handle', className: info.name };
  if (finding.acquired) {
    context.report({ node: finding.node, messageId: 'acquiredAfterAwait', data });
    return;
  }
  const autofix = autofixFor(context, info, finding);
  const suggestion = autofix ? undefined : suggestionFor(context, info, finding);
  context.report({
    node: finding.node,
    messageId: onlyCallbacks ? 'unguardedInCallback' : info.fields.has(finding.field) ? 'unguardedAfterAwait' : 'rawHandleAfterAwait',
    data,
    ...(autofix ? { fix: autofix } : {}),
    suggest: suggestion ? [{ messageId: 'insertFlagCheck', data: { className: info.name, flag: suggestion.flag }, fix: suggestion.fix }] : [],
  });
}

/**
 * `this.throwIfClosed();` (or `await this.assertOpen();` for an async guard, inside an async
 * function) on a new line after the statement holding the await, when the class has a guard that
 * verifiably throws, that statement is an expression statement or a declaration in a block, and
 * the use is in a later statement of that block.
 */
function autofixFor(context: Context, info: ClassInfo, finding: Finding): TSESLint.ReportFixFunction | undefined {
  const guard = info.fixGuard;
  if (guard === undefined || finding.origins.size !== 1) return undefined;
  if (guard.kind === 'async' && !finding.fn.async) return undefined;
  const origin = [...finding.origins][0]!;
  if (origin instanceof Entry || (origin.type !== AST_NODE_TYPES.AwaitExpression && origin.type !== AST_NODE_TYPES.YieldExpression)) return undefined;
  const statement = enclosingStatement(origin);
  if (statement?.type !== AST_NODE_TYPES.ExpressionStatement && statement?.type !== AST_NODE_TYPES.VariableDeclaration) return undefined;
  const block = statement.parent;
  if (block.type !== AST_NODE_TYPES.BlockStatement) return undefined;
  const useStatement = childContaining(block, finding.node);
  if (!useStatement || block.body.indexOf(useStatement as TSESTree.Statement) <= block.body.indexOf(statement)) return undefined;
  const sourceCode = context.sourceCode;
  let end = statement.range[1];
  for (
    let next = sourceCode.getTokenAfter(statement, { includeComments: true });
    next && (next.type === AST_TOKEN_TYPES.Line || next.type === AST_TOKEN_TYPES.Block) && next.loc.start.line === statement.loc.end.line;
    next = sourceCode.getTokenAfter(next, { includeComments: true })
  ) {
    end = next.range[1];
  }
  const call = `${guard.kind === 'async' ? 'await ' : ''}this.${guard.name}();`;
  const text = `${lineBreakOf(sourceCode)}${indentOf(sourceCode, statement)}${call}`;
  return fixer => fixer.insertTextAfterRange([end, end], text);
}

/** `if (this.closed) throw new Error('X is closed');` before the statement holding the use (or at the start of an expression-bodied callback). */
function suggestionFor(
  context: Context,
  info: ClassInfo,
  finding: Finding,
): { flag: string; fix: TSESLint.ReportFixFunction } | undefined {
  const flag = info.fixFlag;
  if (flag === undefined) return undefined;
  const check = `if (this.${flag}) throw new Error('${info.name} is closed');`;
  const fn = finding.fn;
  const statement = enclosingStatement(finding.node, fn);
  if (!statement) {
    if (fn.type !== AST_NODE_TYPES.ArrowFunctionExpression || fn.body.type === AST_NODE_TYPES.BlockStatement || fn.returnType) return undefined;
    const arrow = context.sourceCode.getTokenBefore(fn.body, { filter: token => token.value === '=>' });
    if (!arrow) return undefined;
    const body = context.sourceCode.text.slice(arrow.range[1], fn.range[1]).trim();
    return { flag, fix: fixer => fixer.replaceTextRange([arrow.range[1], fn.range[1]], ` { ${check} return ${body}; }`) };
  }
  if (!statement.parent || !statementList(statement.parent)) return undefined;
  // An await inside the statement that runs before the use (`this.fh.write(await encode())`):
  // a check before the statement would come too early. One that wraps the use reaches it only
  // through a loop's next iteration.
  const awaitedBefore = [...finding.origins].some(
    origin =>
      !(origin instanceof Entry) &&
      origin.range[0] >= statement.range[0] &&
      origin.range[1] <= statement.range[1] &&
      !(origin.range[0] <= finding.node.range[0] && finding.node.range[1] <= origin.range[1]),
  );
  if (awaitedBefore) return undefined;
  return { flag, fix: fixer => fixer.insertTextBefore(statement, linesBefore(context.sourceCode, statement, [check])) };
}

// -----------------------------------------------------------------------------------------
// Small AST helpers

/**
 * Whether a value is only inspected, not used: a condition, an operand of `!`, a comparison,
 * `typeof`, `instanceof`, or the left side of `&&`.
 */
function isInspected(node: TSESTree.Node): boolean {
  const parent = node.parent;
  if (!parent) return false;
  switch (parent.type) {
    case AST_NODE_TYPES.IfStatement:
    case AST_NODE_TYPES.WhileStatement:
    case AST_NODE_TYPES.DoWhileStatement:
    case AST_NODE_TYPES.ForStatement:
    case AST_NODE_TYPES.ConditionalExpression:
      return parent.test === node;
    case AST_NODE_TYPES.UnaryExpression:
      return parent.operator === '!' || parent.operator === 'typeof' || parent.operator === 'void';
    case AST_NODE_TYPES.BinaryExpression:
      return COMPARISONS.has(parent.operator) || (parent.operator === 'instanceof' && parent.left === node);
    case AST_NODE_TYPES.LogicalExpression:
      return (parent.left === node && parent.operator === '&&') || isInspected(parent);
    case AST_NODE_TYPES.TSNonNullExpression:
    case AST_NODE_TYPES.TSAsExpression:
    case AST_NODE_TYPES.ChainExpression:
      return isInspected(parent);
    default:
      return false;
  }
}

/** `assert(x)`, `assert.ok(x)`, `invariant(x)`: the first argument holds afterwards. */
function isAssertion(callee: TSESTree.Node): boolean {
  if (callee.type === AST_NODE_TYPES.Identifier) return callee.name === 'assert' || callee.name === 'invariant';
  return (
    callee.type === AST_NODE_TYPES.MemberExpression &&
    skipWrappers(callee.object).type === AST_NODE_TYPES.Identifier &&
    (skipWrappers(callee.object) as TSESTree.Identifier).name === 'assert' &&
    memberNameOf(callee) === 'ok'
  );
}

/** Whether the call's value is awaited right away (`await this.g()`, through wrappers). */
function isAwaited(node: TSESTree.Node): boolean {
  return outerWrapper(node).parent?.type === AST_NODE_TYPES.AwaitExpression;
}

/** Whether a member chain (`this.child.stdin`) ends in a call of one of its members (`.write(…)`). */
function isCalledThrough(node: TSESTree.Node): boolean {
  let current = node;
  for (let parent = current.parent; parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === current; parent = current.parent) {
    current = outerWrapper(parent);
  }
  return current.parent?.type === AST_NODE_TYPES.CallExpression && current.parent.callee === current;
}

function skipAwait(node: TSESTree.Node): TSESTree.Node {
  const expression = skipWrappers(node);
  return expression.type === AST_NODE_TYPES.AwaitExpression ? skipWrappers(expression.argument) : expression;
}

/** The class member (method, property, static block) a node sits in. */
function ancestorMember(node: TSESTree.Node): TSESTree.ClassElement | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (current.parent?.type === AST_NODE_TYPES.ClassBody) return current as TSESTree.ClassElement;
  }
  return undefined;
}

/** The nearest statement holding the node, not leaving `fn` (nor any function, when `fn` is omitted). */
function enclosingStatement(node: TSESTree.Node, fn?: FunctionNode): TSESTree.Node | undefined {
  for (let current: TSESTree.Node | undefined = node; current && current !== fn; current = current.parent) {
    if (fn === undefined && isFunction(current) && current !== node) return undefined;
    if (current.parent && statementList(current.parent)?.includes(current)) return current;
    if (current.type.endsWith('Statement') || current.type === AST_NODE_TYPES.VariableDeclaration) return current;
  }
  return undefined;
}

