import {
  AST_NODE_TYPES,
  ESLintUtils,
  type TSESLint,
  type TSESTree,
  type ParserServicesWithTypeInformation,
} from '@typescript-eslint/utils';
import type * as ts from 'typescript';
import tsRuntime from '../util/typescript.cjs';
import { callbackTiming, type CallbackTiming } from './callbacks.js';
import { DeclaredTypes } from './declaredTypes.js';
import { isUnnarrowable } from './fieldTypes.js';
import { calleeMember, memberNameOf, skipWrappers } from './names.js';
import { classResources, handlesClosedState, type ClassResources } from './classResources.js';
import { isAcquisition } from './ownership.js';
import { reportMissingNodeTypes } from './noNodeTypes.js';
import { referencesOf } from './references.js';
import { ResourceModel, type Owner, type OwnerClass } from './owners.js';
import { mayNameBuiltinByScope } from './scopeNames.js';
import { BUILTIN_ADOPTERS } from './builtins.js';
import { readSettings, type ExitHookSetting, type Role } from './settings.js';
import { reportSettingsWarnings } from './settingsReport.js';

/*
 * The services object: what a rule asks of the resource model, bound to one file's parser services.
 * `index.ts` re-exports this file with the rest of the model.
 */

/** Node's adopting functions and classes, for the scope prefilter of `isBuiltinAdopterCall`. */
const ADOPTER_FUNCTIONS = BUILTIN_ADOPTERS.filter(spec => !spec.construct).map(spec => spec.value);
const ADOPTER_CLASSES = BUILTIN_ADOPTERS.filter(spec => spec.construct).map(spec => spec.value);

/** A member access on an owner, with the roles of that member. */
export interface OwnerMember {
  readonly owner: Owner;
  /** The object whose member is accessed (`fh` in `fh.fd`). */
  readonly object: TSESTree.Expression;
  readonly name: string;
  readonly roles: readonly Role[];
}

/**
 * What a rule asks of the resource model, bound to one file's parser services. Rules call
 * these predicates at their candidate nodes; they never match types on their own.
 */
export interface NativeHandleServices {
  readonly model: ResourceModel;
  readonly checker: ts.TypeChecker;
  readonly parserServices: ParserServicesWithTypeInformation;
  tsNodeOf(node: TSESTree.Node): ts.Node;
  typeOf(node: TSESTree.Node): ts.Type;
  /**
   * Whether the value of the expression can be called (has a call signature), from declared
   * types where narrowing cannot change the answer (no flow walk), else from its type here.
   */
  isCallable(node: TSESTree.Node): boolean;
  /**
   * The expression's type from declarations where narrowing could make it at most a subtype (a
   * variable whose references nothing narrows, `x.m` of such a variable with a non-union declared
   * type), else its type here. For questions every subtype answers alike (is it callable, is it a
   * number); it saves the flow walk that makes per-reference type questions quadratic in a long function.
   */
  declaredTypeOf(node: TSESTree.Node): ts.Type;
  /**
   * The expression's type for questions that ignore `null` and `undefined` (which owner, which lib
   * class): `this.f` from the field's declared type where narrowing can only drop those, without
   * the flow walk back through the function to the field's assignment; else {@link typeOf}.
   */
  typeIgnoringNullishOf(node: TSESTree.Node): ts.Type;
  /** The owner the expression's type denotes; undefined when not an owner or unknown. */
  ownerOf(node: TSESTree.Node): Owner | undefined;
  /** The inferred owner class of a class node (docs/resource-model.md#ownership). */
  ownerClassOf(node: TSESTree.ClassDeclaration | TSESTree.ClassExpression): OwnerClass | undefined;
  /** What a class owns (docs/resource-model.md#ownership): its owned resource and raw-handle fields, close methods, close path; undefined when nothing. */
  classResources(node: TSESTree.ClassDeclaration | TSESTree.ClassExpression): ClassResources | undefined;
  /** Whether `owner.<method>()` handles the closed state itself (docs/resource-model.md#uses-and-teardown), so its call is no use. */
  handlesClosedState(owner: Owner, method: string): boolean;
  /** Whether a value assigned to a resource field is a newly acquired owner (docs/resource-model.md#ownership, docs/rules/require-lifetime-guard.md (newly acquired owners)). */
  isAcquisition(value: TSESTree.Expression): boolean;
  /** `owner.member` with its roles, when the object is an owner and the member is named. */
  ownerMember(member: TSESTree.MemberExpression): OwnerMember | undefined;
  /** For `owner.method(…)`: the member info of the callee. */
  calledOwnerMember(call: TSESTree.CallExpression): OwnerMember | undefined;
  /** Whether `owner.method(…)` starts a pending operation on the owner. */
  isPendingOperation(call: TSESTree.CallExpression): boolean;
  returnsThenable(node: TSESTree.Expression): boolean;
  passesCompletionCallback(call: TSESTree.CallExpression | TSESTree.NewExpression): boolean;
  isProcess(node: TSESTree.Node): boolean;
  isRawCloser(callee: TSESTree.Node): boolean;
  isAdopter(callee: TSESTree.Node): boolean;
  /** The configured `exitHooks` entries a callee is the hook of (empty when none). */
  configuredExitHooks(callee: TSESTree.Node): readonly ExitHookSetting[];
  /** Whether a call or `new` is a built-in adopter: `fs.createReadStream`/`createWriteStream(…)`, `new net.Socket(…)`. */
  isBuiltinAdopterCall(call: TSESTree.CallExpression | TSESTree.NewExpression): boolean;
  /** The symbol a value expression (an identifier, `a.b`) names, through import aliases. */
  symbolOf(node: TSESTree.Node): ts.Symbol | undefined;
  /**
   * For a call of a global timer (`setTimeout`, `setInterval`, `setImmediate`, `queueMicrotask`,
   * matched by symbol) or of `process.nextTick`: its name (`setTimeout`, `process.nextTick`).
   */
  timerName(call: TSESTree.CallExpression): string | undefined;
  /** The declared name of the function of Node's `fs` module a callee denotes (through import aliases), else undefined. */
  nodeFsFunctionName(callee: TSESTree.Node): string | undefined;
  /** Whether every declaration of the value (`[].map`) is in the default lib. */
  isDefaultLibValue(node: TSESTree.Node): boolean;
  /** Which of `stream.Writable` and `stream.Duplex` the expression's type is or extends. */
  writableBase(node: TSESTree.Node): 'stream.Writable' | 'stream.Duplex' | undefined;
  /** When a function passed to a call runs relative to the call (before it returns, or later); undefined when unknown. */
  callbackTiming(fn: TSESTree.Node): CallbackTiming | undefined;
}

const models = new WeakMap<ts.Program, WeakMap<object, ResourceModel>>();
/** Per file (shared by the rules): declared types of variables that narrowing cannot change. */
const declaredTypes = new WeakMap<object, DeclaredTypes>();
const NO_SETTINGS = {};

function modelFor(program: ts.Program, settingsObject: object, read: () => ResourceModel['settings']): ResourceModel {
  let bySettings = models.get(program);
  if (!bySettings) {
    bySettings = new WeakMap();
    models.set(program, bySettings);
  }
  let model = bySettings.get(settingsObject);
  if (!model) {
    model = new ResourceModel(program, read());
    bySettings.set(settingsObject, model);
    reportSettingsWarnings(program, model.settings);
  }
  return model;
}

/**
 * The resource model for a rule context. Reads (and validates) `settings['native-handle']`:
 * malformed settings throw {@link NativeHandleSettingsError} the first time any rule runs
 * (`createRule` turns it into the CLI's message or a diagnostic on the file, see settingsReport.ts),
 * and well-formed settings that match nothing in the program draw one warning each.
 */
export function getNativeHandleServices(context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>): NativeHandleServices {
  const parserServices = ESLintUtils.getParserServices(context);
  const settings = readSettings(context.settings);
  const program = parserServices.program;
  const model = modelFor(program, (context.settings['native-handle'] as object | undefined) ?? NO_SETTINGS, () => settings);
  reportMissingNodeTypes(context, model);
  const checker = model.checker;
  const tsNodeOf = (node: TSESTree.Node): ts.Node => parserServices.esTreeNodeToTSNodeMap.get(node);
  let declared = declaredTypes.get(context.sourceCode);
  if (!declared) {
    declared = new DeclaredTypes(checker, context.sourceCode, tsNodeOf, program.getCompilerOptions().noUncheckedIndexedAccess === true);
    declaredTypes.set(context.sourceCode, declared);
  }
  const fileDeclared = declared;
  // An identifier's type without TypeScript's flow walk where narrowing cannot change it (a
  // walk per reference is quadratic in the length of a function; see DeclaredTypes).
  const typeOf = (node: TSESTree.Node): ts.Type =>
    (node.type === AST_NODE_TYPES.Identifier ? fileDeclared.typeOfReference(node) : undefined) ?? parserServices.getTypeAtLocation(node);

  const declaredOrLocal = (node: TSESTree.Node): ts.Type =>
    (node.type === AST_NODE_TYPES.MemberExpression
      ? (fileDeclared.memberDeclaredType(node) ?? fileDeclared.elementType(node))
      : undefined) ?? typeOf(node);
  const isCallable = (node: TSESTree.Node): boolean => {
    const type = declaredOrLocal(skipWrappers(node));
    return (type.isUnion() ? type.types : [type]).some(part => part.getCallSignatures().length > 0);
  };

  // For which-owner questions: `this.f` from the field's declared type where narrowing can only
  // drop its null/undefined (the same owner), without the flow walk back to its assignment.
  // `xs[i]`, `xs[i]!`: the declared element type where no element read is narrowed (DeclaredTypes.elementType).
  // `this`: the class's declared type where no `this` of the member may be narrowed (its `this` type's constraint).
  const ownerTypeOf = (node: TSESTree.Node): ts.Type =>
    (node.type === AST_NODE_TYPES.MemberExpression
      ? fileDeclared.thisFieldType(node)
      : node.type === AST_NODE_TYPES.ThisExpression
        ? fileDeclared.thisType(node)
        : undefined) ??
    fileDeclared.elementType(node) ??
    typeOf(node);

  // `this.f.m`: the member's declared type on the field's declared type (see ownerTypeOf).
  const fieldMemberType = (member: TSESTree.MemberExpression): ts.Type | undefined => {
    if (member.computed || member.property.type !== AST_NODE_TYPES.Identifier || member.object.type !== AST_NODE_TYPES.MemberExpression)
      return undefined;
    const field = fileDeclared.thisFieldType(member.object);
    const property = field && checker.getPropertyOfType(checker.getNonNullableType(field), member.property.name);
    const type = property && checker.getTypeOfSymbol(property);
    return type && isUnnarrowable(type) ? type : undefined;
  };

  // For "is it `process`": a global of declaration files (`process`), not declared in this file, by
  // its declared type. Narrowing could make a reference only a subtype of that (the same object),
  // and TypeScript's narrowing of a reference at the top level walks back through every statement
  // of the file before it: n `process.on(…)` registrations in one file were n².
  const processCandidateType = (node: TSESTree.Node): ts.Type =>
    (node.type === AST_NODE_TYPES.Identifier ? ambientGlobalType(checker, context.sourceCode, tsNodeOf(node), node) : undefined) ??
    typeOf(node);

  const ownerMember = (member: TSESTree.MemberExpression): OwnerMember | undefined => {
    const name = memberNameOf(member);
    if (name === undefined || member.object.type === AST_NODE_TYPES.Super) return undefined;
    // `this.f`: the field's declared type where narrowing can only drop its null/undefined (the
    // same owner), without the flow walk back to the field's assignment.
    const owner = model.ownerOfType(ownerTypeOf(member.object));
    if (!owner) return undefined;
    return { owner, object: member.object, name, roles: model.rolesOf(owner, name) };
  };

  const services: NativeHandleServices = {
    model,
    checker,
    parserServices,
    tsNodeOf,
    typeOf,
    isCallable,
    declaredTypeOf: declaredOrLocal,
    typeIgnoringNullishOf: ownerTypeOf,
    ownerOf: node => model.ownerOfType(ownerTypeOf(node)),
    ownerClassOf: node => model.ownerClassOf(tsNodeOf(node) as ts.ClassLikeDeclaration),
    classResources: node => classResources(model, tsNodeOf(node) as ts.ClassLikeDeclaration),
    handlesClosedState: (owner, method) => handlesClosedState(model, owner, method),
    isAcquisition: value => isAcquisition(model, tsNodeOf(value) as ts.Expression),
    ownerMember,
    calledOwnerMember: call => {
      const member = calleeMember(call);
      return member ? ownerMember(member) : undefined;
    },
    isPendingOperation: call => {
      const member = calleeMember(call);
      const info = member ? ownerMember(member) : undefined;
      return info !== undefined && model.isPendingOperation(info.owner, info.name, tsNodeOf(call) as ts.CallExpression);
    },
    returnsThenable: node => {
      // `x.m(…)` on a variable nothing narrows: the method's declared type, without the flow walk.
      const callee = node.type === AST_NODE_TYPES.CallExpression ? node.callee : undefined;
      const calleeType =
        callee?.type === AST_NODE_TYPES.MemberExpression
          ? (fileDeclared.memberDeclaredType(callee) ?? fieldMemberType(callee))
          : callee?.type === AST_NODE_TYPES.Identifier
            ? (fileDeclared.typeOfReference(callee) ??
              fileDeclared.calleeDeclaredType(callee) ??
              ambientGlobalType(checker, context.sourceCode, tsNodeOf(callee), callee))
            : undefined;
      return model.returnsThenable(tsNodeOf(node) as ts.Expression, calleeType);
    },
    passesCompletionCallback: call => {
      // Syntax and declared types first: the last argument must be able to be a function.
      // (Resolving the call checks every argument, which in a long function walks the control
      // flow back from each one.)
      const last = call.arguments.at(-1);
      if (!last) return false;
      // A callee whose declared signatures take no function cannot be passed a callback.
      const calleeType = call.type === AST_NODE_TYPES.CallExpression ? fileDeclared.calleeDeclaredType(call.callee) : undefined;
      if (calleeType && !mayTakeFunction(checker, calleeType)) return false;
      if (!mayBeFunctionValue(last, declaredOrLocal)) return false;
      return model.passesCompletionCallback(tsNodeOf(call) as ts.CallExpression);
    },
    isProcess: node => model.isProcessType(processCandidateType(skipWrappers(node))),
    isRawCloser: callee => {
      const node = skipWrappers(callee);
      // Without settings or tags for raw closers, ESLint's scope analysis rules most callees out
      // before the checker is asked for a symbol.
      const builtins = model.onlyBuiltinRawClosers();
      if (builtins && !mayNameBuiltinByScope(context.sourceCode, node, builtins)) return false;
      // The member's symbol from its object's declared type, asked only past the syntactic prefilter.
      const known = node.type === AST_NODE_TYPES.MemberExpression ? () => fileDeclared.memberSymbol(node) : undefined;
      return model.isRawCloser(tsNodeOf(node), known);
    },
    isAdopter: callee => model.isAdopter(tsNodeOf(skipWrappers(callee))),
    configuredExitHooks: callee => model.configuredExitHooks(tsNodeOf(skipWrappers(callee))),
    isBuiltinAdopterCall: call => {
      const callee = skipWrappers(call.callee);
      const construct = call.type === AST_NODE_TYPES.NewExpression;
      // Syntax first, as for raw closers: `fs.fstatSync(fd)` or `use(fd)` cannot be
      // `fs.createReadStream`, and the callee's symbol may take its object's type.
      if (!mayNameBuiltinByScope(context.sourceCode, callee, construct ? ADOPTER_CLASSES : ADOPTER_FUNCTIONS)) return false;
      return model.isBuiltinAdopter(tsNodeOf(callee), construct);
    },
    symbolOf: node => model.symbolOf(tsNodeOf(node)),
    timerName: call => {
      const callee = skipWrappers(call.callee);
      if (callee.type === AST_NODE_TYPES.MemberExpression && memberNameOf(callee) === 'nextTick') {
        return model.isProcessType(processCandidateType(skipWrappers(callee.object))) ? 'process.nextTick' : undefined;
      }
      if (callee.type !== AST_NODE_TYPES.Identifier && callee.type !== AST_NODE_TYPES.MemberExpression) return undefined;
      return model.timerName(tsNodeOf(callee));
    },
    nodeFsFunctionName: callee => model.nodeFsFunctionName(tsNodeOf(skipWrappers(callee))),
    isDefaultLibValue: node => model.isDefaultLibValue(tsNodeOf(node)),
    writableBase: node => model.writableBase(typeOf(node)),
    callbackTiming: fn => callbackTiming(services, fn),
  };
  return services;
}

/**
 * The declared type of a global variable that only declaration files declare (`process`,
 * `globalThis`), read at an identifier this file does not declare, when that type is one narrowing
 * could only make a subtype of ({@link isUnnarrowable}); else undefined.
 */
function ambientGlobalType(
  checker: ts.TypeChecker,
  sourceCode: Readonly<TSESLint.SourceCode>,
  tsNode: ts.Node,
  identifier: TSESTree.Identifier,
): ts.Type | undefined {
  const variable = referencesOf(sourceCode).variableOf(identifier);
  if (variable && variable.defs.length > 0) return undefined;
  const symbol = checker.getSymbolAtLocation(tsNode);
  if (!symbol || (symbol.flags & tsRuntime.SymbolFlags.Variable) === 0 || symbol.flags & tsRuntime.SymbolFlags.Alias) return undefined;
  const declarations = symbol.declarations ?? [];
  if (declarations.length === 0 || !declarations.every(declaration => declaration.getSourceFile().isDeclarationFile)) return undefined;
  const type = checker.getTypeOfSymbol(symbol);
  return isUnnarrowable(type) ? type : undefined;
}

/**
 * Whether a callee of this declared type may take a function: some signature has a rest parameter,
 * or a parameter whose type (without null/undefined) may be one (`any`, `unknown`, a type
 * parameter, `object`/`Function`-like, or with call signatures). No signature: it may (unknown).
 */
function mayTakeFunction(checker: ts.TypeChecker, calleeType: ts.Type): boolean {
  const signatures = calleeType.getCallSignatures();
  if (signatures.length === 0) return true;
  return signatures.some(signature =>
    signature.getParameters().some((parameter, index, all) => {
      const declaration = parameter.valueDeclaration;
      if (index === all.length - 1 && declaration && tsRuntime.isParameter(declaration) && declaration.dotDotDotToken) return true;
      const type = checker.getNonNullableType(checker.getTypeOfSymbol(parameter));
      return (type.isUnion() ? type.types : [type]).some(
        part => mayBeFunctionPart(part) || ((part.flags & tsRuntime.TypeFlags.Object) !== 0 && part.getProperties().length === 0),
      );
    }),
  );
}

/** A type (one member of a union) whose values may be functions: `any`, `unknown`, a type parameter, `object`, or one with call signatures. */
function mayBeFunctionPart(part: ts.Type): boolean {
  const open = tsRuntime.TypeFlags.Any | tsRuntime.TypeFlags.Unknown | tsRuntime.TypeFlags.Instantiable | tsRuntime.TypeFlags.NonPrimitive;
  return (part.flags & open) !== 0 || part.getCallSignatures().length > 0;
}

/** Whether an argument may be a function: a literal, or a variable or member whose declared type has no call signature and is not `any`/`unknown`, is not. */
function mayBeFunctionValue(argument: TSESTree.Node, declaredOrLocal: (node: TSESTree.Node) => ts.Type): boolean {
  const value = skipWrappers(argument);
  switch (value.type) {
    case AST_NODE_TYPES.Literal:
    case AST_NODE_TYPES.TemplateLiteral:
    case AST_NODE_TYPES.ObjectExpression:
    case AST_NODE_TYPES.ArrayExpression:
    case AST_NODE_TYPES.SpreadElement:
      return value.type === AST_NODE_TYPES.SpreadElement;
    case AST_NODE_TYPES.Identifier:
    case AST_NODE_TYPES.MemberExpression: {
      const type = declaredOrLocal(value);
      if (type.flags & (tsRuntime.TypeFlags.Any | tsRuntime.TypeFlags.Unknown | tsRuntime.TypeFlags.Instantiable)) return true;
      return (type.isUnion() ? type.types : [type]).some(mayBeFunctionPart);
    }
    default:
      return true;
  }
}
