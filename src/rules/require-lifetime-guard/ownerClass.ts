import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import ts from '../../util/typescript.cjs';
import {
  declarationHasTag,
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
  type ThrowingGuardKind,
} from '../../model/index.js';
import { outerWrapper, some, walk, type VisitorKeys } from '../../util/ast.js';
import { OWN_CODE, isInspected } from './ast.js';

/**
 * What require-lifetime-guard knows about one owner class: its owned resource fields, close
 * methods, closed flags and state, and which of its methods are liveness guards.
 */

export type ClassNode = TSESTree.ClassDeclaration | TSESTree.ClassExpression;

/** What the rule knows about one owner class (docs/resource-model.md#ownership), with the extra liveness signals it accepts. */
export interface ClassInfo {
  readonly node: ClassNode;
  readonly name: string;
  /** The owned resource fields (docs/resource-model.md#ownership); borrowed and unknown ones are left out. */
  readonly fields: ReadonlyMap<string, Owner>;
  /** Fields holding a raw handle the class owns (docs/rules/require-lifetime-guard.md (raw-handle reads)): every read after an await is reported. */
  readonly rawFields: ReadonlySet<string>;
  /** The owned fields whose uses (docs/rules/require-lifetime-guard.md (other uses)) are reported; raw-handle reads (a) are reported for every owned field. */
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
  /** Own methods that are `async` or verifiably reject when closed: a call of one guards only when awaited (docs/resource-model.md#ownership). */
  readonly asyncMethods: ReadonlySet<string>;
  /** The class's own guard method that verifiably throws when closed, which the autofix inserts (docs/rules/require-lifetime-guard.md#fixes). */
  readonly fixGuard: { readonly name: string; readonly kind: ThrowingGuardKind } | undefined;
  /** The flag the suggestion checks. */
  readonly fixFlag: string | undefined;
}

// -----------------------------------------------------------------------------------------
// The owner class

export function describeClass(
  services: NativeHandleServices,
  node: ClassNode,
  visitorKeys: VisitorKeys,
  allOwnedFields: boolean,
): ClassInfo | undefined {
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
  const signals: LivenessSignals = {
    services,
    liveness: new Set([...flags, ...stateMembers]),
    testedOnly,
    fields,
    nulledFields,
    ownBodies,
  };
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
// Guard methods (docs/resource-model.md#ownership: a conventionally named method is a guard only when it reads a flag)

type MethodBody = TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression;
export type GuardMethods = Pick<ClassInfo, 'guardMethods' | 'ownBodies'>;

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
    if (name === undefined || (value?.type !== AST_NODE_TYPES.FunctionExpression && value?.type !== AST_NODE_TYPES.ArrowFunctionExpression))
      continue;
    bodies.set(name, value);
  }
  return bodies;
}

/**
 * A guard-role member that a tagged or configured owner gets only by its conventional name, for
 * a method the class declares itself: its body decides, as for an inferred owner class. A
 * `@lifetimeGuard` tag or a configured `guard` entry keeps it a guard.
 */
function isUncheckedDefaultGuard(
  services: NativeHandleServices,
  node: ClassNode,
  ownBodies: ReadonlyMap<string, MethodBody>,
  name: string,
): boolean {
  if (!ownBodies.has(name) || !isConventionalGuardMethodName(name)) return false;
  const tagged =
    services.model.mentionsTag('lifetimeGuard') &&
    node.body.body.some(
      member => memberName(member) === name && declarationHasTag(services.tsNodeOf(member), 'lifetimeGuard', services.checker),
    );
  return !tagged && !services.model.settings.resources.some(resource => resource.roles.guard?.includes(name));
}

/**
 * Whether `this.<name>()` is a guard: a known guard method, or a conventionally named one the
 * class does not declare itself (inherited, often from a declaration file: its body is unknown).
 */
export function isGuardCall(info: GuardMethods, name: string): boolean {
  return info.guardMethods.has(name) || (isConventionalGuardMethodName(name) && !info.ownBodies.has(name));
}

/**
 * The class's own conventionally named synchronous methods that read liveness less directly
 * than the model checks: through a getter (`if (!this.isOpen)`), the resource's own guard
 * (`this.sock.destroyed`), a nullish test of a field close clears, or a call of another guard.
 */
function addConventionalGuards(signals: LivenessSignals, guardMethods: Set<string>, visitorKeys: VisitorKeys): void {
  const info: GuardMethods = { guardMethods, ownBodies: new Set(signals.ownBodies.keys()) };
  for (let changed = true; changed;) {
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
