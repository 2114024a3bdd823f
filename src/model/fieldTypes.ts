import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import type * as tsTypes from 'typescript';
import ts from '../util/typescript.cjs';
import { isBranchTest, isFunction, walk, type VisitorKeys } from '../util/ast.js';
import { memberNameOf } from './names.js';

/** What {@link ThisFieldTypes} needs of DeclaredTypes: whether a read sits where no narrowing applies. */
export interface NeutralReads {
  neutralRead(read: TSESTree.Node, type: tsTypes.Type): boolean;
}

/**
 * The declared type of a field read as `this.f`, where TypeScript's narrowing of the read can
 * only drop parts of it (its `null`/`undefined`, or all but those): for questions the declared
 * type answers as the narrowed one does, such as which owner it is (docs/resource-model.md;
 * `ownerOfType` looks through `null`/`undefined`). A read TypeScript types as nullish or `never`
 * has no member to call or read without a type error.
 *
 * `checker.getTypeAtLocation(this.f)` walks the control flow back from the read to an assignment of
 * `this.f` (checking its value, whose arguments walk back in turn) or to the function's start: one
 * flow node per statement passed, quadratic when asked at every read of a long method.
 *
 * Qualifies: a field of a named class, read in a method, constructor or field initializer (arrow
 * functions in them included), declared as one type T (with `| null | undefined` or not) that is not
 * a union, generic or `any`/`unknown`, where every `this.f` of the innermost function is assigned
 * with `=`, tested for being set (`if (this.f)`, `!this.f`, `this.f == null`, `this.f ?? x`), or read
 * where nothing narrows a variable of type T either (DeclaredTypes). So no `instanceof`, type
 * predicate, `in` or `typeof` narrows it to a subtype. Anything else: undefined.
 */
export class ThisFieldTypes {
  /** Per function node, its `this.<name>` reads (nested functions included) by name. */
  private readonly readsByFunction = new Map<TSESTree.Node, Map<string, TSESTree.MemberExpression[]>>();
  private readonly answers = new Map<TSESTree.Node, Map<string, tsTypes.Type | null>>();
  private readonly thisAnswers = new Map<TSESTree.Node, tsTypes.Type | null>();

  constructor(
    private readonly checker: tsTypes.TypeChecker,
    private readonly reads: NeutralReads,
    private readonly tsNodeOf: (node: TSESTree.Node) => tsTypes.Node,
    private readonly visitorKeys: VisitorKeys,
  ) {}

  typeOf(member: TSESTree.MemberExpression): tsTypes.Type | undefined {
    if (member.object.type !== AST_NODE_TYPES.ThisExpression || member.computed) return undefined;
    if (member.property.type !== AST_NODE_TYPES.Identifier) return undefined;
    const fn = enclosingFunction(member);
    if (!fn) return undefined;
    const name = member.property.name;
    let byName = this.answers.get(fn);
    if (!byName) {
      byName = new Map();
      this.answers.set(fn, byName);
    }
    let answer = byName.get(name);
    if (answer === undefined) {
      answer = this.compute(fn, name) ?? null;
      byName.set(name, answer);
    }
    return answer ?? undefined;
  }

  /**
   * For `this` in a method, constructor or field initializer of a named class (also inside arrow
   * functions there): the class's declared instance type, when no `this` in that member sits where
   * narrowing could apply (`this instanceof C`, `isFoo(this)`, a `this is T` method). For
   * which-owner questions: the type of `this` there is the polymorphic `this`, whose constraint is
   * that type. TypeScript narrows each `this` by walking the flow back to the member's start (a
   * constructor of n statements using `this`: n²).
   */
  thisType(node: TSESTree.ThisExpression): tsTypes.Type | undefined {
    let fn = enclosingFunction(node);
    while (fn?.type === AST_NODE_TYPES.ArrowFunctionExpression) fn = enclosingFunction(fn);
    if (!fn) return undefined;
    let answer = this.thisAnswers.get(fn);
    if (answer === undefined) {
      answer = this.computeThis(fn) ?? null;
      this.thisAnswers.set(fn, answer);
    }
    return answer ?? undefined;
  }

  private computeThis(fn: TSESTree.Node): tsTypes.Type | undefined {
    const instance = this.instanceType(fn);
    if (!instance || !isUnnarrowable(instance)) return undefined;
    let neutral = true as boolean;
    walk(fn, this.visitorKeys, node => {
      if (neutral && node.type === AST_NODE_TYPES.ThisExpression && !this.reads.neutralRead(node, instance)) neutral = false;
    });
    return neutral ? instance : undefined;
  }

  private compute(fn: TSESTree.Node, name: string): tsTypes.Type | undefined {
    const instance = this.instanceType(fn);
    const property = instance && this.checker.getPropertyOfType(instance, name);
    if (!property || property.flags & (ts.SymbolFlags.Accessor | ts.SymbolFlags.Method)) return undefined;
    const declared = this.checker.getTypeOfSymbol(property);
    const core = withoutNullish(declared);
    if (!core || !isUnnarrowable(core)) return undefined;
    const reads = this.readsOf(fn).get(name) ?? [];
    return reads.every(read => isAssigned(read) || testsSet(read) || this.reads.neutralRead(read, core)) ? declared : undefined;
  }

  /** The instance type `this` has in the function: of the class whose method, constructor or field initializer it is (through arrow functions). */
  private instanceType(fn: TSESTree.Node): tsTypes.Type | undefined {
    let node: TSESTree.Node | undefined = fn;
    while (node?.type === AST_NODE_TYPES.ArrowFunctionExpression) node = enclosingFunction(node);
    if (!node) return undefined;
    const holder = node.type === AST_NODE_TYPES.FunctionExpression ? node.parent : node;
    const isMember =
      (holder.type === AST_NODE_TYPES.MethodDefinition && holder.value === node) ||
      (holder.type === AST_NODE_TYPES.PropertyDefinition && holder.value !== node);
    if (!isMember || holder.static) return undefined;
    const classNode = holder.parent.parent;
    if (!classNode.id) return undefined;
    const symbol = this.checker.getSymbolAtLocation(this.tsNodeOf(classNode.id));
    return symbol && this.checker.getDeclaredTypeOfSymbol(symbol);
  }

  private readsOf(fn: TSESTree.Node): Map<string, TSESTree.MemberExpression[]> {
    let byName = this.readsByFunction.get(fn);
    if (!byName) {
      const found = new Map<string, TSESTree.MemberExpression[]>();
      walk(fn, this.visitorKeys, node => {
        if (node.type !== AST_NODE_TYPES.MemberExpression || node.object.type !== AST_NODE_TYPES.ThisExpression) return;
        const name = memberNameOf(node);
        if (name === undefined) return;
        const list = found.get(name);
        if (list) list.push(node);
        else found.set(name, [node]);
      });
      byName = found;
      this.readsByFunction.set(fn, byName);
    }
    return byName;
  }
}

/**
 * The innermost function around a node, or the field initializer it is in (where `this` is the
 * instance too): the scope of TypeScript's narrowing of `this.f`, which does not cross functions.
 */
function enclosingFunction(node: TSESTree.Node): TSESTree.Node | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (isFunction(current)) return current;
    if (current.type === AST_NODE_TYPES.PropertyDefinition) return current;
  }
  return undefined;
}

/** T for `T`, `T | undefined`, `T | null | undefined`; undefined when more (or nothing) remains. */
function withoutNullish(type: tsTypes.Type): tsTypes.Type | undefined {
  if (!type.isUnion()) return type;
  const parts = type.types.filter(part => (part.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined)) === 0);
  return parts.length === 1 ? parts[0] : undefined;
}

/**
 * Whether narrowing can change nothing about a value of this declared type but to a subtype
 * through a construct DeclaredTypes looks for: not a union, not `any`/`unknown`/`never`/`object`,
 * nothing generic (an intersection: all its parts).
 */
export function isUnnarrowable(type: tsTypes.Type): boolean {
  if (type.isUnion()) return false;
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.Never | ts.TypeFlags.Instantiable | ts.TypeFlags.NonPrimitive))
    return false;
  return !type.isIntersection() || type.types.every(isUnnarrowable);
}

/** `this.f = v`: narrows a declared union to the parts `v` may be (a part of the declared type, never a subtype). */
function isAssigned(read: TSESTree.MemberExpression): boolean {
  const parent = read.parent;
  return parent.type === AST_NODE_TYPES.AssignmentExpression && parent.left === read && parent.operator === '=';
}

/** `if (this.f)`, `!this.f`, `this.f && …`, `x ?? this.f`, `this.f == null`, `this.f === undefined`: narrow the nullish parts only. */
function testsSet(read: TSESTree.MemberExpression): boolean {
  if (isBranchTest(read)) return true;
  const parent = read.parent;
  switch (parent.type) {
    case AST_NODE_TYPES.LogicalExpression:
      // Either side: tested for truthiness or nullishness, or passed on as the value.
      return true;
    case AST_NODE_TYPES.UnaryExpression:
      return parent.operator === '!';
    case AST_NODE_TYPES.BinaryExpression: {
      if (!['==', '!=', '===', '!=='].includes(parent.operator)) return false;
      const other = parent.left === read ? parent.right : parent.left;
      return (
        (other.type === AST_NODE_TYPES.Literal && other.value === null) ||
        (other.type === AST_NODE_TYPES.Identifier && other.name === 'undefined')
      );
    }
    default:
      return false;
  }
}
