/**
 * Which types own native resources (docs/resource-model.md#owners-and-roles): the owner a type denotes, found from its
 * hierarchy — a built-in or native package owner, a tagged (`@nativeResource`) or configured
 * (`resources` setting) one, or an inferred owner class (src/model/ownerClasses.ts) — and its
 * roles. Functions of the ResourceModel (src/model/owners.ts), which caches their answers.
 */
import { typeMatchesSpecifier } from '../util/type-utils.cjs';
import tsutils from '../util/ts-api-utils.cjs';
import ts from '../util/typescript.cjs';
import {
  BUILTIN_OWNERS,
  CONVENTIONAL_CLOSE,
  isConventionalGuardFlag,
  isConventionalGuardMethodName,
  type BuiltinOwnerSpec,
} from './builtins.js';
import { symbolMemberName } from './names.js';
import type { Owner, ResourceModel } from './owners.js';
import { PACKAGE_OWNERS, findPackageOwner } from './packages.js';
import { ROLE_FIELDS, type ObjectSpecifier, type Role } from './settings.js';
import { OWNER_TAG, ROLE_TAGS, declaredSymbol, nodesWithTagText, rolesFromTags, symbolHasTag } from './tags.js';

function isErrorType(type: ts.Type): boolean {
  return tsutils.isIntrinsicErrorType(type);
}

function emptyRoles(): Record<Role, Set<string>> {
  return Object.fromEntries(ROLE_FIELDS.map(role => [role, new Set<string>()])) as Record<Role, Set<string>>;
}

export function computeOwner(model: ResourceModel, type: ts.Type): Owner | undefined {
  if (tsutils.isTypeFlagSet(type, ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.Never)) return undefined;
  if (isErrorType(type)) return undefined;
  // Type parameters, `this`, indexed access (`T['fh']`) and conditional types: their constraint.
  if (tsutils.isTypeFlagSet(type, ts.TypeFlags.InstantiableNonPrimitive)) {
    const constraint = model.checker.getBaseConstraintOfType(type);
    return constraint && constraint !== type ? model.ownerOfType(constraint) : undefined;
  }
  if (tsutils.isUnionType(type)) {
    const parts = type.types.filter(part => !tsutils.isTypeFlagSet(part, ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Void));
    if (parts.length === 0) return undefined;
    const owners = parts.map(part => model.ownerOfType(part));
    return owners.every(owner => owner !== undefined) ? owners[0] : undefined;
  }
  if (tsutils.isIntersectionType(type)) {
    for (const part of type.types) {
      const owner = model.ownerOfType(part);
      if (owner) return owner;
    }
    return undefined;
  }
  if (!tsutils.isObjectType(type)) return undefined;
  return ownerFromHierarchy(model, type);
}

function ownerFromHierarchy(model: ResourceModel, type: ts.Type): Owner | undefined {
  const hierarchy = hierarchyOf(model, type);
  const builtin = findBuiltin(model, hierarchy);
  const configured = model.settings.resources.filter(resource =>
    hierarchy.some(candidate => typeMatchesSetting(model, candidate, resource.type)),
  );
  if (builtin)
    return builtinOwner(
      model,
      builtin.spec,
      type,
      configured.map(c => c.roles),
    );
  // A popular native package's type (docs/packages.md), unless a `resources` entry replaces it.
  const known = configured.length === 0 ? findPackageOwner(hierarchy) : undefined;
  if (known) return { ...builtinOwner(model, known, type, []), nativePackage: known.type.package };
  const tagged = model.mentionsTag(OWNER_TAG) && hierarchy.some(candidate => symbolHasTag(candidate.getSymbol(), OWNER_TAG, model.checker));
  if (tagged || configured.length > 0) {
    return declaredOwner(
      model,
      type,
      tagged ? 'tagged' : 'configured',
      configured.map(c => c.roles),
    );
  }
  const declaration = type.getSymbol()?.valueDeclaration;
  if (declaration && ts.isClassLike(declaration)) {
    const ownerClass = model.ownerClassOf(declaration);
    if (ownerClass) {
      const roles = emptyRoles();
      for (const name of ownerClass.closeMethods) roles.close.add(name);
      for (const name of [...ownerClass.guardFlags, ...ownerClass.guardMethods]) roles.guard.add(name);
      addTaggedMemberRoles(model, type, roles, new Set());
      return { name: ownerClass.name, source: 'inferred', type, roles, pendingOps: 'none', ownerClass };
    }
  }
  return undefined;
}

/**
 * The type itself, then its base classes and implemented/extended interfaces, breadth first.
 * With `implemented: false`, only what it extends (not the interfaces a class implements).
 */
export function hierarchyOf(model: ResourceModel, type: ts.Type, implemented = true): ts.Type[] {
  const seen = new Set<ts.Type>([type]);
  const queue: ts.Type[] = [type];
  for (let index = 0; index < queue.length && index < 64; index++) {
    const current = queue[index]!;
    for (const base of directBasesOf(model, current, implemented)) {
      if (!seen.has(base)) {
        seen.add(base);
        queue.push(base);
      }
    }
  }
  return queue;
}

function directBasesOf(model: ResourceModel, type: ts.Type, implemented: boolean): ts.Type[] {
  const bases: ts.Type[] = [];
  const target = tsutils.isTypeReference(type) ? type.target : type;
  if (tsutils.isObjectType(target) && tsutils.isObjectFlagSet(target, ts.ObjectFlags.ClassOrInterface)) {
    bases.push(...model.checker.getBaseTypes(target as ts.InterfaceType));
  }
  if (!implemented) return bases;
  for (const declaration of type.getSymbol()?.declarations ?? []) {
    if (!ts.isClassLike(declaration)) continue;
    for (const clause of declaration.heritageClauses ?? []) {
      if (clause.token !== ts.SyntaxKind.ImplementsKeyword) continue;
      for (const node of clause.types) bases.push(model.checker.getTypeAtLocation(node));
    }
  }
  return bases;
}

function findBuiltin(model: ResourceModel, hierarchy: readonly ts.Type[]): { spec: BuiltinOwnerSpec } | undefined {
  for (const candidate of hierarchy) {
    const symbol = candidate.getSymbol();
    if (!symbol?.declarations?.some(declaration => declaration.getSourceFile().isDeclarationFile)) continue;
    for (const spec of BUILTIN_OWNERS) {
      if (model.node.typeIs(candidate, spec.type)) return { spec };
    }
  }
  return undefined;
}

function builtinOwner(
  model: ResourceModel,
  spec: Omit<BuiltinOwnerSpec, 'type'>,
  type: ts.Type,
  extra: ReadonlyArray<Partial<Record<Role, readonly string[]>>>,
): Owner {
  const roles = emptyRoles();
  for (const role of ROLE_FIELDS) for (const name of spec.roles[role] ?? []) roles[role].add(name);
  for (const entry of extra) for (const role of ROLE_FIELDS) for (const name of entry[role] ?? []) roles[role].add(name);
  addTaggedMemberRoles(model, type, roles, new Set());
  return {
    name: spec.name,
    source: 'builtin',
    type,
    roles,
    pendingOps: new Map(Object.entries(spec.pendingOps ?? {})),
    ...(spec.noCancelAdvice === undefined ? {} : { noCancelAdvice: spec.noCancelAdvice }),
  };
}

/** A tagged (`@nativeResource`) or configured owner: explicit roles, conventional names for the rest. */
function declaredOwner(
  model: ResourceModel,
  type: ts.Type,
  source: 'tagged' | 'configured',
  configured: ReadonlyArray<Partial<Record<Role, readonly string[]>>>,
): Owner {
  const roles = emptyRoles();
  const explicit = new Set<Role>();
  for (const entry of configured) {
    for (const role of ROLE_FIELDS) {
      const names = entry[role];
      if (names === undefined) continue;
      explicit.add(role);
      for (const name of names) roles[role].add(name);
    }
  }
  addTaggedMemberRoles(model, type, roles, explicit);
  if (!explicit.has('close')) for (const name of CONVENTIONAL_CLOSE) roles.close.add(name);
  if (!explicit.has('guard')) {
    for (const property of model.checker.getPropertiesOfType(type)) {
      const name = symbolMemberName(property);
      const propertyType = model.checker.getTypeOfSymbol(property);
      // A flag must be boolean (`closed: Promise<void>` on a stream is not a liveness flag).
      const isFlag = isConventionalGuardFlag(name) && tsutils.isTypeFlagSet(propertyType, ts.TypeFlags.BooleanLike);
      const isMethod = isConventionalGuardMethodName(name) && propertyType.getCallSignatures().length > 0;
      if (isFlag || isMethod) roles.guard.add(name);
    }
  }
  const symbol = type.aliasSymbol ?? type.getSymbol();
  return { name: symbol?.name ?? 'resource', source, type, roles, pendingOps: 'async-methods' };
}

/** Adds the roles members carry as JSDoc tags; `explicit` collects the roles that were tagged. */
function addTaggedMemberRoles(model: ResourceModel, type: ts.Type, roles: Record<Role, Set<string>>, explicit: Set<Role>): void {
  if (!model.mentionsAnyTag(Object.keys(ROLE_TAGS))) return; // no member of the program is tagged
  for (const candidate of hierarchyOf(model, type)) {
    for (const property of model.checker.getPropertiesOfType(candidate)) {
      for (const role of rolesFromTags(property, model.checker)) {
        explicit.add(role);
        roles[role].add(symbolMemberName(property));
      }
    }
  }
}

/** Whether a type matches a settings specifier: type-utils' matching, or Node's for a module the program declares. */
function typeMatchesSetting(model: ResourceModel, type: ts.Type, specifier: ObjectSpecifier): boolean {
  if (typeMatchesSpecifier(type, specifier, model.program)) return true;
  const node = model.node.moduleSpecifier(specifier);
  return node !== undefined && model.node.typeIs(type, node);
}

export function computeRawHandleNames(model: ResourceModel): ReadonlySet<string> | null {
  const names = new Set<string>();
  for (const spec of [...BUILTIN_OWNERS, ...PACKAGE_OWNERS]) for (const name of spec.roles.rawHandle ?? []) names.add(name);
  for (const resource of model.settings.resources) for (const name of resource.roles.rawHandle ?? []) names.add(name);
  if (!model.mentionsTag('rawHandle')) return names;
  for (const file of model.program.getSourceFiles()) {
    for (const node of nodesWithTagText(file, 'rawHandle')) {
      const symbol = declaredSymbol(node, model.checker);
      // A tag whose member name is unknown (on a statement, a parameter list…): no prefilter then.
      if (!symbol) return null;
      if (symbolHasTag(symbol, 'rawHandle', model.checker)) names.add(symbolMemberName(symbol));
    }
  }
  return names;
}
