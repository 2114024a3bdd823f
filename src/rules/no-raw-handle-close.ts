import { AST_NODE_TYPES, ASTUtils, TSESLint, type TSESTree } from '@typescript-eslint/utils';
import tsutils from '../util/ts-api-utils.cjs';
import ts from '../util/typescript.cjs';
import { calleeMember, getNativeHandleServices, symbolMemberName, type NativeHandleServices, type Owner } from '../model/index.js';
import { skipWrappers, statementList, statementRemovalRange, type FunctionNode } from '../util/ast.js';
import { createRule } from './_createRule.js';
import { Analyzer } from './no-raw-handle-close/analysis.js';
import { Collector } from './no-raw-handle-close/collector.js';
import type { Adoption, CallLike, Finding, SourceCode } from './no-raw-handle-close/records.js';
import { inAsyncFunction, isStable, isThisPath, thisContext, variableOf } from './no-raw-handle-close/syntax.js';

export type MessageIds = 'ownedHandle' | 'adoptedHandle' | 'closeOwner' | 'removeRawClose';

export default createRule<[], MessageIds>({
  name: 'no-raw-handle-close',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow closing a raw handle that an owner still owns',
      recommended: true,
      requiresTypeChecking: true,
    },
    hasSuggestions: true,
    schema: [],
    defaultOptions: [],
    messages: {
      ownedHandle:
        '`{{closer}}` closes `{{handle}}`, the raw handle of the {{owner}} `{{ownerText}}`, which still owns it. The {{owner}} closes the same number again when it is closed (or garbage-collected); by then the number may belong to an unrelated file or socket, which is then closed out from under its owner. Close the {{owner}} itself instead.',
      adoptedHandle:
        '`{{closer}}` closes `{{handle}}`, which was handed to `{{adopter}}` on line {{line}} and is owned by it now. The adopter closes the same number again when it is closed or destroyed; by then the number may belong to an unrelated file or socket, which is then closed out from under its owner. {{remedy}}',
      closeOwner: 'Close the owner instead: `{{replacement}}`.',
      removeRawClose: 'Remove this raw close: `{{close}}` in the same block already closes the owner.',
    },
  },
  create(context) {
    const services = getNativeHandleServices(context);
    const collector = new Collector(context.sourceCode, services);
    return {
      Program: node => {
        collector.enter(node);
      },
      ':function': (node: FunctionNode) => {
        collector.enter(node);
      },
      ':function:exit': () => {
        collector.exit();
      },
      CallExpression: node => {
        collector.rawClose(node);
        collector.adoption(node);
      },
      NewExpression: node => {
        collector.adoption(node);
      },
      'Program:exit': () => {
        for (const finding of new Analyzer(context.sourceCode, services, collector).run()) report(context, services, finding);
      },
    };
  },
});

type Context = Readonly<TSESLint.RuleContext<MessageIds, []>>;

// -----------------------------------------------------------------------------------------
// Reporting

function report(context: Context, services: NativeHandleServices, finding: Finding): void {
  const { sourceCode } = context;
  const { call } = finding.close;
  const closer = sourceCode.getText(call.callee);
  if (finding.kind === 'owned') {
    const { source } = finding;
    const fix = ownerSuggestion(sourceCode, services, call, source.ownerNode, source.owner);
    context.report({
      node: call,
      messageId: 'ownedHandle',
      data: {
        closer,
        handle: sourceCode.getText(finding.close.argument),
        owner: source.owner.name,
        ownerText: sourceCode.getText(source.ownerNode),
      },
      ...(fix ? { suggest: [fix] } : {}),
    });
    return;
  }
  const adoptions = [...finding.adoptions].sort((a, b) => a.call.range[0] - b.call.range[0]);
  const first = adoptions[0]!;
  const fix = adopterSuggestion(sourceCode, services, call, adoptions);
  context.report({
    node: call,
    messageId: 'adoptedHandle',
    data: {
      closer,
      handle: finding.variable.name,
      adopter: `${first.call.type === AST_NODE_TYPES.NewExpression ? 'new ' : ''}${sourceCode.getText(first.call.callee)}()`,
      line: first.call.loc.start.line,
      remedy: adopterRemedy(services, first.call),
    },
    ...(fix ? { suggest: [fix] } : {}),
  });
}

function adopterRemedy(services: NativeHandleServices, call: CallLike): string {
  if (!services.isBuiltinAdopterCall(call)) return 'Close the object that adopted it instead.';
  if (call.type === AST_NODE_TYPES.NewExpression) return 'Destroy the socket instead.';
  return 'Destroy the stream instead, or pass `autoClose: false` if this code is to keep closing the fd itself.';
}

type Suggestion = TSESLint.SuggestionReportDescriptor<MessageIds>;

/** `await fh.close()` (in an async function) or `dev.close()` in place of the raw close, when the owner is in scope there. */
function ownerSuggestion(
  sourceCode: SourceCode,
  services: NativeHandleServices,
  call: TSESTree.CallExpression,
  ownerNode: TSESTree.Node,
  owner: Owner,
): Suggestion | undefined {
  if (!replaceable(sourceCode, call)) return undefined;
  const text = ownerText(sourceCode, ownerNode, call);
  return text === undefined ? undefined : closeSuggestion(sourceCode, services, call, skipWrappers(ownerNode), owner, text);
}

/** `stream.destroy()` in place of the raw close, when one adopter's result is held in a `const` in scope. */
function adopterSuggestion(
  sourceCode: SourceCode,
  services: NativeHandleServices,
  call: TSESTree.CallExpression,
  adoptions: readonly Adoption[],
): Suggestion | undefined {
  const holder = adoptions[0]?.holder;
  if (!holder || adoptions.some(adoption => adoption.holder !== holder) || !replaceable(sourceCode, call)) return undefined;
  const def = holder.defs[0];
  if (holder.defs.length !== 1 || def?.type !== TSESLint.Scope.DefinitionType.Variable || def.parent.kind !== 'const') return undefined;
  if (def.name.range[1] > call.range[0] || ASTUtils.findVariable(sourceCode.getScope(call), holder.name) !== holder) return undefined;
  const owner = services.ownerOf(def.name);
  return owner ? closeSuggestion(sourceCode, services, call, def.name, owner, holder.name) : undefined;
}

function closeSuggestion(
  sourceCode: SourceCode,
  services: NativeHandleServices,
  call: TSESTree.CallExpression,
  ownerNode: TSESTree.Node,
  owner: Owner,
  text: string,
): Suggestion | undefined {
  // The owner is closed by a statement beside this one already (`fs.closeSync(fh.fd); await
  // fh.close();`): replacing would close it twice in a row, so the remedy is to drop the raw close.
  const closing = ownerCloseBeside(sourceCode, services, call, text);
  if (closing) {
    const statement = call.parent;
    return {
      messageId: 'removeRawClose',
      data: { close: sourceCode.getText(closing) },
      fix: fixer => fixer.removeRange(statementRemovalRange(sourceCode, statement)),
    };
  }
  const type = services.typeOf(ownerNode);
  if (
    tsutils
      .unionConstituents(type)
      .some(part => tsutils.isTypeFlagSet(part, ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Void))
  ) {
    return undefined;
  }
  const method = closeMethod(services, owner, type, services.tsNodeOf(call));
  if (!method || (method.thenable && !inAsyncFunction(call))) return undefined;
  const replacement = `${method.thenable ? 'await ' : ''}${text}.${method.name}()`;
  return { messageId: 'closeOwner', data: { replacement }, fix: fixer => fixer.replaceText(call, replacement) };
}

/**
 * A close-role call on the owner (`await fh.close()`, `void sock.destroy()`) that is a whole
 * statement of the same block as the raw close.
 */
function ownerCloseBeside(
  sourceCode: SourceCode,
  services: NativeHandleServices,
  call: TSESTree.CallExpression,
  ownerText: string,
): TSESTree.CallExpression | undefined {
  const block = call.parent.parent;
  if (!block) return undefined;
  // Syntax first: only the calls on an object written like the owner are asked about.
  for (const candidate of memberCallsOf(sourceCode, block).get(compact(ownerText)) ?? []) {
    if (candidate.parent === call.parent) continue;
    if (services.calledOwnerMember(candidate.call)?.roles.includes('close')) return candidate.call;
  }
  return undefined;
}

/** A member call that is a whole statement (`await x.m()`, `void x.m()` too), with that statement. */
interface StatementCall {
  readonly call: TSESTree.CallExpression;
  readonly parent: TSESTree.Node;
}

const memberCallsByBlock = new WeakMap<TSESTree.Node, Map<string, StatementCall[]>>();

/** The block's statements that are member calls, by the text of their object (whitespace left out); read once per block. */
function memberCallsOf(sourceCode: SourceCode, block: TSESTree.Node): Map<string, StatementCall[]> {
  let calls = memberCallsByBlock.get(block);
  if (calls) return calls;
  calls = new Map();
  for (const statement of statementList(block) ?? []) {
    if (statement.type !== AST_NODE_TYPES.ExpressionStatement) continue;
    let expression = skipWrappers(statement.expression);
    if (expression.type === AST_NODE_TYPES.AwaitExpression) expression = skipWrappers(expression.argument);
    else if (expression.type === AST_NODE_TYPES.UnaryExpression && expression.operator === 'void')
      expression = skipWrappers(expression.argument);
    if (expression.type !== AST_NODE_TYPES.CallExpression) continue;
    const member = calleeMember(expression);
    if (!member) continue;
    const key = compact(sourceCode.getText(skipWrappers(member.object)));
    let list = calls.get(key);
    if (!list) {
      list = [];
      calls.set(key, list);
    }
    list.push({ call: expression, parent: statement });
  }
  memberCallsByBlock.set(block, calls);
  return calls;
}

function compact(text: string): string {
  return text.replace(/\s+/g, '');
}

/** The raw close is a whole expression statement with no callback and no comment inside: it can be replaced. */
function replaceable(sourceCode: SourceCode, call: TSESTree.CallExpression): boolean {
  return (
    call.parent.type === AST_NODE_TYPES.ExpressionStatement &&
    call.arguments.length === 1 &&
    !call.optional &&
    sourceCode.getCommentsInside(call).length === 0
  );
}

/** How the close can name the owner: a never-reassigned variable that is in scope there, or a `this.…` path in the same `this`. */
function ownerText(sourceCode: SourceCode, ownerNode: TSESTree.Node, call: TSESTree.Node): string | undefined {
  const node = skipWrappers(ownerNode);
  if (node.type === AST_NODE_TYPES.Identifier) {
    const variable = variableOf(sourceCode, node);
    if (!variable || !isStable(variable) || ASTUtils.findVariable(sourceCode.getScope(call), node.name) !== variable) return undefined;
    return node.name;
  }
  return isThisPath(node) && thisContext(node) === thisContext(call) ? sourceCode.getText(node) : undefined;
}

const CLOSE_PREFERENCE = ['destroy', 'close', 'dispose', 'terminate'];

/** The owner's close-role method callable without arguments (streams: `destroy`), and whether it returns a promise. */
function closeMethod(
  services: NativeHandleServices,
  owner: Owner,
  type: ts.Type,
  location: ts.Node,
): { name: string; thenable: boolean } | undefined {
  const { checker } = services;
  const names = services.model
    .membersWithRole(owner, 'close')
    .filter(name => /^[A-Za-z_$][\w$]*$/.test(name))
    .sort((a, b) => rank(a) - rank(b));
  for (const name of names) {
    const property = checker.getPropertiesOfType(checker.getNonNullableType(type)).find(symbol => symbolMemberName(symbol) === name);
    if (!property) continue;
    const signature = checker
      .getTypeOfSymbolAtLocation(property, location)
      .getCallSignatures()
      .find(candidate => candidate.getParameters().every(parameter => isOptionalParameter(parameter)));
    if (!signature) continue;
    return { name, thenable: tsutils.isThenableType(checker, location, checker.getReturnTypeOfSignature(signature)) };
  }
  return undefined;
}

function rank(name: string): number {
  const index = CLOSE_PREFERENCE.indexOf(name);
  return index < 0 ? CLOSE_PREFERENCE.length : index;
}

function isOptionalParameter(parameter: ts.Symbol): boolean {
  const declaration = parameter.valueDeclaration;
  return (
    declaration !== undefined &&
    ts.isParameter(declaration) &&
    (declaration.questionToken ?? declaration.initializer ?? declaration.dotDotDotToken) !== undefined
  );
}
