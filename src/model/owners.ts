import { typeMatchesSpecifier, valueMatchesSpecifier } from '@typescript-eslint/type-utils';
import { AST_NODE_TYPES } from '@typescript-eslint/utils';
import tsutils from '../util/ts-api-utils.cjs';
import * as path from 'node:path';
import ts from '../util/typescript.cjs';
import {
  BUILTIN_ADOPTERS,
  BUILTIN_OWNERS,
  BUILTIN_RAW_CLOSERS,
  CONVENTIONAL_CLOSE,
  NODE_DUPLEX,
  NODE_PROCESS,
  NODE_WRITABLE,
  isConventionalGuardFlag,
  isConventionalGuardMethodName,
  type BuiltinOwnerSpec,
  type PendingOpSpec,
} from './builtins.js';
import { symbolMemberName } from './names.js';
import { nodeCoreOf, nodeModuleOf, type NodeCore, type NodeSpecifier } from './node.js';
import { PACKAGE_OWNERS, findPackageOwner } from './packages.js';
import { ROLE_FIELDS, type ExitHookSetting, type NativeHandleSettings, type ObjectSpecifier, type Role } from './settings.js';
import { ADOPTS_TAG, CLOSES_TAG, OWNER_TAG, constructorHasTag, declaredSymbol, fileMentionsTag, nodesWithTagText, rolesFromTags, symbolHasTag, tagNamesOf } from './tags.js';
import { TIMER_FUNCTIONS, everyDeclaration, isConst, skipOuterExpressions, valueSymbol } from './values.js';
import { matchesUnresolvedImport, specifierNames, symbolHasSpecifierName, withSimpleNames } from './valueSpecifiers.js';

export type OwnerSource = 'builtin' | 'tagged' | 'configured' | 'inferred';
export type RoleSets = Readonly<Record<Role, ReadonlySet<string>>>;

/** What the model knows about an owner type (spec §2). */
export interface Owner {
  /** How messages name it: `FileHandle`, `net.Socket`, or the declared type name. */
  readonly name: string;
  readonly source: OwnerSource;
  /** The type (or base type) that made it an owner. */
  readonly type: ts.Type;
  readonly roles: RoleSets;
  /**
   * Built-ins: exactly the listed operations. Tagged and configured owners: every other method
   * that returns a thenable or takes a completion callback. Inferred owner classes: none.
   */
  readonly pendingOps: ReadonlyMap<string, PendingOpSpec> | 'async-methods' | 'none';
  /** For owners that cannot cancel a pending operation: what to do instead. */
  readonly noCancelAdvice?: string;
  /** Set for inferred owner classes (spec §2.4). */
  readonly ownerClass?: OwnerClass;
  /** For a built-in owner of a native package (spec §2.7, src/model/packages.ts): the package. */
  readonly nativePackage?: string;
}

/** An inferred owner class (spec §2.4). */
export interface OwnerClass {
  readonly declaration: ts.ClassLikeDeclaration;
  readonly name: string;
  readonly closeMethods: ReadonlySet<string>;
  /** Boolean fields/getters that are true when closed. */
  readonly guardFlags: ReadonlySet<string>;
  /** Methods that throw when closed (`throwIfClosed`, `assertOpen`, tagged `@lifetimeGuard`). */
  readonly guardMethods: ReadonlySet<string>;
  /** Fields (including `#private` and parameter properties) whose type is an owner. */
  readonly resourceFields: ReadonlyMap<string, Owner>;
}

/** A settings specifier or a Node one: what the syntactic prefilter of value matching reads. */
type NamedSpecifier = Pick<ObjectSpecifier | NodeSpecifier, 'name'>;
/** Receivers whose `forEach`/`map`/… run their callback before returning, by type name. */
const COLLECTION_TYPE_NAMES = /^(?:Array|ReadonlyArray|Map|ReadonlyMap|Set|ReadonlySet|String|ArrayConstructor|\w+Array)$/;

function isErrorType(type: ts.Type): boolean {
  return tsutils.isIntrinsicErrorType(type);
}

function emptyRoles(): Record<Role, Set<string>> {
  return Object.fromEntries(ROLE_FIELDS.map(role => [role, new Set<string>()])) as Record<Role, Set<string>>;
}

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
 * The resource model of one program: which types own native resources and what their members
 * do. Every answer is cached per type or declaration, so rules can ask freely at candidates.
 */
export class ResourceModel {
  readonly checker: ts.TypeChecker;
  /** What the program declares of Node core: every question about Node's modules and globals goes there. */
  readonly node: NodeCore;
  private readonly ownerCache = new Map<ts.Type, Owner | null>();
  private readonly classCache = new Map<ts.ClassLikeDeclaration, OwnerClass | null>();
  /** The types and class declarations being computed, outermost first (see {@link memo}). */
  private readonly stack: object[] = [];
  /** The lowest stack index a cycle was cut at while computing the current frame. */
  private lowestCut = Infinity;
  /** "Not an owner" answers that assumed a frame still on the stack is not one: key → that frame's index. */
  private readonly tentative = new Map<object, number>();
  /** Work to do once the outermost computation is done (completing owner classes' resource fields). */
  private readonly deferred: Array<() => void> = [];
  /** {@link mentionsTag} answers, per tag. */
  private readonly mentionedTags = new Map<string, boolean>();
  /** {@link mayBeRawHandleName}'s names; null when some tagged name is unknown (no prefilter). */
  private rawHandleNameSet: ReadonlySet<string> | null | undefined;

  constructor(
    readonly program: ts.Program,
    readonly settings: NativeHandleSettings,
  ) {
    this.checker = program.getTypeChecker();
    this.node = nodeCoreOf(program);
  }

  /**
   * The owner a type denotes, or undefined for "not an owner" and for "unknown" (`any`,
   * `unknown`, error types, unions mixing owners and non-owners): rules stay quiet on both.
   */
  ownerOfType(type: ts.Type): Owner | undefined {
    return this.memo(this.ownerCache, type, () => this.computeOwner(type));
  }

  /**
   * Whether some source file of the program (declaration files included) contains the text
   * `@<tag>`: a JSDoc tag can only be where its text is. Lets a question about a tag be answered
   * "no" without asking the checker for a symbol (spec §4: type queries only at candidates).
   */
  mentionsTag(tag: string): boolean {
    let mentioned = this.mentionedTags.get(tag);
    if (mentioned === undefined) {
      mentioned = this.program.getSourceFiles().some(file => fileMentionsTag(file, tag));
      this.mentionedTags.set(tag, mentioned);
    }
    return mentioned;
  }

  /**
   * Syntax-first prefilter: whether a member of this name may have the `rawHandle` role on some
   * owner (a built-in's or a `resources` setting's rawHandle name, or a member tagged
   * `@rawHandle`). False means no owner type can give it the role, so no type need be asked.
   */
  mayBeRawHandleName(name: string): boolean {
    if (this.rawHandleNameSet === undefined) this.rawHandleNameSet = this.computeRawHandleNames();
    return this.rawHandleNameSet === null || this.rawHandleNameSet.has(name);
  }

  private computeRawHandleNames(): ReadonlySet<string> | null {
    const names = new Set<string>();
    for (const spec of [...BUILTIN_OWNERS, ...PACKAGE_OWNERS]) for (const name of spec.roles.rawHandle ?? []) names.add(name);
    for (const resource of this.settings.resources) for (const name of resource.roles.rawHandle ?? []) names.add(name);
    if (!this.mentionsTag('rawHandle')) return names;
    for (const file of this.program.getSourceFiles()) {
      for (const node of nodesWithTagText(file, 'rawHandle')) {
        const symbol = declaredSymbol(node, this.checker);
        // A tag whose member name is unknown (on a statement, a parameter list…): no prefilter then.
        if (!symbol) return null;
        if (symbolHasTag(symbol, 'rawHandle', this.checker)) names.add(symbolMemberName(symbol));
      }
    }
    return names;
  }

  /** Whether `name` has `role` on this owner. */
  hasRole(owner: Owner, role: Role, name: string | undefined): boolean {
    return name !== undefined && owner.roles[role].has(name);
  }

  /** The roles of one member of an owner. */
  rolesOf(owner: Owner, name: string | undefined): Role[] {
    if (name === undefined) return [];
    const roles = ROLE_FIELDS.filter(role => owner.roles[role].has(name));
    if (roles.length === 0 && this.isSyncTwinOfClose(owner, name)) return ['close'];
    return roles;
  }

  /**
   * `closeSync()` beside a close-role `close()` is the synchronous twin of that close (as
   * `fs.Dir` lists it), though the conventional close names leave it out.
   */
  private isSyncTwinOfClose(owner: Owner, name: string): boolean {
    const base = /^(.+)Sync$/.exec(name)?.[1];
    return (
      base !== undefined &&
      owner.roles.close.has(base) &&
      this.checker.getPropertyOfType(owner.type, name) !== undefined &&
      this.membersWithRole(owner, 'close').includes(base)
    );
  }

  /** The members of the owner's type that have `role` (defaults the type does not declare are left out). */
  membersWithRole(owner: Owner, role: Role): string[] {
    const declared = new Set(this.checker.getPropertiesOfType(owner.type).map(symbolMemberName));
    return [...owner.roles[role]].filter(name => declared.has(name));
  }

  /**
   * Whether calling member `name` with the given call starts a pending operation (spec §2):
   * for built-ins the listed operations; for tagged or configured owners any method with no
   * role that returns a thenable or takes a completion callback.
   */
  isPendingOperation(owner: Owner, name: string | undefined, call: ts.CallExpression): boolean {
    if (name === undefined || owner.pendingOps === 'none') return false;
    if (owner.pendingOps === 'async-methods') {
      if (this.rolesOf(owner, name).length > 0) return false;
      return this.returnsThenable(call) || this.passesCompletionCallback(call);
    }
    const spec = owner.pendingOps.get(name);
    if (spec === undefined) return false;
    return spec.callbackOnly === true ? this.passesCompletionCallback(call) : true;
  }

  /** Whether the call's result is a Promise or another thenable. */
  returnsThenable(call: ts.Expression, calleeType?: ts.Type): boolean {
    const declared = this.declaredReturnsThenable(call, calleeType);
    if (declared !== undefined) return declared;
    const type = this.checker.getTypeAtLocation(call);
    if (tsutils.isTypeFlagSet(type, ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return false;
    return tsutils.isThenableType(this.checker, call, type);
  }

  /**
   * For a call whose callee's signatures all declare a concrete return type (no type parameter,
   * `this`, `any` or `unknown` in it), whether those types are thenables when they all agree:
   * the same answer as the call's own type, without resolving the call (whose argument checking
   * can walk the control flow of a long function back to each argument's declaration).
   */
  private declaredReturnsThenable(call: ts.Expression, calleeType?: ts.Type): boolean | undefined {
    if (!ts.isCallExpression(call)) return undefined;
    // The callee's declared type when the caller knows it (no flow walk back to its object).
    const signatures = (calleeType ?? this.checker.getTypeAtLocation(call.expression)).getCallSignatures();
    if (signatures.length === 0) return undefined;
    let answer: boolean | undefined;
    for (const signature of signatures) {
      const type = signature.getReturnType();
      const parts = type.isUnionOrIntersection() ? type.types : [type];
      if (parts.some(part => tsutils.isTypeFlagSet(part, ts.TypeFlags.Instantiable | ts.TypeFlags.Any | ts.TypeFlags.Unknown))) {
        return undefined;
      }
      // A generic signature's return type may be thenable only once instantiated, unless it is the lib's Promise.
      if ((signature.getTypeParameters()?.length ?? 0) > 0 && !this.isLibPromise(type)) return undefined;
      const thenable = tsutils.isThenableType(this.checker, call, type);
      if (answer !== undefined && answer !== thenable) return undefined;
      answer = thenable;
    }
    return answer;
  }

  private isLibPromise(type: ts.Type): boolean {
    const symbol = type.getSymbol();
    return (
      symbol?.name === 'Promise' &&
      everyDeclaration(symbol, declaration => this.program.isSourceFileDefaultLibrary(declaration.getSourceFile()))
    );
  }

  /**
   * Whether the call passes a completion callback: a function argument in the last parameter
   * whose first parameter accepts `Error | null` (or an Error subtype such as ErrnoException).
   */
  passesCompletionCallback(call: ts.CallExpression | ts.NewExpression): boolean {
    const args = call.arguments ?? [];
    const last = args[args.length - 1];
    if (last === undefined) return false;
    const signature = this.checker.getResolvedSignature(call);
    const parameters = signature?.getParameters() ?? [];
    if (parameters.length === 0) return false;
    const parameter = parameters[Math.min(args.length, parameters.length) - 1];
    if (parameter === undefined || parameters.indexOf(parameter) !== parameters.length - 1) return false;
    const parameterType = this.checker.getTypeOfSymbolAtLocation(parameter, call);
    return tsutils.unionConstituents(this.checker.getNonNullableType(parameterType)).some(part =>
      part.getCallSignatures().some(callback => this.acceptsErrorFirst(callback, call)),
    );
  }

  /** Whether the type is Node's `process` object. */
  isProcessType(type: ts.Type): boolean {
    return this.node.typeIs(type, NODE_PROCESS);
  }

  /** Whether the value (a callee) is `fs.close`/`fs.closeSync`, a `rawClose` setting, or tagged `@closesHandle`. */
  isRawCloser(callee: ts.Node, known?: ts.Symbol): boolean {
    return this.valueMatches(callee, this.settings.rawClose, CLOSES_TAG, BUILTIN_RAW_CLOSERS, known);
  }

  /** Whether the value (a callee or constructor) adopts a raw handle: `adopt` setting or `@adoptsHandle`. */
  isAdopter(callee: ts.Node): boolean {
    return this.valueMatches(callee, this.settings.adopt, ADOPTS_TAG);
  }

  /** Whether the value (a callee) is a configured `exitHooks` function (in either form). */
  isConfiguredExitHook(callee: ts.Node): boolean {
    return this.configuredExitHooks(callee).length > 0;
  }

  /** The configured `exitHooks` entries the value (a callee) is the hook of; empty when none. */
  configuredExitHooks(callee: ts.Node): readonly ExitHookSetting[] {
    const hooks = this.settings.exitHooks;
    if (!this.valueMatches(callee, hooks.map(entry => entry.hook))) return [];
    return hooks.length === 1 ? hooks : hooks.filter(entry => this.valueMatches(callee, [entry.hook]));
  }

  /**
   * Whether the value (a callee or constructor) is a built-in adopter (spec §2, source 1):
   * `fs.createReadStream`/`createWriteStream` when called, `net.Socket` when constructed, matched
   * by their declarations in `@types/node` (so an imported alias counts, a look-alike does not).
   */
  isBuiltinAdopter(callee: ts.Node, construct: boolean): boolean {
    const symbol = this.symbolOf(callee);
    if (!symbol) return false;
    return BUILTIN_ADOPTERS.some(spec => spec.construct === construct && this.node.symbolIs(symbol, spec.value, true));
  }

  /** The symbol a value (a callee, `a.b`, an identifier) names, through import aliases. */
  symbolOf(node: ts.Node): ts.Symbol | undefined {
    return valueSymbol(this.checker, node);
  }

  /**
   * For a global timer function (`setTimeout`, `setInterval`, `setImmediate`, `queueMicrotask`,
   * also imported from `timers` under another name) declared by the lib or `@types/node`: its name.
   */
  timerName(callee: ts.Node): string | undefined {
    const symbol = this.symbolOf(callee);
    if (!symbol || !TIMER_FUNCTIONS.has(symbol.name)) return undefined;
    const isNodeOrLib = (declaration: ts.Node): boolean => {
      const file = declaration.getSourceFile();
      return file.isDeclarationFile && (this.program.isSourceFileDefaultLibrary(file) || this.node.isNodeTypesDeclaration(declaration));
    };
    return everyDeclaration(symbol, isNodeOrLib) ? symbol.name : undefined;
  }

  /**
   * The declared name of the function of Node's `fs` module a callee denotes (`fs.unlink`, an
   * `unlink` imported from `fs` or `node:fs` under any name); undefined for anything else.
   */
  nodeFsFunctionName(callee: ts.Node): string | undefined {
    const symbol = this.symbolOf(callee);
    const isFsFunction = (declaration: ts.Declaration): boolean =>
      (ts.isFunctionDeclaration(declaration) || ts.isModuleDeclaration(declaration)) && nodeModuleOf(declaration) === 'fs';
    return everyDeclaration(symbol, isFsFunction) ? symbol?.name : undefined;
  }

  /** Whether some declaration of the value is in a declaration file (`setTimeout`, not a local function of that name). */
  isDeclaredValue(node: ts.Node): boolean {
    return this.symbolOf(node)?.declarations?.some(declaration => declaration.getSourceFile().isDeclarationFile) ?? false;
  }

  /** Whether every declaration of the value is in the default lib (`[].map`, not a user's `map` method). */
  isDefaultLibValue(node: ts.Node): boolean {
    return everyDeclaration(this.symbolOf(node), declaration => this.program.isSourceFileDefaultLibrary(declaration.getSourceFile()));
  }

  /**
   * Which of `stream.Writable` and `stream.Duplex` the type is or extends (type parameters through
   * their constraint; a union when all its non-nullish members do; an intersection when one does).
   */
  writableBase(type: ts.Type): 'stream.Writable' | 'stream.Duplex' | undefined {
    if (tsutils.isTypeFlagSet(type, ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.Never)) return undefined;
    if (tsutils.isTypeFlagSet(type, ts.TypeFlags.TypeParameter)) {
      const constraint = this.checker.getBaseConstraintOfType(type);
      return constraint && constraint !== type ? this.writableBase(constraint) : undefined;
    }
    if (tsutils.isUnionType(type)) {
      const parts = type.types.filter(part => !tsutils.isTypeFlagSet(part, ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Void));
      const bases = parts.map(part => this.writableBase(part));
      return parts.length > 0 && bases.every(base => base !== undefined) ? bases[0] : undefined;
    }
    if (tsutils.isIntersectionType(type)) {
      for (const part of type.types) {
        const base = this.writableBase(part);
        if (base !== undefined) return base;
      }
      return undefined;
    }
    for (const candidate of this.hierarchyOf(type, false).slice(0, 64)) {
      if (this.node.typeIs(candidate, NODE_WRITABLE)) return 'stream.Writable';
      if (this.node.typeIs(candidate, NODE_DUPLEX)) return 'stream.Duplex';
    }
    return undefined;
  }

  /**
   * Whether every non-nullish member of the type is a string, an array or tuple, or a collection
   * named like the lib's (`Map`, `Set`, their read-only forms, typed arrays, `ArrayConstructor`):
   * receivers whose `forEach`, `map`, `replace`, `from`… run their callback before returning.
   */
  isCollectionType(type: ts.Type): boolean {
    const parts = tsutils.unionConstituents(this.checker.getNonNullableType(type));
    return (
      parts.length > 0 &&
      parts.every(part => {
        if (tsutils.isTypeFlagSet(part, ts.TypeFlags.StringLike)) return true;
        if (this.checker.isArrayType(part) || this.checker.isTupleType(part)) return true;
        const name = part.getSymbol()?.name;
        return name !== undefined && COLLECTION_TYPE_NAMES.test(name);
      })
    );
  }

  /** The inferred owner class of a class declaration (spec §2.4), or undefined. */
  ownerClassOf(declaration: ts.ClassLikeDeclaration): OwnerClass | undefined {
    return this.memo(this.classCache, declaration, () => this.computeOwnerClass(declaration));
  }

  /**
   * Memoises `compute` for `key`, cutting cycles (a class whose field has the class's own type,
   * classes that refer to each other). Owner-ness is the least fixed point: a key met again while
   * it is being computed is taken as "not an owner" for now. A "yes" is final (assuming fewer
   * owners can only lose fields); a "no" that relied on such a cut is kept only while the frame
   * it was cut at is on the stack, so the answer never depends on which question came first.
   */
  private memo<K extends object, V>(cache: Map<K, V | null>, key: K, compute: () => V | undefined): V | undefined {
    const cached = cache.get(key);
    if (cached !== undefined) return cached ?? undefined;
    const cutAt = this.stack.indexOf(key);
    const tentativeCut = cutAt >= 0 ? cutAt : this.tentative.get(key);
    if (tentativeCut !== undefined) {
      this.lowestCut = Math.min(this.lowestCut, tentativeCut);
      return undefined;
    }
    const depth = this.stack.length;
    const outerCut = this.lowestCut;
    this.lowestCut = Infinity;
    this.stack.push(key);
    let value: V | undefined;
    try {
      value = compute();
    } finally {
      this.stack.pop();
      // Answers that assumed this frame was "no" were provisional: forget them.
      for (const [tentativeKey, index] of this.tentative) if (index >= depth) this.tentative.delete(tentativeKey);
    }
    if (value !== undefined || this.lowestCut >= depth) cache.set(key, value ?? null);
    else this.tentative.set(key, this.lowestCut);
    this.lowestCut = Math.min(outerCut, this.lowestCut);
    if (depth === 0) {
      this.lowestCut = Infinity;
      for (let task = this.deferred.shift(); task; task = this.deferred.shift()) task();
    }
    return value;
  }

  // ---------------------------------------------------------------------------------------
  // Owner types

  private computeOwner(type: ts.Type): Owner | undefined {
    if (tsutils.isTypeFlagSet(type, ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.Never)) return undefined;
    if (isErrorType(type)) return undefined;
    // Type parameters, `this`, indexed access (`T['fh']`) and conditional types: their constraint.
    if (tsutils.isTypeFlagSet(type, ts.TypeFlags.InstantiableNonPrimitive)) {
      const constraint = this.checker.getBaseConstraintOfType(type);
      return constraint && constraint !== type ? this.ownerOfType(constraint) : undefined;
    }
    if (tsutils.isUnionType(type)) {
      const parts = type.types.filter(part => !tsutils.isTypeFlagSet(part, ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Void));
      if (parts.length === 0) return undefined;
      const owners = parts.map(part => this.ownerOfType(part));
      return owners.every(owner => owner !== undefined) ? owners[0] : undefined;
    }
    if (tsutils.isIntersectionType(type)) {
      for (const part of type.types) {
        const owner = this.ownerOfType(part);
        if (owner) return owner;
      }
      return undefined;
    }
    if (!tsutils.isObjectType(type)) return undefined;
    return this.ownerFromHierarchy(type);
  }

  private ownerFromHierarchy(type: ts.Type): Owner | undefined {
    const hierarchy = this.hierarchyOf(type);
    const builtin = this.findBuiltin(hierarchy);
    const configured = this.settings.resources.filter(resource =>
      hierarchy.some(candidate => this.typeMatchesSetting(candidate, resource.type)),
    );
    const tagged = hierarchy.some(candidate => symbolHasTag(candidate.getSymbol(), OWNER_TAG, this.checker));
    if (builtin) return this.builtinOwner(builtin.spec, type, configured.map(c => c.roles));
    // A popular native package's type (spec §2.7), unless a `resources` entry replaces it.
    const known = configured.length === 0 ? findPackageOwner(hierarchy) : undefined;
    if (known) return { ...this.builtinOwner(known, type, []), nativePackage: known.type.package };
    if (tagged || configured.length > 0) {
      return this.declaredOwner(type, tagged ? 'tagged' : 'configured', configured.map(c => c.roles));
    }
    const declaration = type.getSymbol()?.valueDeclaration;
    if (declaration && ts.isClassLike(declaration)) {
      const ownerClass = this.ownerClassOf(declaration);
      if (ownerClass) {
        const roles = emptyRoles();
        for (const name of ownerClass.closeMethods) roles.close.add(name);
        for (const name of [...ownerClass.guardFlags, ...ownerClass.guardMethods]) roles.guard.add(name);
        this.addTaggedMemberRoles(type, roles, new Set());
        return { name: ownerClass.name, source: 'inferred', type, roles, pendingOps: 'none', ownerClass };
      }
    }
    return undefined;
  }

  /**
   * The type itself, then its base classes and implemented/extended interfaces, breadth first.
   * With `implemented: false`, only what it extends (not the interfaces a class implements).
   */
  private hierarchyOf(type: ts.Type, implemented = true): ts.Type[] {
    const seen = new Set<ts.Type>([type]);
    const queue: ts.Type[] = [type];
    for (let index = 0; index < queue.length && index < 64; index++) {
      const current = queue[index]!;
      for (const base of this.directBasesOf(current, implemented)) {
        if (!seen.has(base)) {
          seen.add(base);
          queue.push(base);
        }
      }
    }
    return queue;
  }

  private directBasesOf(type: ts.Type, implemented: boolean): ts.Type[] {
    const bases: ts.Type[] = [];
    const target = tsutils.isTypeReference(type) ? type.target : type;
    if (tsutils.isObjectType(target) && tsutils.isObjectFlagSet(target, ts.ObjectFlags.ClassOrInterface)) {
      bases.push(...this.checker.getBaseTypes(target as ts.InterfaceType));
    }
    if (!implemented) return bases;
    for (const declaration of type.getSymbol()?.declarations ?? []) {
      if (!ts.isClassLike(declaration)) continue;
      for (const clause of declaration.heritageClauses ?? []) {
        if (clause.token !== ts.SyntaxKind.ImplementsKeyword) continue;
        for (const node of clause.types) bases.push(this.checker.getTypeAtLocation(node));
      }
    }
    return bases;
  }

  private findBuiltin(hierarchy: readonly ts.Type[]): { spec: BuiltinOwnerSpec } | undefined {
    for (const candidate of hierarchy) {
      const symbol = candidate.getSymbol();
      if (!symbol?.declarations?.some(declaration => declaration.getSourceFile().isDeclarationFile)) continue;
      for (const spec of BUILTIN_OWNERS) {
        if (this.node.typeIs(candidate, spec.type)) return { spec };
      }
    }
    return undefined;
  }

  private builtinOwner(
    spec: Omit<BuiltinOwnerSpec, 'type'>,
    type: ts.Type,
    extra: ReadonlyArray<Partial<Record<Role, readonly string[]>>>,
  ): Owner {
    const roles = emptyRoles();
    for (const role of ROLE_FIELDS) for (const name of spec.roles[role] ?? []) roles[role].add(name);
    for (const entry of extra) for (const role of ROLE_FIELDS) for (const name of entry[role] ?? []) roles[role].add(name);
    this.addTaggedMemberRoles(type, roles, new Set());
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
  private declaredOwner(
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
    this.addTaggedMemberRoles(type, roles, explicit);
    if (!explicit.has('close')) for (const name of CONVENTIONAL_CLOSE) roles.close.add(name);
    if (!explicit.has('guard')) {
      for (const property of this.checker.getPropertiesOfType(type)) {
        const name = symbolMemberName(property);
        const propertyType = this.checker.getTypeOfSymbol(property);
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
  private addTaggedMemberRoles(type: ts.Type, roles: Record<Role, Set<string>>, explicit: Set<Role>): void {
    for (const candidate of this.hierarchyOf(type)) {
      for (const property of this.checker.getPropertiesOfType(candidate)) {
        for (const role of rolesFromTags(property, this.checker)) {
          explicit.add(role);
          roles[role].add(symbolMemberName(property));
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------
  // Inferred owner classes

  private computeOwnerClass(declaration: ts.ClassLikeDeclaration): OwnerClass | undefined {
    const members = this.classMembers(declaration, new Set());
    const { closeMethods, guardFlags, guardMethods } = members;
    for (const method of members.candidateGuardMethods) {
      if (method.body && this.readsThisMember(method.body, guardFlags)) guardMethods.add(this.declarationName(method.name)!);
    }
    if (closeMethods.size === 0) return undefined;
    const resourceFields = new Map<string, Owner>();
    const others = new Map<string, ts.Type>();
    for (const [name, type] of members.fields) {
      const owner = this.ownerOfType(type);
      if (owner) resourceFields.set(name, owner);
      else others.set(name, type);
    }
    if (resourceFields.size === 0 && !members.hasRawHandleField) return undefined;
    // A field whose type is this class (or one that refers back to it) was taken as "not an
    // owner" while the class was being decided: ask again once the outermost question is done.
    if (others.size > 0) {
      this.deferred.push(() => {
        for (const [name, type] of others) {
          const owner = this.ownerOfType(type);
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

  /** Whether a type matches a settings specifier: type-utils' matching, or Node's for a module the program declares. */
  private typeMatchesSetting(type: ts.Type, specifier: ObjectSpecifier): boolean {
    if (typeMatchesSpecifier(type, specifier, this.program)) return true;
    const node = this.node.moduleSpecifier(specifier);
    return node !== undefined && this.node.typeIs(type, node);
  }

  /**
   * The members of a class that §2.4 looks at, including those it inherits from the classes it
   * extends that are declared in source files (a subclass of an owner class is an owner class).
   */
  private classMembers(declaration: ts.ClassLikeDeclaration, seen: Set<ts.ClassLikeDeclaration>): ClassMembers {
    seen.add(declaration);
    const base = this.sourceBaseClassOf(declaration);
    const members: ClassMembers =
      base && !seen.has(base)
        ? this.classMembers(base, seen)
        : {
            closeMethods: new Set(),
            guardFlags: new Set(),
            guardMethods: new Set(),
            candidateGuardMethods: [],
            fields: new Map(),
            hasRawHandleField: false,
          };

    for (const member of declaration.members) {
      const name = member.name ? this.declarationName(member.name) : undefined;
      const memberSymbol = name === undefined ? undefined : declaredSymbol(member, this.checker);
      const tagged = memberSymbol ? tagNamesOf(memberSymbol, this.checker) : [];
      if (ts.isMethodDeclaration(member) && name !== undefined) {
        if (tagged.includes('close') || (CONVENTIONAL_CLOSE as readonly string[]).includes(name)) members.closeMethods.add(name);
        if (tagged.includes('lifetimeGuard')) members.guardMethods.add(name);
        else if (isConventionalGuardMethodName(name)) members.candidateGuardMethods.push(member);
      } else if ((ts.isPropertyDeclaration(member) || ts.isGetAccessorDeclaration(member)) && name !== undefined) {
        const type = this.checker.getTypeAtLocation(member);
        if (tagged.includes('lifetimeGuard')) members.guardFlags.add(name);
        else if (isConventionalGuardFlag(name) && tsutils.isTypeFlagSet(type, ts.TypeFlags.BooleanLike)) members.guardFlags.add(name);
        if (ts.isPropertyDeclaration(member)) {
          members.fields.set(name, type);
          if (member.initializer && this.isRawHandleRead(member.initializer)) members.hasRawHandleField = true;
        }
      } else if (ts.isConstructorDeclaration(member)) {
        for (const parameter of member.parameters) {
          if (!ts.isParameterPropertyDeclaration(parameter, member) || !ts.isIdentifier(parameter.name)) continue;
          members.fields.set(parameter.name.text, this.checker.getTypeAtLocation(parameter));
        }
        if (member.body && this.assignsRawHandleToThis(member.body)) members.hasRawHandleField = true;
      }
    }
    return members;
  }

  /** The class a class extends, when that class is declared in a source (not declaration) file. */
  private sourceBaseClassOf(declaration: ts.ClassLikeDeclaration): ts.ClassLikeDeclaration | undefined {
    const heritage = declaration.heritageClauses?.find(clause => clause.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
    if (!heritage) return undefined;
    const base = this.checker.getTypeAtLocation(heritage).getSymbol()?.valueDeclaration;
    return base && ts.isClassLike(base) && !base.getSourceFile().isDeclarationFile ? base : undefined;
  }

  private declarationName(name: ts.PropertyName): string | undefined {
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

  private isRawHandleRead(expression: ts.Expression): boolean {
    if (!ts.isPropertyAccessExpression(expression)) return false;
    const owner = this.ownerOfType(this.checker.getTypeAtLocation(expression.expression));
    return owner !== undefined && owner.roles.rawHandle.has(this.declarationName(expression.name) ?? '');
  }

  private assignsRawHandleToThis(body: ts.Node): boolean {
    let found = false;
    const visit = (node: ts.Node): void => {
      if (found) return;
      if (
        ts.isBinaryExpression(node) &&
        node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        ts.isPropertyAccessExpression(node.left) &&
        node.left.expression.kind === ts.SyntaxKind.ThisKeyword &&
        this.isRawHandleRead(node.right)
      ) {
        found = true;
        return;
      }
      if (!ts.isFunctionLike(node)) node.forEachChild(visit);
    };
    visit(body);
    return found;
  }

  private readsThisMember(body: ts.Node, names: ReadonlySet<string>): boolean {
    let found = false;
    const visit = (node: ts.Node): void => {
      if (found) return;
      if (
        ts.isPropertyAccessExpression(node) &&
        node.expression.kind === ts.SyntaxKind.ThisKeyword &&
        names.has(this.declarationName(node.name) ?? '')
      ) {
        found = true;
        return;
      }
      node.forEachChild(visit);
    };
    visit(body);
    return found;
  }

  // ---------------------------------------------------------------------------------------
  // Values (callees) matched through their symbol

  /**
   * Whether the value is one of Node's `builtins`, matches one of the settings' `specifiers`, or
   * (with `tag`) is tagged. `known`: the caller found the member's symbol from its object's
   * declared type (no flow walk).
   */
  private valueMatches(node: ts.Node, specifiers: readonly ObjectSpecifier[], tag?: string, builtins: readonly NodeSpecifier[] = [], known?: ts.Symbol): boolean {
    const tagged = tag !== undefined && this.mentionsTag(tag);
    if (specifiers.length === 0 && builtins.length === 0 && !tagged) return false; // no symbol needed
    if (known === undefined && matchesUnresolvedImport(this.checker, node, specifiers)) return true;
    if (!tagged && !this.mayNameValue(node, [...builtins, ...specifiers.map(withSimpleNames)])) return false;
    const symbol = known ?? this.symbolOf(node);
    if (!symbol) return false;
    if (tag !== undefined && (symbolHasTag(symbol, tag, this.checker) || constructorHasTag(symbol, tag, this.checker))) return true;
    if (builtins.some(builtin => this.node.symbolIs(symbol, builtin))) return true;
    const name = symbol.name;
    // Names first: the symbol's type (which may mean inferring a whole initializer) is asked only
    // of a value some specifier names (a dotted name by the symbol's class or namespaces).
    const named = specifiers.filter(specifier => specifierNames(specifier).some(wanted => symbolHasSpecifierName(symbol, wanted)));
    if (named.length === 0) return false;
    let type: ts.Type | undefined;
    return named.some(specifier => {
      const files = (symbol.declarations ?? []).map(declaration => declaration.getSourceFile());
      switch (specifier.from) {
        case 'package': {
          type ??= this.checker.getTypeOfSymbolAtLocation(symbol, node);
          const simple = { ...specifier, name };
          if (valueMatchesSpecifier({ type: AST_NODE_TYPES.Identifier, name } as never, simple, this.program, type)) return true;
          return this.node.symbolIs(symbol, this.node.moduleSpecifier(simple));
        }
        case 'lib':
          return files.some(file => this.program.isSourceFileDefaultLibrary(file));
        case 'file': {
          const wanted = specifier.path === undefined ? undefined : path.resolve(this.program.getCurrentDirectory(), specifier.path);
          return files.some(
            file =>
              !this.program.isSourceFileFromExternalLibrary(file) &&
              !this.program.isSourceFileDefaultLibrary(file) &&
              (wanted === undefined || path.resolve(file.fileName) === wanted),
          );
        }
      }
    });
  }

  /**
   * Syntax before types for {@link valueMatches}: `obj.name` can denote a value declared under
   * another name only through a namespace (a re-exported alias, an exported const alias), so a
   * member whose name no specifier lists, on an object that is no import, namespace or variable
   * holding one, needs no symbol (whose resolution asks the type of `obj`, with control-flow
   * narrowing). Everything else is left to the symbol.
   */
  private mayNameValue(node: ts.Node, specifiers: readonly NamedSpecifier[], depth = 0): boolean {
    const listed = (name: string): boolean =>
      specifiers.some(specifier => (typeof specifier.name === 'string' ? specifier.name === name : specifier.name.includes(name)));
    if (ts.isIdentifier(node)) return depth >= 4 || this.identifierMayNameValue(node, listed, specifiers, depth);
    if (node.kind === ts.SyntaxKind.SuperKeyword) {
      // `super(…)` names the base class: asking its symbol means resolving the class hierarchy.
      let current: ts.Node = node;
      while (!ts.isClassLike(current) && !ts.isSourceFile(current)) current = current.parent;
      const heritage = ts.isClassLike(current) ? current.heritageClauses?.find(clause => clause.token === ts.SyntaxKind.ExtendsKeyword) : undefined;
      const base = heritage?.types[0];
      return base !== undefined && depth < 4 && this.mayNameValue(base.expression, specifiers, depth + 1);
    }
    if (!ts.isPropertyAccessExpression(node)) return true;
    if (listed(node.name.text)) return true;
    return this.mayBeNamespace(node.expression);
  }

  /**
   * {@link mayNameValue} for an identifier, from its declaration: a function or class of another
   * name, a named import of another name, or a `const` alias (`= a.b`, `{ b: x } = a`) of
   * another name cannot denote a listed value. Anything else may (namespace and default imports,
   * parameters, `let`s).
   */
  private identifierMayNameValue(
    node: ts.Identifier,
    listed: (name: string) => boolean,
    specifiers: readonly NamedSpecifier[],
    depth: number,
  ): boolean {
    const symbol = this.checker.getSymbolAtLocation(node);
    const declaration = symbol?.declarations?.length === 1 ? symbol.declarations[0] : undefined;
    if (!symbol || !declaration) return true;
    if (ts.isImportSpecifier(declaration)) return listed((declaration.propertyName ?? declaration.name).text);
    if (ts.isFunctionDeclaration(declaration) || ts.isClassDeclaration(declaration)) return listed(symbol.name);
    if (ts.isBindingElement(declaration) && ts.isObjectBindingPattern(declaration.parent) && !declaration.dotDotDotToken) {
      const key = declaration.propertyName ?? declaration.name;
      return !(ts.isIdentifier(key) || ts.isStringLiteral(key)) || listed(key.text);
    }
    if (ts.isVariableDeclaration(declaration) && ts.isIdentifier(declaration.name) && declaration.initializer) {
      if (!isConst(declaration)) return true;
      const init = skipOuterExpressions(declaration.initializer);
      if (ts.isIdentifier(init) || ts.isPropertyAccessExpression(init)) return this.mayNameValue(init, specifiers, depth + 1);
      return listed(symbol.name); // a const function or value of its own
    }
    return true;
  }

  private mayBeNamespace(node: ts.Expression, depth = 0): boolean {
    if (ts.isIdentifier(node)) {
      const symbol = this.checker.getSymbolAtLocation(node);
      if (symbol === undefined || tsutils.isSymbolFlagSet(symbol, ts.SymbolFlags.Module)) return true;
      if (tsutils.isSymbolFlagSet(symbol, ts.SymbolFlags.Alias)) {
        // A named import is a namespace only when it names a module (`export * as ns`); its
        // target says so without the type of an exported value (which may mean another file's inference).
        const declaration = symbol.declarations?.[0];
        if (declaration === undefined || !ts.isImportSpecifier(declaration)) return true;
        return tsutils.isSymbolFlagSet(this.checker.getAliasedSymbol(symbol), ts.SymbolFlags.Module | ts.SymbolFlags.Alias);
      }
      if (!tsutils.isSymbolFlagSet(symbol, ts.SymbolFlags.Variable)) return false;
      // `const mm = ns` (or a parameter typed `typeof import('fs')`): a namespace object held in a
      // variable. Told by its declaration where the syntax tells (asking the variable's type may
      // mean inferring its whole initializer), else by its type.
      const syntactic = depth < 4 ? this.mayHoldNamespace(symbol.valueDeclaration, depth) : undefined;
      if (syntactic !== undefined) return syntactic;
      const typeSymbol = this.checker.getTypeOfSymbol(symbol).getSymbol();
      return typeSymbol !== undefined && tsutils.isSymbolFlagSet(typeSymbol, ts.SymbolFlags.Module | ts.SymbolFlags.Alias);
    }
    if (ts.isPropertyAccessExpression(node)) return this.mayBeNamespace(node.expression, depth);
    return !(
      node.kind === ts.SyntaxKind.ThisKeyword ||
      ts.isCallExpression(node) ||
      ts.isNewExpression(node) ||
      ts.isElementAccessExpression(node) ||
      ts.isLiteralExpression(node) ||
      ts.isArrayLiteralExpression(node) ||
      ts.isObjectLiteralExpression(node)
    );
  }

  /**
   * Whether a variable's declaration can hold a namespace object: a type annotation
   * `typeof import('fs')`/`typeof ns`, or an initializer that is another such name, `require(…)`
   * or `await import(…)`. Undefined when the declaration does not tell (binding elements).
   */
  private mayHoldNamespace(declaration: ts.Declaration | undefined, depth: number): boolean | undefined {
    if (declaration === undefined) return undefined;
    if (ts.isParameter(declaration)) return declaration.type !== undefined && isNamespaceTypeNode(declaration.type);
    if (!ts.isVariableDeclaration(declaration)) return undefined;
    if (declaration.type) return isNamespaceTypeNode(declaration.type);
    const init = declaration.initializer && skipOuterExpressions(declaration.initializer);
    if (init === undefined) return false;
    if (ts.isIdentifier(init) || ts.isPropertyAccessExpression(init)) return this.mayBeNamespace(init, depth + 1);
    const call = ts.isAwaitExpression(init) ? skipOuterExpressions(init.expression) : init;
    if (!ts.isCallExpression(call)) return false;
    return call.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(call.expression) && call.expression.text === 'require');
  }

  private acceptsErrorFirst(callback: ts.Signature, location: ts.Node): boolean {
    const first = callback.getParameters()[0];
    if (first === undefined) return false;
    const type = this.checker.getTypeOfSymbolAtLocation(first, location);
    const parts = tsutils.unionConstituents(type);
    const acceptsNull = parts.some(part => tsutils.isTypeFlagSet(part, ts.TypeFlags.Null | ts.TypeFlags.Any));
    const acceptsError = parts.some(part => this.isErrorType(part));
    return acceptsNull && acceptsError;
  }

  private isErrorType(type: ts.Type): boolean {
    return this.hierarchyOf(type).some(candidate => {
      const name = candidate.getSymbol()?.name;
      return name === 'Error' || name === 'ErrnoException';
    });
  }
}

/** `typeof import('fs')`, `typeof fs`, `import('fs')`: a type that may be a namespace object's. */
function isNamespaceTypeNode(type: ts.TypeNode): boolean {
  return ts.isTypeQueryNode(type) || ts.isImportTypeNode(type);
}
