import { AST_NODE_TYPES, ESLintUtils, type TSESLint, type TSESTree, type ParserServicesWithTypeInformation } from '@typescript-eslint/utils';
import * as path from 'node:path';
import type * as ts from 'typescript';
import { NO_NODE_TYPES } from '../util/createRule.js';
import { callbackTiming, type CallbackTiming } from './callbacks.js';
import { calleeMember, memberNameOf, skipWrappers } from './names.js';
import { classResources, handlesClosedState, isAcquisition, type ClassResources } from './ownership.js';
import { ResourceModel, type Owner, type OwnerClass } from './owners.js';
import { readSettings, type Role } from './settings.js';
import { reportSettingsWarnings } from './settingsReport.js';

export * from './builtins.js';
export * from './callbacks.js';
export * from './guards.js';
export * from './names.js';
export * from './node.js';
export * from './owners.js';
export * from './ownership.js';
export * from './rawHandles.js';
export * from './registrations.js';
export * from './settings.js';
export * from './settingsCheck.js';
export * from './settingsReport.js';
export * from './tags.js';
export * from './values.js';

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
  /** The owner the expression's type denotes; undefined when not an owner or unknown. */
  ownerOf(node: TSESTree.Node): Owner | undefined;
  /** The inferred owner class of a class node (spec §2.4). */
  ownerClassOf(node: TSESTree.ClassDeclaration | TSESTree.ClassExpression): OwnerClass | undefined;
  /** What a class owns (spec §2.4): its owned resource and raw-handle fields, close methods, close path; undefined when nothing. */
  classResources(node: TSESTree.ClassDeclaration | TSESTree.ClassExpression): ClassResources | undefined;
  /** Whether `owner.<method>()` handles the closed state itself (spec §2.5), so its call is no use. */
  handlesClosedState(owner: Owner, method: string): boolean;
  /** Whether a value assigned to a resource field is a newly acquired owner (spec §2.4, §3.2 (b)). */
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
  isConfiguredExitHook(callee: TSESTree.Node): boolean;
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

/** Per process, per program (by its tsconfig): the file that carries the report that the program has no Node types. */
const noNodeTypesCarriers = new Map<string, string>();
/** The lints (their SourceCode) that already got that report, so that only the first rule to run gives it. */
const noNodeTypesReported = new WeakSet<object>();

/**
 * Without Node's types (`@types/node` not in the program) no built-in owner can be known and
 * every built-in check is silent: says so once per program, on the first file linted in it
 * (and on that file again when it is linted again, as an editor does, so the diagnostic stays),
 * from whichever rule runs first. The checker is asked once per program ({@link NodeCore}).
 */
function reportMissingNodeTypes(context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>, model: ResourceModel): void {
  if (model.node.hasNodeTypes()) return;
  const configFile = model.program.getCompilerOptions().configFilePath;
  const key = typeof configFile === 'string' ? configFile : `default project of ${model.program.getCurrentDirectory()}`;
  const carrier = noNodeTypesCarriers.get(key);
  if (carrier === undefined) noNodeTypesCarriers.set(key, context.filename);
  else if (carrier !== context.filename) return;
  if (noNodeTypesReported.has(context.sourceCode)) return;
  noNodeTypesReported.add(context.sourceCode);
  const project = typeof configFile === 'string' ? path.relative(context.cwd, configFile) || configFile : 'no tsconfig: the default project';
  context.report({ loc: { line: 1, column: 0 }, messageId: NO_NODE_TYPES, data: { project } });
}

/**
 * The resource model for a rule context. Reads (and validates) `settings['native-handle']`:
 * malformed settings throw {@link NativeHandleSettingsError} the first time any rule runs
 * (`createRule` turns it into the CLI's message or a diagnostic on the file, see settingsReport.ts),
 * and well-formed settings that match nothing in the program draw one warning each.
 */
export function getNativeHandleServices(
  context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>,
): NativeHandleServices {
  const parserServices = ESLintUtils.getParserServices(context);
  const settings = readSettings(context.settings);
  const program = parserServices.program;
  const model = modelFor(program, (context.settings['native-handle'] as object | undefined) ?? NO_SETTINGS, () => settings);
  reportMissingNodeTypes(context, model);
  const checker = model.checker;
  const tsNodeOf = (node: TSESTree.Node): ts.Node => parserServices.esTreeNodeToTSNodeMap.get(node);
  const typeOf = (node: TSESTree.Node): ts.Type => parserServices.getTypeAtLocation(node);

  const ownerMember = (member: TSESTree.MemberExpression): OwnerMember | undefined => {
    const name = memberNameOf(member);
    if (name === undefined || member.object.type === AST_NODE_TYPES.Super) return undefined;
    const owner = model.ownerOfType(typeOf(member.object));
    if (!owner) return undefined;
    return { owner, object: member.object, name, roles: model.rolesOf(owner, name) };
  };

  const services: NativeHandleServices = {
    model,
    checker,
    parserServices,
    tsNodeOf,
    typeOf,
    ownerOf: node => model.ownerOfType(typeOf(node)),
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
    returnsThenable: node => model.returnsThenable(tsNodeOf(node) as ts.Expression),
    passesCompletionCallback: call => model.passesCompletionCallback(tsNodeOf(call) as ts.CallExpression),
    isProcess: node => model.isProcessType(typeOf(skipWrappers(node))),
    isRawCloser: callee => model.isRawCloser(tsNodeOf(skipWrappers(callee))),
    isAdopter: callee => model.isAdopter(tsNodeOf(skipWrappers(callee))),
    isConfiguredExitHook: callee => model.isConfiguredExitHook(tsNodeOf(skipWrappers(callee))),
    isBuiltinAdopterCall: call =>
      model.isBuiltinAdopter(tsNodeOf(skipWrappers(call.callee)), call.type === AST_NODE_TYPES.NewExpression),
    symbolOf: node => model.symbolOf(tsNodeOf(node)),
    timerName: call => {
      const callee = skipWrappers(call.callee);
      if (callee.type === AST_NODE_TYPES.MemberExpression && memberNameOf(callee) === 'nextTick') {
        return model.isProcessType(typeOf(skipWrappers(callee.object))) ? 'process.nextTick' : undefined;
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
