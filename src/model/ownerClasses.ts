/**
 * Inferred owner classes (docs/resource-model.md#ownership): a source class with a close method and a field that owns
 * a resource (or holds a raw handle), with its guard flags and guard methods. Functions of the
 * ResourceModel (src/model/owners.ts), which caches their answers per class declaration.
 */
import tsutils from '../util/ts-api-utils.cjs';
import ts from '../util/typescript.cjs';
import { CONVENTIONAL_CLOSE, isConventionalGuardFlag, isConventionalGuardMethodName } from './builtins.js';
import type { Owner, OwnerClass, ResourceModel } from './owners.js';
import { sourceBaseClass } from './classParts.js';
import { declaredSymbol, tagNamesOf } from './tags.js';

/** The members of a class (and of the source classes it extends) that decide whether it is an owner class. */
interface ClassMembers {
  readonly closeMethods: Set<string>;
  readonly guardFlags: Set<string>;
  readonly guardMethods: Set<string>;
  readonly candidateGuardMethods: ts.MethodDeclaration[];
  /** Fields and parameter properties, with their declared types. */
  readonly fields: Map<string, ts.Type>;
  hasRawHandleField: boolean;
}

/**
 * The inferred owner class of a class declaration, or undefined. `deferred`: the model's work to
 * do once the outermost question is done.
 */
export function computeOwnerClass(
  model: ResourceModel,
  declaration: ts.ClassLikeDeclaration,
  deferred: Array<() => void>,
): OwnerClass | undefined {
  // Syntax (and tags) before types: no close method, no owner class, whatever the fields hold.
  if (!hasCloseMethod(model, declaration, new Set())) return undefined;
  const members = classMembers(model, declaration, new Set());
  const { closeMethods, guardFlags, guardMethods } = members;
  for (const method of members.candidateGuardMethods) {
    if (method.body && readsThisMember(method.body, guardFlags)) guardMethods.add(declarationName(method.name)!);
  }
  if (closeMethods.size === 0) return undefined;
  const resourceFields = new Map<string, Owner>();
  const others = new Map<string, ts.Type>();
  for (const [name, type] of members.fields) {
    const owner = model.ownerOfType(type);
    if (owner) resourceFields.set(name, owner);
    else others.set(name, type);
  }
  if (resourceFields.size === 0 && !members.hasRawHandleField) return undefined;
  // A field whose type is this class (or one that refers back to it) was taken as "not an
  // owner" while the class was being decided: ask again once the outermost question is done.
  if (others.size > 0) {
    deferred.push(() => {
      for (const [name, type] of others) {
        const owner = model.ownerOfType(type);
        if (owner) resourceFields.set(name, owner);
      }
    });
  }
  return {
    declaration,
    name: declaration.name?.text ?? 'class',
    closeMethods,
    guardFlags,
    guardMethods,
    resourceFields,
  };
}

/** Whether the class (or a source class it extends) has a close method: a conventional name, or one tagged `@close`. */
function hasCloseMethod(model: ResourceModel, declaration: ts.ClassLikeDeclaration, seen: Set<ts.ClassLikeDeclaration>): boolean {
  seen.add(declaration);
  const tags = model.mentionsTag('close');
  for (const member of declaration.members) {
    if (!ts.isMethodDeclaration(member)) continue;
    const name = declarationName(member.name);
    if (name === undefined) continue;
    if ((CONVENTIONAL_CLOSE as readonly string[]).includes(name)) return true;
    const symbol = tags ? declaredSymbol(member, model.checker) : undefined;
    if (symbol && tagNamesOf(symbol, model.checker).includes('close')) return true;
  }
  const base = sourceBaseClass(model.checker, declaration);
  return base !== undefined && !seen.has(base) && hasCloseMethod(model, base, seen);
}

/**
 * The members of a class that docs/resource-model.md#ownership looks at, including those it inherits from the classes it
 * extends that are declared in source files (a subclass of an owner class is an owner class).
 */
function classMembers(model: ResourceModel, declaration: ts.ClassLikeDeclaration, seen: Set<ts.ClassLikeDeclaration>): ClassMembers {
  seen.add(declaration);
  const base = sourceBaseClass(model.checker, declaration);
  const members: ClassMembers =
    base && !seen.has(base)
      ? classMembers(model, base, seen)
      : {
          closeMethods: new Set(),
          guardFlags: new Set(),
          guardMethods: new Set(),
          candidateGuardMethods: [],
          fields: new Map(),
          hasRawHandleField: false,
        };

  const tags = model.mentionsAnyTag(['close', 'lifetimeGuard']);
  for (const member of declaration.members) {
    const name = member.name ? declarationName(member.name) : undefined;
    const memberSymbol = name === undefined || !tags ? undefined : declaredSymbol(member, model.checker);
    const tagged = memberSymbol ? tagNamesOf(memberSymbol, model.checker) : [];
    if (ts.isMethodDeclaration(member) && name !== undefined) {
      if (tagged.includes('close') || (CONVENTIONAL_CLOSE as readonly string[]).includes(name)) members.closeMethods.add(name);
      if (tagged.includes('lifetimeGuard')) members.guardMethods.add(name);
      else if (isConventionalGuardMethodName(name)) members.candidateGuardMethods.push(member);
    } else if ((ts.isPropertyDeclaration(member) || ts.isGetAccessorDeclaration(member)) && name !== undefined) {
      const type = model.checker.getTypeAtLocation(member);
      if (tagged.includes('lifetimeGuard')) members.guardFlags.add(name);
      else if (isConventionalGuardFlag(name) && tsutils.isTypeFlagSet(type, ts.TypeFlags.BooleanLike)) members.guardFlags.add(name);
      if (ts.isPropertyDeclaration(member)) {
        members.fields.set(name, type);
        if (member.initializer && isRawHandleRead(model, member.initializer)) members.hasRawHandleField = true;
      }
    } else if (ts.isConstructorDeclaration(member)) {
      for (const parameter of member.parameters) {
        if (!ts.isParameterPropertyDeclaration(parameter, member) || !ts.isIdentifier(parameter.name)) continue;
        members.fields.set(parameter.name.text, model.checker.getTypeAtLocation(parameter));
      }
      if (member.body && assignsRawHandleToThis(model, member.body)) members.hasRawHandleField = true;
    }
  }
  return members;
}

function declarationName(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name)) return name.text;
  if (ts.isPrivateIdentifier(name)) return name.text; // includes '#'
  if (
    ts.isComputedPropertyName(name) &&
    ts.isPropertyAccessExpression(name.expression) &&
    ts.isIdentifier(name.expression.expression) &&
    name.expression.expression.text === 'Symbol'
  ) {
    return `[Symbol.${name.expression.name.text}]`;
  }
  return undefined;
}

function isRawHandleRead(model: ResourceModel, expression: ts.Expression): boolean {
  if (!ts.isPropertyAccessExpression(expression)) return false;
  const name = declarationName(expression.name);
  // Names before types: only a name some owner can give the rawHandle role.
  if (name === undefined || !model.mayBeRawHandleName(name)) return false;
  const owner = model.ownerOfType(model.checker.getTypeAtLocation(expression.expression));
  return owner !== undefined && owner.roles.rawHandle.has(name);
}

function assignsRawHandleToThis(model: ResourceModel, body: ts.Node): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isPropertyAccessExpression(node.left) &&
      node.left.expression.kind === ts.SyntaxKind.ThisKeyword &&
      isRawHandleRead(model, node.right)
    ) {
      found = true;
      return;
    }
    if (!ts.isFunctionLike(node)) node.forEachChild(visit);
  };
  visit(body);
  return found;
}

function readsThisMember(body: ts.Node, names: ReadonlySet<string>): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (
      ts.isPropertyAccessExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ThisKeyword &&
      names.has(declarationName(node.name) ?? '')
    ) {
      found = true;
      return;
    }
    node.forEachChild(visit);
  };
  visit(body);
  return found;
}
