import tsutils from '../util/ts-api-utils.cjs';
import ts from '../util/typescript.cjs';
import { returnsThenable, passesCompletionCallback } from './asyncCalls.js';
import { BUILTIN_ADOPTERS, BUILTIN_RAW_CLOSERS, NODE_DUPLEX, NODE_PROCESS, NODE_WRITABLE, type PendingOpSpec } from './builtins.js';
import { symbolMemberName } from './names.js';
import { nodeCoreOf, nodeModuleOf, type NodeCore, type NodeSpecifier } from './node.js';
import { computeOwnerClass } from './ownerClasses.js';
import { computeOwner, computeRawHandleNames, hierarchyOf } from './ownerTypes.js';
import { ROLE_FIELDS, type ExitHookSetting, type NativeHandleSettings, type Role } from './settings.js';
import { ADOPTS_TAG, CLOSES_TAG, fileMentionsTag } from './tags.js';
import { TIMER_FUNCTIONS, everyDeclaration, valueSymbol } from './values.js';
import { mayNameBuiltin, valueMatches } from './valueMatching.js';

export type OwnerSource = 'builtin' | 'tagged' | 'configured' | 'inferred';
export type RoleSets = Readonly<Record<Role, ReadonlySet<string>>>;

/** What the model knows about an owner type (docs/resource-model.md#owners-and-roles). */
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
  /** Set for inferred owner classes (docs/resource-model.md#ownership). */
  readonly ownerClass?: OwnerClass;
  /** For a built-in owner of a native package (docs/packages.md, src/model/packages.ts): the package. */
  readonly nativePackage?: string;
}

/** An inferred owner class (docs/resource-model.md#ownership). */
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

/** Receivers whose `forEach`/`map`/… run their callback before returning, by type name. */
const COLLECTION_TYPE_NAMES = /^(?:Array|ReadonlyArray|Map|ReadonlyMap|Set|ReadonlySet|String|ArrayConstructor|\w+Array)$/;

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
    return this.memo(this.ownerCache, type, () => computeOwner(this, type));
  }

  /**
   * Whether some source file of the program (declaration files included) contains the text
   * `@<tag>`: a JSDoc tag can only be where its text is. Lets a question about a tag be answered
   * "no" without asking the checker for a symbol (CONTRIBUTING.md#quality-bars: type queries only at candidates).
   */
  mentionsTag(tag: string): boolean {
    let mentioned = this.mentionedTags.get(tag);
    if (mentioned === undefined) {
      mentioned = this.program.getSourceFiles().some(file => fileMentionsTag(file, tag));
      this.mentionedTags.set(tag, mentioned);
    }
    return mentioned;
  }

  /** Whether some source file of the program contains the text of one of the tags ({@link mentionsTag}). */
  mentionsAnyTag(tags: readonly string[]): boolean {
    return tags.some(tag => this.mentionsTag(tag));
  }

  /**
   * Syntax-first prefilter: whether a member of this name may have the `rawHandle` role on some
   * owner (a built-in's or a `resources` setting's rawHandle name, or a member tagged
   * `@rawHandle`). False means no owner type can give it the role, so no type need be asked.
   */
  mayBeRawHandleName(name: string): boolean {
    if (this.rawHandleNameSet === undefined) this.rawHandleNameSet = computeRawHandleNames(this);
    return this.rawHandleNameSet === null || this.rawHandleNameSet.has(name);
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
   * Whether calling member `name` with the given call starts a pending operation (docs/resource-model.md#owners-and-roles):
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
    return returnsThenable(this, call, calleeType);
  }

  /**
   * Whether the call passes a completion callback: a function argument in the last parameter
   * whose first parameter accepts `Error | null` (or an Error subtype such as ErrnoException).
   */
  passesCompletionCallback(call: ts.CallExpression | ts.NewExpression): boolean {
    return passesCompletionCallback(this, call);
  }

  /** Whether the type is Node's `process` object. */
  isProcessType(type: ts.Type): boolean {
    return this.node.typeIs(type, NODE_PROCESS);
  }

  /** Whether the value (a callee) is `fs.close`/`fs.closeSync`, a `rawClose` setting, or tagged `@closesHandle`. */
  isRawCloser(callee: ts.Node, known?: () => ts.Symbol | undefined): boolean {
    return valueMatches(this, callee, this.settings.rawClose, CLOSES_TAG, BUILTIN_RAW_CLOSERS, known);
  }

  /**
   * Node's raw closers (`close`, `closeSync` of `fs`) when they are the only values
   * {@link isRawCloser} can match (no `rawClose` setting, no `@closesHandle` in the program):
   * then a callee that cannot name one of them is no raw closer. Undefined otherwise.
   */
  onlyBuiltinRawClosers(): readonly NodeSpecifier[] | undefined {
    if (this.settings.rawClose.length > 0 || this.mentionsTag(CLOSES_TAG)) return undefined;
    return BUILTIN_RAW_CLOSERS;
  }

  /** Whether the value (a callee or constructor) adopts a raw handle: `adopt` setting or `@adoptsHandle`. */
  isAdopter(callee: ts.Node): boolean {
    return valueMatches(this, callee, this.settings.adopt, ADOPTS_TAG);
  }

  /** Whether the value (a callee) is a configured `exitHooks` function (in either form). */
  isConfiguredExitHook(callee: ts.Node): boolean {
    return this.configuredExitHooks(callee).length > 0;
  }

  /** The configured `exitHooks` entries the value (a callee) is the hook of; empty when none. */
  configuredExitHooks(callee: ts.Node): readonly ExitHookSetting[] {
    const hooks = this.settings.exitHooks;
    if (
      !valueMatches(
        this,
        callee,
        hooks.map(entry => entry.hook),
      )
    )
      return [];
    return hooks.length === 1 ? hooks : hooks.filter(entry => valueMatches(this, callee, [entry.hook]));
  }

  /**
   * Whether the value (a callee or constructor) is a built-in adopter (docs/resource-model.md#where-owner-types-come-from):
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
    // Syntax first: `h.close` on a variable holding no namespace cannot name a timer, and its
    // symbol would take the type of `h`, walking the control flow back from every such call.
    if (!mayNameBuiltin(this, callee, [...TIMER_FUNCTIONS])) return undefined;
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
  /** Whether the callee is `fs`'s function of this name (through imports and `const` aliases); syntax first. */
  isNodeFsFunction(callee: ts.Node, name: string): boolean {
    return mayNameBuiltin(this, callee, [name]) && this.nodeFsFunctionName(callee) === name;
  }

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
    for (const candidate of hierarchyOf(this, type, false).slice(0, 64)) {
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

  /** The inferred owner class of a class declaration (docs/resource-model.md#ownership), or undefined. */
  ownerClassOf(declaration: ts.ClassLikeDeclaration): OwnerClass | undefined {
    return this.memo(this.classCache, declaration, () => computeOwnerClass(this, declaration, this.deferred));
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
}
