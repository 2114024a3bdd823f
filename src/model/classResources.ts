import ts from '../util/typescript.cjs';
import { CONVENTIONAL_CLOSE } from './builtins.js';
import { classParts, isStatic, memberName, someNode, thisMemberName } from './classParts.js';
import type { Owner, OwnerClass, ResourceModel } from './owners.js';
import { OWNER_TAG } from './tags.js';
import { classOwnership, type ClassOwnership } from './ownership.js';

/**
 * What a class owns, as the lifetime rules ask it (docs/resource-model.md#ownership, docs/rules/require-lifetime-guard.md): its resource fields, owned
 * fields and raw-handle fields for an inferred, tagged or configured owner class, and whether an
 * owner's method handles the closed state itself.
 */

/** What a class owns, for the lifetime rules (docs/resource-model.md#ownership, docs/rules/require-lifetime-guard.md). */
export interface ClassResources {
  readonly ownerClass: OwnerClass | undefined;
  /** The owner the class's instances are when it is tagged or configured (through a base type or an interface). */
  readonly classOwner: Owner | undefined;
  /** The fields whose type is an owner (owned or not: see `ownership.fields`). */
  readonly resourceFields: ReadonlyMap<string, Owner>;
  /** The owned resource fields. */
  readonly ownedFields: ReadonlyMap<string, Owner>;
  /** Fields holding a raw handle the class owns: opened or copied ({@link ClassOwnership.rawHandleFields}), or its own tagged/configured `rawHandle` members. */
  readonly rawFields: ReadonlySet<string>;
  readonly ownership: ClassOwnership;
}

const resourcesCache = new WeakMap<ResourceModel, WeakMap<ts.ClassLikeDeclaration, ClassResources | null>>();

/**
 * What a class owns: an inferred owner class, a class whose instances are a tagged or configured
 * owner, or a class with a conventional close method that owns a raw handle it opened. Undefined
 * when it owns nothing (no owned resource field, no raw-handle field).
 */
export function classResources(model: ResourceModel, declaration: ts.ClassLikeDeclaration): ClassResources | undefined {
  let cache = resourcesCache.get(model);
  if (!cache) {
    cache = new WeakMap();
    resourcesCache.set(model, cache);
  }
  const cached = cache.get(declaration);
  if (cached !== undefined) return cached ?? undefined;
  const resources = computeClassResources(model, declaration);
  cache.set(declaration, resources ?? null);
  return resources;
}

function computeClassResources(model: ResourceModel, declaration: ts.ClassLikeDeclaration): ClassResources | undefined {
  const ownerClass = model.ownerClassOf(declaration);
  // Syntax before types: a class that is no owner class, has no conventional close method and
  // cannot be a tagged or configured owner (no tag text, no resources setting) owns nothing.
  const ownsByClose = (): boolean =>
    CONVENTIONAL_CLOSE.some(name => declaration.members.some(member => member.name && memberName(member.name) === name));
  if (!ownerClass && !model.mentionsTag(OWNER_TAG) && model.settings.resources.length === 0 && !ownsByClose()) return undefined;
  const instanceType = instanceTypeOf(model, declaration);
  const classOwner = model.ownerOfType(instanceType);
  const tagged = classOwner !== undefined && (classOwner.source === 'tagged' || classOwner.source === 'configured');
  const ownClose =
    ownerClass || tagged
      ? []
      : CONVENTIONAL_CLOSE.filter(name => declaration.members.some(member => member.name && memberName(member.name) === name));
  if (!ownerClass && !tagged && ownClose.length === 0) return undefined;
  const resourceFields = ownerClass?.resourceFields ?? (tagged ? declaredResourceFields(model, declaration) : new Map<string, Owner>());
  const ownership = classOwnership(model, declaration, resourceFields, [
    ...(ownerClass?.closeMethods ?? []),
    ...(classOwner?.roles.close ?? []),
    ...ownClose,
  ]);
  const ownedFields = new Map([...resourceFields].filter(([name]) => ownership.fields.get(name) === 'owned'));
  const rawFields = new Set(
    [...ownership.rawHandleFields, ...(classOwner?.roles.rawHandle ?? [])].filter(name => !resourceFields.has(name)),
  );
  if (ownedFields.size === 0 && rawFields.size === 0) return undefined;
  return { ownerClass, classOwner, resourceFields, ownedFields, rawFields, ownership };
}

/**
 * The type of the class's instances: a named class's declared type (no need to resolve the
 * members of its constructor), else the return type of its constructor's signature.
 */
function instanceTypeOf(model: ResourceModel, declaration: ts.ClassLikeDeclaration): ts.Type {
  const symbol = declaration.name && model.checker.getSymbolAtLocation(declaration.name);
  if (symbol && symbol.flags & ts.SymbolFlags.Class) return model.checker.getDeclaredTypeOfSymbol(symbol);
  const type = model.checker.getTypeAtLocation(declaration);
  return type.getConstructSignatures()[0]?.getReturnType() ?? type;
}

/** The owner-typed fields and parameter properties a class declares itself (for a class the model does not infer). */
function declaredResourceFields(model: ResourceModel, declaration: ts.ClassLikeDeclaration): Map<string, Owner> {
  const fields = new Map<string, Owner>();
  for (const member of declaration.members) {
    if (ts.isPropertyDeclaration(member) && !isStatic(member)) {
      const name = memberName(member.name);
      const owner = model.ownerOfType(model.checker.getTypeAtLocation(member));
      if (name !== undefined && owner) fields.set(name, owner);
    }
    if (ts.isConstructorDeclaration(member)) {
      for (const parameter of member.parameters) {
        if (!ts.isParameterPropertyDeclaration(parameter, member) || !ts.isIdentifier(parameter.name)) continue;
        const owner = model.ownerOfType(model.checker.getTypeAtLocation(parameter));
        if (owner) fields.set(parameter.name.text, owner);
      }
    }
  }
  return fields;
}

/** The ownership of an inferred owner class. */
export function ownerClassOwnership(model: ResourceModel, ownerClass: OwnerClass): ClassOwnership {
  // Through classResources, so a class asked about both ways gets one answer (its close roles included).
  return (
    classResources(model, ownerClass.declaration)?.ownership ??
    classOwnership(model, ownerClass.declaration, ownerClass.resourceFields, ownerClass.closeMethods)
  );
}

/**
 * Whether `owner.<method>()` handles the closed state itself (docs/resource-model.md#uses-and-teardown): a method of an inferred
 * owner class, declared in source, whose body reads the class's own liveness state (a guard flag,
 * a field its close path writes) or calls its guard method — a pool's `checkIn` that destroys
 * what it is handed once the pool is closed, a method that throws its own "closed" error.
 */
export function handlesClosedState(model: ResourceModel, owner: Owner, method: string): boolean {
  const ownerClass = owner.ownerClass;
  if (!ownerClass) return false;
  const parts = classParts(model, ownerClass.declaration);
  const body = parts.bodies.get(method)?.[0];
  if (!body?.body) return false;
  const ownership = ownerClassOwnership(model, ownerClass);
  const state = new Set([...ownerClass.guardFlags, ...ownership.stateFields]);
  return someNode(body.body, node => {
    const name = thisMemberName(node);
    if (name === undefined) return false;
    if (state.has(name)) return !ownership.nullableStateFields.has(name) || isTested(node);
    return ownerClass.guardMethods.has(name) && ts.isCallExpression(node.parent) && node.parent.expression === node;
  });
}

/** Whether a value is tested: a condition, an operand of `!` or a comparison, the left of `&&`/`||`/`??`, or the object of `?.`. */
function isTested(node: ts.Node): boolean {
  const parent = node.parent;
  if (ts.isParenthesizedExpression(parent) || ts.isNonNullExpression(parent)) return isTested(parent);
  if (ts.isIfStatement(parent) || ts.isWhileStatement(parent)) return parent.expression === node;
  if (ts.isConditionalExpression(parent)) return parent.condition === node;
  if (ts.isPrefixUnaryExpression(parent)) return parent.operator === ts.SyntaxKind.ExclamationToken;
  if (ts.isBinaryExpression(parent)) {
    const operator = parent.operatorToken.kind;
    if (operator >= ts.SyntaxKind.LessThanToken && operator <= ts.SyntaxKind.ExclamationEqualsEqualsToken) return true;
    return (
      parent.left === node &&
      (operator === ts.SyntaxKind.AmpersandAmpersandToken ||
        operator === ts.SyntaxKind.BarBarToken ||
        operator === ts.SyntaxKind.QuestionQuestionToken)
    );
  }
  return ts.isPropertyAccessExpression(parent) && parent.expression === node && parent.questionDotToken !== undefined;
}
