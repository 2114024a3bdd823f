import { AST_NODE_TYPES, ASTUtils, TSESLint, type TSESTree } from '@typescript-eslint/utils';
import ts from '../util/typescript.cjs';
import { getNativeHandleServices, symbolMemberName, type NativeHandleServices, type Owner } from '../model/index.js';
import { inStatementList, isWrapper, lineBreakOf, skipWrappers, type FunctionNode } from '../util/ast.js';
import { createRule } from './_createRule.js';
import { Analyzer } from './no-close-with-pending-ops/analysis.js';
import { Collector } from './no-close-with-pending-ops/collector.js';
import { isPromiseChainLink } from './no-close-with-pending-ops/promises.js';
import type { Finding, OpRecord } from './no-close-with-pending-ops/records.js';

export type MessageIds = 'pendingOp' | 'pendingOpNoCancel' | 'storedOp' | 'storedOpNoCancel' | 'abortFirst' | 'cancelFirst';

export default createRule<[], MessageIds>({
  name: 'no-close-with-pending-ops',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow closing a native resource while an operation started on it may still be pending',
      recommended: true,
      requiresTypeChecking: true,
    },
    hasSuggestions: true,
    messages: {
      pendingOp:
        '`{{close}}` closes this {{owner}} while `{{operation}}` started on it may still be pending. Cancel the operation first with {{cancel}}; waiting for it instead can hang forever (a read on a pipe that never gets data).',
      pendingOpNoCancel:
        '`{{close}}` closes this {{owner}} while `{{operation}}` started on it may still be pending. Cancel pending work before closing rather than waiting for it, which can hang forever (a read on a pipe that never gets data); {{advice}}.',
      storedOp:
        '`{{close}}` in `{{method}}()` closes this {{owner}} while `{{holder}}` may still be pending. Cancel the operation stored there first with {{cancel}}; waiting for it instead can hang forever (a read on a pipe that never gets data).',
      storedOpNoCancel:
        '`{{close}}` in `{{method}}()` closes this {{owner}} while `{{holder}}` may still be pending. Cancel pending work before closing rather than waiting for it, which can hang forever (a read on a pipe that never gets data); {{advice}}.',
      abortFirst: 'Call `{{call}}` before closing (the pending operation then rejects with an AbortError).',
      cancelFirst: 'Call `{{call}}` before closing (the pending operation then completes with an abort error).',
    },
    schema: [],
    defaultOptions: [],
  },
  create(context) {
    const services = getNativeHandleServices(context);
    const collector = new Collector();
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
        collector.call(node);
      },
      AwaitExpression: node => {
        collector.awaitExpression(node);
      },
      'Program:exit': () => {
        const analyzer = new Analyzer(context, services, collector);
        for (const finding of analyzer.run()) reportFinding(context, services, finding);
      },
    };
  },
});

type Context = Readonly<TSESLint.RuleContext<MessageIds, []>>;

// -----------------------------------------------------------------------------------------
// Reporting

function reportFinding(context: Context, services: NativeHandleServices, finding: Finding): void {
  const { sourceCode } = context;
  const records = [...finding.records].sort((a, b) => a.call.range[0] - b.call.range[0]);
  const local = records.filter(record => !record.stored);
  const shown = local.length > 0 ? local : records;
  const aborts = abortSpellings(records, finding.call, sourceCode);
  const cancel = cancelCallText(services, finding, sourceCode);
  const remedy = aborts ? aborts.map(text => `\`${text}.abort()\``).join(' and ') : cancel && `\`${cancel}\``;
  const data = {
    close: `${sourceCode.getText(finding.call.callee)}()`,
    owner: finding.owner.name,
    operation: `${sourceCode.getText(shown[0]!.call.callee)}()`,
    holder: shown[0]!.holderText ?? '',
    method: finding.fn.methodName ?? '',
    cancel: remedy ?? '',
    advice: finding.owner.noCancelAdvice ?? defaultAdvice(finding.owner),
  };
  const family = local.length > 0 ? 'pendingOp' : 'storedOp';
  const messageId: MessageIds = remedy === undefined ? `${family}NoCancel` : family;
  const statement = insertionPoint(finding.call);
  const suggest: TSESLint.SuggestionReportDescriptor<MessageIds>[] = [];
  if (statement) {
    if (aborts) {
      const lines = aborts.map(text => `${text}.abort();`);
      suggest.push({
        messageId: 'abortFirst',
        data: { call: lines.join(' ').slice(0, -1) },
        fix: insertBefore(sourceCode, statement, lines),
      });
    }
    if (cancel)
      suggest.push({ messageId: 'cancelFirst', data: { call: cancel }, fix: insertBefore(sourceCode, statement, [`${cancel};`]) });
  }
  context.report({ node: finding.call, messageId, data, ...(suggest.length > 0 ? { suggest } : {}) });
}

function defaultAdvice(owner: Owner): string {
  return `${owner.name} has no cancel-role member; give it one (tag a method \`@cancel\` or configure \`cancel\` in settings) or pass an AbortSignal to the operation`;
}

/** When every pending operation was given a controller's signal: how to name those controllers at the close. */
function abortSpellings(
  records: readonly OpRecord[],
  close: TSESTree.Node,
  sourceCode: Readonly<TSESLint.SourceCode>,
): string[] | undefined {
  const texts = new Set<string>();
  const scope = sourceCode.getScope(close);
  for (const record of records) {
    const usable = record.controllers
      .flatMap(controller => controller.spellings)
      .find(spelling =>
        spelling.variable
          ? !record.stored && ASTUtils.findVariable(scope, spelling.text) === spelling.variable
          : spelling.text.startsWith('this'),
      );
    if (!usable) return undefined;
    texts.add(usable.text);
  }
  return texts.size > 0 ? [...texts] : undefined;
}

/** `obj.cancel()` for the owner's cancel-role method that takes no arguments, spelled on the close's object. */
function cancelCallText(services: NativeHandleServices, finding: Finding, sourceCode: Readonly<TSESLint.SourceCode>): string | undefined {
  const { owner, member } = finding;
  const name = services.model
    .membersWithRole(owner, 'cancel')
    .find(candidate => !owner.roles.close.has(candidate) && callableWithoutArguments(services, owner, candidate));
  if (name === undefined) return undefined;
  const object = skipWrappers(member.object);
  const simple = member.object.type === AST_NODE_TYPES.TSNonNullExpression || object === member.object;
  const objectText = simple ? sourceCode.getText(member.object) : `(${sourceCode.getText(member.object)})`;
  if (/^#?[A-Za-z_$][\w$]*$/.test(name)) return `${objectText}${member.optional ? '?.' : '.'}${name}()`;
  if (name.startsWith('[Symbol.')) return `${objectText}${member.optional ? '?.' : ''}${name}()`;
  return undefined;
}

function callableWithoutArguments(services: NativeHandleServices, owner: Owner, name: string): boolean {
  const property = services.checker.getPropertiesOfType(owner.type).find(symbol => symbolMemberName(symbol) === name);
  if (!property) return false;
  const type = services.checker.getTypeOfSymbol(property);
  return type.getCallSignatures().some(signature =>
    signature.getParameters().every(parameter => {
      const declaration = parameter.valueDeclaration;
      return (
        declaration !== undefined &&
        ts.isParameter(declaration) &&
        (declaration.questionToken ?? declaration.initializer ?? declaration.dotDotDotToken) !== undefined
      );
    }),
  );
}

/**
 * The statement before which a cancel can be inserted: the close call must be the whole of an
 * expression statement, a single declaration's initializer or a return value (through `await`,
 * `void` and `.catch()`), in a statement list.
 */
function insertionPoint(call: TSESTree.CallExpression): TSESTree.Node | undefined {
  let node: TSESTree.Node = call;
  for (let depth = 0; depth < 16; depth++) {
    const parent: TSESTree.Node | undefined = node.parent;
    if (!parent) return undefined;
    if (isWrapper(parent) || parent.type === AST_NODE_TYPES.AwaitExpression) {
      node = parent;
    } else if (parent.type === AST_NODE_TYPES.UnaryExpression && parent.operator === 'void') {
      node = parent;
    } else if (parent.type === AST_NODE_TYPES.MemberExpression && isPromiseChainLink(parent, node)) {
      node = parent.parent;
    } else if (parent.type === AST_NODE_TYPES.VariableDeclarator && parent.init === node && parent.parent.declarations.length === 1) {
      return inStatementList(parent.parent) ? parent.parent : undefined;
    } else if (parent.type === AST_NODE_TYPES.ExpressionStatement || parent.type === AST_NODE_TYPES.ReturnStatement) {
      return inStatementList(parent) ? parent : undefined;
    } else {
      return undefined;
    }
  }
  return undefined;
}

function insertBefore(
  sourceCode: Readonly<TSESLint.SourceCode>,
  statement: TSESTree.Node,
  lines: readonly string[],
): TSESLint.ReportFixFunction {
  const lineStart = sourceCode.text.lastIndexOf('\n', statement.range[0] - 1) + 1;
  const before = sourceCode.text.slice(lineStart, statement.range[0]);
  const text = /^\s*$/.test(before) ? lines.map(line => `${line}${lineBreakOf(sourceCode)}${before}`).join('') : `${lines.join(' ')} `;
  return fixer => fixer.insertTextBefore(statement, text);
}
