import { AST_NODE_TYPES, TSESLint, type TSESTree } from '@typescript-eslint/utils';
import type * as tsTypes from 'typescript';
import ts from '../util/typescript.cjs';
import { isUnnarrowable, ThisFieldTypes } from './fieldTypes.js';
import { referencesOf } from './references.js';
import { namespaceMember } from './values.js';
import { isBranchTest } from '../util/ast.js';

/**
 * The type of a variable's reference without TypeScript's control-flow narrowing, where
 * narrowing cannot change it.
 *
 * `checker.getTypeAtLocation(x)` narrows `x` by walking the function's control flow back from the
 * reference to the declaration, one flow node per statement passed; TypeScript caches that walk
 * only at branch and loop joins. Asked at every reference of a function of n statements, it costs
 * n²: one function of 8000 `const v = fh.fd; use(v)` statements took over a minute in a rule that
 * asks the type of `fh` at each `fh.fd`.
 *
 * Narrowing can change the type of a reference only through a construct that names the variable
 * in a narrowing position: a condition (`if (x)`, `!x`, `x && …`, `x === y`, `x instanceof C`,
 * `'k' in x`, `typeof x`, `switch (x)`), a call of a type predicate or assertion function with it
 * as an argument (`isFoo(x)`, `assertFoo(x);`, directly or through a `const` that holds the
 * result), a predicate method on it (`x.isFoo()`), or an assignment (which narrows a union only:
 * plain assignments and updates of a variable of a non-union type are let through).
 * When the declared type is not a union, not `any`/`unknown`/`never` and not generic, and no
 * reference of the variable sits in such a position, every reference has the declared type; it is
 * read once per variable from the symbol (no flow walk). Anything else: undefined, and the caller
 * asks the checker as before.
 */
export class DeclaredTypes {
  private readonly byVariable = new Map<TSESLint.Scope.Variable, tsTypes.Type | null>();
  private readonly elementsByVariable = new Map<TSESLint.Scope.Variable, tsTypes.Type | null>();
  private thisFields: ThisFieldTypes | undefined;

  constructor(
    private readonly checker: tsTypes.TypeChecker,
    private readonly sourceCode: Readonly<TSESLint.SourceCode>,
    private readonly tsNodeOf: (node: TSESTree.Node) => tsTypes.Node,
    /** `noUncheckedIndexedAccess`: an element read not under `!` then also has `undefined`. */
    private readonly uncheckedIndexes = false,
  ) {}

  /** The type of every reference of the variable `identifier` reads, when narrowing cannot change it. */
  typeOfReference(identifier: TSESTree.Identifier): tsTypes.Type | undefined {
    // The identity service's lookup, shared with (and cached for) every rule of the file.
    const variable = referencesOf(this.sourceCode).variableOf(identifier);
    if (!variable || variable.defs.length === 0) return undefined;
    // When the answer is a type, every reference but the declaration's own only reads the
    // variable, and the declaration's name has the declared type too.
    let cached = this.byVariable.get(variable);
    if (cached === undefined) {
      // Declined while it is being computed: `r.register(r)` asks about `r` again.
      this.byVariable.set(variable, null);
      cached = this.compute(variable, identifier) ?? null;
      this.byVariable.set(variable, cached);
    }
    return cached ?? undefined;
  }

  /**
   * The declared type of the member `object.name` read here, when the object is a variable whose
   * references narrowing cannot change ({@link typeOfReference}) and the member's declared type is
   * not a union: narrowing of the read itself (`if (x.fd === 3)`) could only make it a subtype.
   * For questions no subtype answers differently (is the member callable), not for its exact type.
   * A member of a namespace import (`fs.fstatSync`) is read from the module's exports.
   */
  memberDeclaredType(member: TSESTree.MemberExpression): tsTypes.Type | undefined {
    if (member.optional || member.computed || member.property.type !== AST_NODE_TYPES.Identifier) return undefined;
    // `xs[i].m`, `xs[i]!.m`: on the declared element type (see elementType).
    if (member.object.type !== AST_NODE_TYPES.Identifier) {
      const element = this.elementType(member.object);
      const property = element && this.checker.getPropertyOfType(this.checker.getNonNullableType(element), member.property.name);
      const type = property && this.checker.getTypeOfSymbol(property);
      return type && isUnnarrowable(type) ? type : undefined;
    }
    const objectType = this.typeOfReference(member.object);
    const property = objectType
      ? this.checker.getPropertyOfType(objectType, member.property.name)
      : namespaceMember(this.checker, this.tsNodeOf(member) as tsTypes.PropertyAccessExpression);
    const type = property && this.checker.getTypeOfSymbol(property);
    return type && isUnnarrowable(type) ? type : undefined;
  }

  /**
   * The type of an element read `xs[i]` (also `xs[i]!`) where `xs` is a variable nothing narrows
   * ({@link typeOfReference}) of an array type whose element type is not a union, and no element
   * read of `xs` in the file sits where narrowing could apply to it (`xs[0] instanceof C`,
   * `isFoo(xs[0])`): every element read then has the declared element type (under
   * `noUncheckedIndexedAccess`, only reads under `!`). TypeScript narrows each `xs[0]` by walking the flow
   * back to the function's start (in a listener at the top level: through the whole file).
   */
  elementType(node: TSESTree.Node): tsTypes.Type | undefined {
    const nonNull = node.type === AST_NODE_TYPES.TSNonNullExpression;
    // Under `noUncheckedIndexedAccess` a read not under `!` is also `undefined`: left to the checker.
    if (this.uncheckedIndexes && !nonNull) return undefined;
    const read = nonNull ? node.expression : node;
    if (read.type !== AST_NODE_TYPES.MemberExpression || !read.computed || read.optional) return undefined;
    if (read.object.type !== AST_NODE_TYPES.Identifier) return undefined;
    const variable = referencesOf(this.sourceCode).variableOf(read.object);
    if (!variable || variable.defs.length === 0) return undefined;
    let cached = this.elementsByVariable.get(variable);
    if (cached === undefined) {
      cached = this.computeElementType(variable, read.object) ?? null;
      this.elementsByVariable.set(variable, cached);
    }
    return cached ?? undefined;
  }

  private computeElementType(variable: TSESLint.Scope.Variable, identifier: TSESTree.Identifier): tsTypes.Type | undefined {
    const arrayType = this.typeOfReference(identifier);
    if (!arrayType || !this.checker.isArrayType(arrayType)) return undefined;
    const element = this.checker.getIndexTypeOfType(arrayType, ts.IndexKind.Number);
    if (!element || !isUnnarrowable(element)) return undefined;
    for (const reference of variable.references) {
      const read = reference.identifier.parent;
      if (read.type !== AST_NODE_TYPES.MemberExpression || read.object !== reference.identifier || !read.computed) continue;
      if (read.optional || !this.neutralPosition(read, element)) return undefined;
    }
    return element;
  }

  /**
   * The symbol of the member `x.m` read here, from the declared type of `x` (a variable nothing
   * narrows, {@link typeOfReference}): the property TypeScript resolves there too, without the
   * flow walk back to `x`. Undefined when `x` does not qualify or has no such property.
   */
  memberSymbol(member: TSESTree.MemberExpression): tsTypes.Symbol | undefined {
    if (member.computed || member.property.type !== AST_NODE_TYPES.Identifier || member.object.type !== AST_NODE_TYPES.Identifier)
      return undefined;
    const objectType = this.typeOfReference(member.object);
    const property = objectType && this.checker.getPropertyOfType(objectType, member.property.name);
    if (!property || property.flags & ts.SymbolFlags.Alias) return undefined;
    return property;
  }

  /**
   * For `this.f`: the field's declared type, when TypeScript's narrowing of this read can only drop
   * its `null`/`undefined` (or all but those); see {@link ThisFieldTypes}. For which-owner questions.
   */
  thisFieldType(member: TSESTree.MemberExpression): tsTypes.Type | undefined {
    this.thisFields ??= new ThisFieldTypes(this.checker, this, this.tsNodeOf, this.sourceCode.visitorKeys);
    return this.thisFields.typeOf(member);
  }

  /** For `this` in a class member: the class's declared instance type where no `this` there may be narrowed; see {@link ThisFieldTypes.thisType}. */
  thisType(node: TSESTree.ThisExpression): tsTypes.Type | undefined {
    this.thisFields ??= new ThisFieldTypes(this.checker, this, this.tsNodeOf, this.sourceCode.visitorKeys);
    return this.thisFields.thisType(node);
  }

  /** Whether a read of a value of the non-union type `type` sits where no narrowing can apply to it. */
  neutralRead(read: TSESTree.Node, type: tsTypes.Type): boolean {
    return this.neutralPosition(read, type);
  }

  private compute(variable: TSESLint.Scope.Variable, identifier: TSESTree.Identifier): tsTypes.Type | undefined {
    // Variables, parameters and imports (TypeScript narrows an import's references like a
    // `const`'s); not functions, classes, enums, namespaces.
    const kinds = variable.defs.map(definitionKind);
    if (kinds.includes(undefined) || new Set(kinds).size > 1) return undefined;
    const symbol = this.checker.getSymbolAtLocation(this.tsNodeOf(identifier));
    if (!symbol) return undefined;
    const alias = (symbol.flags & ts.SymbolFlags.Alias) !== 0;
    if (kinds[0] === 'import' ? !alias : alias || (symbol.flags & ts.SymbolFlags.Variable) === 0) return undefined;
    const type =
      this.initializerMemberType(variable) ??
      this.initializerCallType(variable) ??
      this.initializerElementType(variable) ??
      this.checker.getTypeOfSymbol(symbol);
    if (!isUnnarrowable(type)) return undefined;
    for (const reference of variable.references) {
      if (reference.init === true) continue;
      if (reference.isWrite()) {
        // `x = v`, `x += v`, `x++`: an assignment narrows a union only (a non-union declared type
        // stays itself). Destructuring and logical assignments are declined.
        if (!plainAssignment(reference.identifier)) return undefined;
        continue;
      }
      if (!this.neutralPosition(reference.identifier, type)) return undefined;
    }
    return type;
  }

  /**
   * `const v = x.m` (no annotation) where `x.m` has a declared type we can read without a flow walk
   * and that type has no literal in it (so widening leaves it alone): that type. TypeScript would
   * check the initializer, which walks the flow back to `x`'s declaration.
   */
  private initializerMemberType(variable: TSESLint.Scope.Variable): tsTypes.Type | undefined {
    if (variable.defs.length !== 1) return undefined;
    const declarator = variable.defs[0]!.node;
    if (declarator.type !== AST_NODE_TYPES.VariableDeclarator || declarator.id.type !== AST_NODE_TYPES.Identifier) return undefined;
    if (declarator.id.typeAnnotation || declarator.init?.type !== AST_NODE_TYPES.MemberExpression) return undefined;
    const type = this.memberDeclaredType(declarator.init);
    if (!type || type.flags & (ts.TypeFlags.Literal | ts.TypeFlags.UniqueESSymbol | ts.TypeFlags.EnumLiteral | ts.TypeFlags.Object))
      return undefined;
    return type;
  }

  /**
   * `const v = f(…)`, `await f(…)`, `new C(…)` (no annotation) where every signature of the callee
   * (read from declarations, {@link calleeDeclaredType}) is non-generic and returns the same type, and that type is
   * one widening leaves alone: that type (awaited after `await`). The arguments cannot change it,
   * so it is read without checking them: TypeScript's check of the initializer would walk the flow
   * back from every argument (`open(path)` in a long function: back to `path`'s declaration).
   */
  private initializerCallType(variable: TSESLint.Scope.Variable): tsTypes.Type | undefined {
    if (variable.defs.length !== 1) return undefined;
    const declarator = variable.defs[0]!.node;
    if (declarator.type !== AST_NODE_TYPES.VariableDeclarator || declarator.id.type !== AST_NODE_TYPES.Identifier) return undefined;
    if (declarator.id.typeAnnotation || !declarator.init) return undefined;
    const init = declarator.init;
    const awaited = init.type === AST_NODE_TYPES.AwaitExpression;
    const call = awaited ? init.argument : init;
    if (call.type !== AST_NODE_TYPES.CallExpression && call.type !== AST_NODE_TYPES.NewExpression) return undefined;
    if (call.type === AST_NODE_TYPES.CallExpression && call.optional) return undefined;
    if (call.typeArguments) return undefined;
    const calleeType = this.calleeDeclaredType(call.callee);
    const kind = call.type === AST_NODE_TYPES.NewExpression ? ts.SignatureKind.Construct : ts.SignatureKind.Call;
    const returned = calleeType && sameReturnType(this.checker, this.checker.getSignaturesOfType(calleeType, kind));
    const type = returned && awaited ? this.checker.getAwaitedType(returned) : returned;
    return type && widensToItself(type) ? type : undefined;
  }

  /**
   * `const v = xs[i]` or `= xs[i]!` (no annotation) where the element read has a declared type
   * ({@link elementType}) that widening leaves alone: that type. TypeScript would check the
   * initializer, walking the flow back from `xs` (n such locals in one function: n²).
   */
  private initializerElementType(variable: TSESLint.Scope.Variable): tsTypes.Type | undefined {
    if (variable.defs.length !== 1) return undefined;
    const declarator = variable.defs[0]!.node;
    if (declarator.type !== AST_NODE_TYPES.VariableDeclarator || declarator.id.type !== AST_NODE_TYPES.Identifier) return undefined;
    if (declarator.id.typeAnnotation || !declarator.init) return undefined;
    const type = this.elementType(declarator.init);
    return type && widensToItself(type) ? type : undefined;
  }

  /** The declared type of a callee named by an identifier (a function, through import aliases) or by `x.m` ({@link memberDeclaredType}). */
  calleeDeclaredType(callee: TSESTree.Node): tsTypes.Type | undefined {
    if (callee.type === AST_NODE_TYPES.MemberExpression) return this.memberDeclaredType(callee);
    if (callee.type !== AST_NODE_TYPES.Identifier) return undefined;
    const symbol = this.checker.getSymbolAtLocation(this.tsNodeOf(callee));
    const target = symbol && symbol.flags & ts.SymbolFlags.Alias ? this.checker.getAliasedSymbol(symbol) : symbol;
    if (!target || (target.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Class)) === 0) return undefined;
    return this.checker.getTypeOfSymbol(target);
  }

  /** Whether a read of the variable (of non-union type `type`) sits where no narrowing can apply to it. */
  private neutralPosition(read: TSESTree.Node, type: tsTypes.Type): boolean {
    let node: TSESTree.Node = read;
    // Wrappers pass the reference on: judge the wrapper's position.
    while (
      node.parent &&
      (node.parent.type === AST_NODE_TYPES.TSNonNullExpression ||
        node.parent.type === AST_NODE_TYPES.TSAsExpression ||
        node.parent.type === AST_NODE_TYPES.TSSatisfiesExpression ||
        node.parent.type === AST_NODE_TYPES.TSTypeAssertion)
    ) {
      node = node.parent;
    }
    const parent: TSESTree.Node | undefined = node.parent;
    if (!parent) return false;
    switch (parent.type) {
      case AST_NODE_TYPES.MemberExpression: {
        if (parent.object !== node) return parent.computed && parent.property === node && !inCondition(parent);
        const call = parent.parent;
        if (call.type === AST_NODE_TYPES.CallExpression && call.callee === parent) {
          // `x.m(…)`: a `this is T` / `asserts this` method narrows x.
          if (parent.computed || parent.property.type !== AST_NODE_TYPES.Identifier) return false;
          const property = this.checker.getPropertyOfType(type, parent.property.name);
          return property !== undefined && !this.hasPredicate(this.checker.getTypeOfSymbol(property));
        }
        // `x.kind === 'a'`, `if (x.open)`: discriminants narrow unions only.
        return true;
      }
      case AST_NODE_TYPES.CallExpression:
        if (parent.callee === node) return false;
        return this.neutralArgument(parent);
      case AST_NODE_TYPES.NewExpression:
        return parent.callee !== node;
      case AST_NODE_TYPES.BinaryExpression:
        // Arithmetic, bitwise and ordering operators narrow nothing; equality, `instanceof` and `in` do.
        return !NARROWING_OPERATORS.has(parent.operator);
      case AST_NODE_TYPES.VariableDeclarator:
        return parent.init === node && parent.id.type === AST_NODE_TYPES.Identifier;
      case AST_NODE_TYPES.AssignmentExpression:
        return parent.right === node && parent.operator === '=';
      case AST_NODE_TYPES.Property:
        return parent.value === node && parent.parent.type === AST_NODE_TYPES.ObjectExpression;
      case AST_NODE_TYPES.ArrayExpression:
      case AST_NODE_TYPES.SpreadElement:
      case AST_NODE_TYPES.ReturnStatement:
      case AST_NODE_TYPES.AwaitExpression:
      case AST_NODE_TYPES.TemplateLiteral:
      case AST_NODE_TYPES.ArrowFunctionExpression:
        return !inCondition(parent);
      default:
        return false;
    }
  }

  /**
   * An argument of a call: narrows when the call is a type predicate used as a condition (directly
   * or through a `const`) or an assertion statement. Calls whose value goes elsewhere narrow
   * nothing; otherwise the callee (an identifier or `a.b` whose object's declared type is known)
   * must have no predicate signature.
   */
  private neutralArgument(call: TSESTree.CallExpression): boolean {
    let user: TSESTree.Node = call;
    while (user.parent.type === AST_NODE_TYPES.ChainExpression) user = user.parent;
    const parent: TSESTree.Node = user.parent;
    const used =
      parent.type === AST_NODE_TYPES.AwaitExpression ||
      parent.type === AST_NODE_TYPES.ReturnStatement ||
      (parent.type === AST_NODE_TYPES.CallExpression && parent.callee !== user) ||
      parent.type === AST_NODE_TYPES.NewExpression ||
      parent.type === AST_NODE_TYPES.ArrayExpression ||
      (parent.type === AST_NODE_TYPES.AssignmentExpression && parent.right === user);
    if (used && !inCondition(parent)) return true;
    const callee = call.callee;
    let calleeType: tsTypes.Type | undefined;
    if (callee.type === AST_NODE_TYPES.Identifier) {
      const symbol = this.checker.getSymbolAtLocation(this.tsNodeOf(callee));
      const target = symbol && symbol.flags & ts.SymbolFlags.Alias ? this.checker.getAliasedSymbol(symbol) : symbol;
      if (!target || (target.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Method)) === 0) return false;
      calleeType = this.checker.getTypeOfSymbol(target);
    } else if (
      callee.type === AST_NODE_TYPES.MemberExpression &&
      !callee.computed &&
      callee.property.type === AST_NODE_TYPES.Identifier &&
      callee.object.type === AST_NODE_TYPES.Identifier
    ) {
      const objectType = this.typeOfReference(callee.object);
      const property = objectType && this.checker.getPropertyOfType(objectType, callee.property.name);
      calleeType = property && this.checker.getTypeOfSymbol(property);
    }
    return calleeType !== undefined && !this.hasPredicate(calleeType);
  }

  private hasPredicate(type: tsTypes.Type): boolean {
    if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return true;
    const signatures = this.checker.getSignaturesOfType(this.checker.getNonNullableType(type), ts.SignatureKind.Call);
    return signatures.some(signature => this.checker.getTypePredicateOfSignature(signature) !== undefined);
  }
}

/** The return type every signature has (the same type object), when there are signatures and none is generic. */
function sameReturnType(checker: tsTypes.TypeChecker, signatures: readonly tsTypes.Signature[]): tsTypes.Type | undefined {
  if (signatures.length === 0 || signatures.some(signature => signature.getTypeParameters()?.length)) return undefined;
  const type = checker.getReturnTypeOfSignature(signatures[0]!);
  return signatures.every(signature => checker.getReturnTypeOfSignature(signature) === type) ? type : undefined;
}

/**
 * Whether a declared (return) type is the type of a variable it initializes: no literal (a `let`
 * would widen a fresh one), no object literal type, nothing generic, not `any`/`unknown`/`never`
 * or nullish (widened without strictNullChecks).
 */
function widensToItself(type: tsTypes.Type): boolean {
  if (!isUnnarrowable(type)) return false;
  if (
    type.flags &
    (ts.TypeFlags.Literal | ts.TypeFlags.UniqueESSymbol | ts.TypeFlags.EnumLiteral | ts.TypeFlags.Null | ts.TypeFlags.Undefined)
  )
    return false;
  if (type.isIntersection()) return type.types.every(widensToItself);
  return !(type.flags & ts.TypeFlags.Object) || ((type as tsTypes.ObjectType).objectFlags & ts.ObjectFlags.ObjectLiteral) === 0;
}

/** A definition DeclaredTypes reads the type of: a variable or parameter, or a value import (`import * as ns`, `import x`, `import { x }`). */
function definitionKind(def: TSESLint.Scope.Definition): 'variable' | 'import' | undefined {
  switch (def.type) {
    case TSESLint.Scope.DefinitionType.Variable:
    case TSESLint.Scope.DefinitionType.Parameter:
      return 'variable';
    case TSESLint.Scope.DefinitionType.ImportBinding: {
      const node = def.node;
      if (node.type === AST_NODE_TYPES.TSImportEqualsDeclaration) return undefined;
      const typeOnly =
        (node.type === AST_NODE_TYPES.ImportSpecifier && node.importKind === 'type') ||
        (node.parent.type === AST_NODE_TYPES.ImportDeclaration && node.parent.importKind === 'type');
      return typeOnly ? undefined : 'import';
    }
    default:
      return undefined;
  }
}

const NARROWING_OPERATORS: ReadonlySet<string> = new Set(['==', '!=', '===', '!==', 'instanceof', 'in']);

/** Whether the node's value is tested (a condition, an operand of `!`, `&&`, `||`, `??`, a comparison, `?:`). */
function inCondition(node: TSESTree.Node | undefined): boolean {
  const parent = node?.parent;
  if (!node || !parent) return false;
  if (isBranchTest(node)) return true;
  switch (parent.type) {
    case AST_NODE_TYPES.LogicalExpression:
    case AST_NODE_TYPES.BinaryExpression:
      return true;
    case AST_NODE_TYPES.UnaryExpression:
      return parent.operator === '!' || parent.operator === 'typeof';
    default:
      return false;
  }
}

/** `x = v`, `x op= v` (not `&&=`, `||=`, `??=`), `x++`: the identifier is the whole target. */
function plainAssignment(identifier: TSESTree.Node): boolean {
  const parent = identifier.parent;
  if (parent?.type === AST_NODE_TYPES.UpdateExpression) return true;
  return (
    parent?.type === AST_NODE_TYPES.AssignmentExpression &&
    parent.left === identifier &&
    parent.operator !== '&&=' &&
    parent.operator !== '||=' &&
    parent.operator !== '??='
  );
}
