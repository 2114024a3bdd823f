import ts from '../util/typescript.cjs';
import type { ResourceModel } from './owners.js';
import { skipOuterExpressions } from './values.js';

/**
 * The parts of a class that ownership (ownership.ts, classResources.ts) reads: its instance
 * members and field types, with those of its source-declared base classes, and the TypeScript
 * syntax helpers its walks use (`this.f` names, assignments to `this`, walks that skip subtrees).
 */

export type MemberBody = ts.FunctionLikeDeclaration;

/** The instance members of a class and its source-declared base classes, subclass first. */
export interface ClassParts {
  readonly declarations: readonly ts.ClassLikeDeclaration[];
  /** Bodies by member name, the most derived first (a `super.m()` call reaches the rest). */
  readonly bodies: ReadonlyMap<string, readonly MemberBody[]>;
  readonly fieldTypes: ReadonlyMap<string, ts.Type>;
}

const partsCache = new WeakMap<ResourceModel, WeakMap<ts.ClassLikeDeclaration, ClassParts>>();

export function classParts(model: ResourceModel, declaration: ts.ClassLikeDeclaration): ClassParts {
  let cache = partsCache.get(model);
  if (!cache) {
    cache = new WeakMap();
    partsCache.set(model, cache);
  }
  const cached = cache.get(declaration);
  if (cached) return cached;
  const declarations: ts.ClassLikeDeclaration[] = [];
  for (let current: ts.ClassLikeDeclaration | undefined = declaration; current && !declarations.includes(current);) {
    declarations.push(current);
    current = sourceBaseClass(model.checker, current);
  }
  const bodies = new Map<string, MemberBody[]>();
  const fieldTypes = new Map<string, ts.Type>();
  for (const current of declarations) {
    for (const member of current.members) {
      if (isStatic(member)) continue;
      const name = member.name ? memberName(member.name) : undefined;
      if (name === undefined) {
        if (ts.isConstructorDeclaration(member)) {
          for (const parameter of member.parameters) {
            if (
              ts.isParameterPropertyDeclaration(parameter, member) &&
              ts.isIdentifier(parameter.name) &&
              !fieldTypes.has(parameter.name.text)
            ) {
              fieldTypes.set(parameter.name.text, model.checker.getTypeAtLocation(parameter));
            }
          }
        }
        continue;
      }
      let body: MemberBody | undefined;
      if (ts.isMethodDeclaration(member)) body = member;
      if (ts.isPropertyDeclaration(member)) {
        if (!fieldTypes.has(name)) fieldTypes.set(name, model.checker.getTypeAtLocation(member));
        const value = member.initializer && skipOuterExpressions(member.initializer);
        if (value && (ts.isArrowFunction(value) || ts.isFunctionExpression(value))) body = value;
      }
      if (!body) continue;
      const list = bodies.get(name) ?? [];
      list.push(body);
      bodies.set(name, list);
    }
  }
  const parts = { declarations, bodies, fieldTypes };
  cache.set(declaration, parts);
  return parts;
}

/**
 * The class a class extends, when that class is declared in a source (not declaration) file.
 * `extends Base` / `extends ns.Base` is resolved by the name's symbol (through import aliases);
 * only another expression (`extends mixin(Base)`) asks for the type of the base, which means
 * instantiating it.
 */
export function sourceBaseClass(checker: ts.TypeChecker, declaration: ts.ClassLikeDeclaration): ts.ClassLikeDeclaration | undefined {
  const heritage = declaration.heritageClauses?.find(clause => clause.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
  if (!heritage) return undefined;
  const base = baseDeclarationByName(checker, heritage.expression) ?? checker.getTypeAtLocation(heritage).getSymbol()?.valueDeclaration;
  return base && ts.isClassLike(base) && !base.getSourceFile().isDeclarationFile ? base : undefined;
}

function baseDeclarationByName(checker: ts.TypeChecker, expression: ts.Expression): ts.Declaration | undefined {
  if (!ts.isIdentifier(expression) && !ts.isPropertyAccessExpression(expression)) return undefined;
  let symbol = checker.getSymbolAtLocation(expression);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  // A class (not a variable holding one, whose value may be any class of its type).
  return symbol && symbol.flags & ts.SymbolFlags.Class ? symbol.valueDeclaration : undefined;
}

export function isStatic(member: ts.ClassElement): boolean {
  return ts.canHaveModifiers(member) && (ts.getModifiers(member)?.some(modifier => modifier.kind === ts.SyntaxKind.StaticKeyword) ?? false);
}

/** `this.f = v`, `this.f ??= v`, `this.f ||= v`: the field and the value. */
export function assignmentToThis(node: ts.Node): { field: string; value: ts.Expression } | undefined {
  if (!ts.isBinaryExpression(node)) return undefined;
  const operator = node.operatorToken.kind;
  if (
    operator !== ts.SyntaxKind.EqualsToken &&
    operator !== ts.SyntaxKind.QuestionQuestionEqualsToken &&
    operator !== ts.SyntaxKind.BarBarEqualsToken
  ) {
    return undefined;
  }
  const field = thisMemberName(skipOuterExpressions(node.left));
  return field === undefined ? undefined : { field, value: node.right };
}

/** `this.x`, `this.#x`, `this['x']`: the member name. */
export function thisMemberName(node: ts.Node): string | undefined {
  if (ts.isPropertyAccessExpression(node) && skipOuterExpressions(node.expression).kind === ts.SyntaxKind.ThisKeyword)
    return memberName(node.name);
  if (ts.isElementAccessExpression(node) && skipOuterExpressions(node.expression).kind === ts.SyntaxKind.ThisKeyword)
    return elementName(node);
  return undefined;
}

export function elementName(node: ts.ElementAccessExpression): string | undefined {
  const argument = node.argumentExpression;
  return ts.isStringLiteralLike(argument) ? argument.text : undefined;
}

export function memberName(name: ts.PropertyName | ts.MemberName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isComputedPropertyName(name) && ts.isPropertyAccessExpression(name.expression) && ts.isIdentifier(name.expression.expression)) {
    return name.expression.expression.text === 'Symbol' ? `[Symbol.${name.expression.name.text}]` : undefined;
  }
  return undefined;
}

/** Subtrees a walk leaves out. */
export type Skip = (node: ts.Node) => boolean;
/** A method's own path: not its `catch` clauses, not the functions it creates. */
export const DIRECT: Skip = node => ts.isCatchClause(node) || ts.isFunctionLike(node);

/** Visits every node under `root` (nested functions included unless skipped, nested classes left out). */
export function forEachNode(root: ts.Node, visit: (node: ts.Node) => void, skip?: Skip): void {
  const walk = (node: ts.Node): void => {
    if (node !== root && skip?.(node)) return;
    visit(node);
    if (!ts.isClassLike(node) || node === root) ts.forEachChild(node, walk);
  };
  walk(root);
}

/** The nodes of one member body that ownership's questions read, found in one walk ({@link bodyNodes}). */
export interface BodyNodes {
  /** Every call under the body (nested functions included, nested classes left out). */
  readonly calls: readonly ts.CallExpression[];
  /** The calls on the body's own path ({@link DIRECT}: not in a `catch` clause nor in a function it creates). */
  readonly directCalls: readonly ts.CallExpression[];
  /** Every binary expression whose left side is a member of `this` (`this.f = v`, `this.f += 1`, `this.f === x` …). */
  readonly thisBinaries: readonly ts.BinaryExpression[];
}

/**
 * One walk of a body (`root`: a member body's block or expression body) for the nodes its
 * ownership questions read, in the order {@link forEachNode} visits them: the calls and
 * binaries `forEachNode(root, …)` visits, and apart the calls `forEachNode(root, …, DIRECT)` visits.
 */
export function bodyNodes(root: ts.Node): BodyNodes {
  const calls: ts.CallExpression[] = [];
  const directCalls: ts.CallExpression[] = [];
  const thisBinaries: ts.BinaryExpression[] = [];
  let direct = true;
  const record = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      calls.push(node);
      if (direct) directCalls.push(node);
    } else if (ts.isBinaryExpression(node) && thisMemberName(skipOuterExpressions(node.left)) !== undefined) thisBinaries.push(node);
  };
  // One visitor for the whole walk (no closure per node); `direct` is restored on the way out.
  const visit = (node: ts.Node): void => {
    const outer = direct;
    if (direct && DIRECT(node)) direct = false;
    record(node);
    if (!ts.isClassLike(node)) ts.forEachChild(node, visit);
    direct = outer;
  };
  record(root);
  ts.forEachChild(root, visit);
  return { calls, directCalls, thisBinaries };
}

/** Whether some node under `root` (nested functions included, nested classes left out) satisfies the predicate; stops at the first. */
export function someNode(root: ts.Node, predicate: (node: ts.Node) => boolean): boolean {
  const walk = (node: ts.Node): boolean =>
    predicate(node) || ((!ts.isClassLike(node) || node === root) && ts.forEachChild(node, walk) === true);
  return walk(root);
}
