import { AST_NODE_TYPES, ASTUtils, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import type * as ts from 'typescript';
import {
  adoptedArguments,
  calleeMember,
  classResources,
  getNativeHandleServices,
  memberNameOf,
  propertyKeyName,
  rawHandleSource,
  type NativeHandleServices,
  type Owner,
  type RawHandleSource,
  unchangedObjectLiteral,
} from '../model/index.js';
import { isTransferableOwner, messageTargetOf, transferListAccepts, type MessageTarget } from '../model/messaging.js';
import { indentOf, lineBreakOf, skipWrappers, some, type VisitorKeys } from '../util/ast.js';
import { createRule } from './_createRule.js';
import { referencesOf } from '../model/references.js';

export type MessageIds =
  'adoptsBorrowed' | 'postsOwner' | 'broadcastsOwner' | 'postsRawHandle' | 'passOwner' | 'keepOpen' | 'addToTransferList';

export default createRule<[], MessageIds>({
  name: 'no-handle-adoption',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow a second owner adopting or cloning a borrowed raw handle',
      recommended: true,
      requiresTypeChecking: true,
    },
    hasSuggestions: true,
    messages: {
      adoptsBorrowed:
        '`{{adopter}}` takes ownership of the raw handle `{{member}}`, which this {{owner}} still owns. Both will close the same number, and the later close may hit an unrelated file or socket that reused it. {{remedy}}',
      postsOwner:
        'This {{owner}} is posted to another thread but is not in the transfer list. One handle cannot have an owner in each thread. {{remedy}}',
      broadcastsOwner:
        'This {{owner}} is posted on a `BroadcastChannel`, which has no transfer list. It cannot move to another thread that way, and a copy would be a second owner of one handle. {{remedy}}',
      postsRawHandle:
        'The raw handle `{{member}}` of this {{owner}} is posted to another thread as a plain number. Two threads then believe they own one handle, and a close on either side leaves the other with a number the kernel may reuse. {{remedy}}',
      passOwner: 'Pass the {{owner}} itself (`fd: {{text}}`), so that the stream closes it through the {{owner}}.',
      keepOpen: 'Add `autoClose: false`, so that only the {{owner}} closes the handle.',
      addToTransferList:
        'Add {{list}} to the transfer list. The handle moves to the receiving thread, and this thread must not use {{list}} afterwards.',
    },
    schema: [],
    defaultOptions: [],
  },
  create(context) {
    const services = getNativeHandleServices(context);
    return {
      CallExpression: call => {
        if (!checkPostMessage(context, services, call)) checkAdoption(context, services, call);
      },
      NewExpression: call => {
        checkAdoption(context, services, call);
      },
    };
  },
});

type Context = Readonly<TSESLint.RuleContext<MessageIds, []>>;
type CallLike = TSESTree.CallExpression | TSESTree.NewExpression;
type Fix = TSESLint.ReportFixFunction;

/** How deep {@link collectHeld} looks into array and object literals (`{ files: [fh] }` is two levels). */
const MAX_DEPTH = 3;
/** How many values of one message {@link collectHeld} asks the model about. */
const MAX_HELD = 64;
/** Expressions whose value may be an owner or a raw handle (anything else in a message is plain data). */
const VALUE_EXPRESSIONS = new Set<string>([
  AST_NODE_TYPES.Identifier,
  AST_NODE_TYPES.MemberExpression,
  AST_NODE_TYPES.CallExpression,
  AST_NODE_TYPES.NewExpression,
  AST_NODE_TYPES.AwaitExpression,
  AST_NODE_TYPES.ThisExpression,
]);

// -----------------------------------------------------------------------------------------
// Adoption: a call or `new` that takes ownership of another owner's raw handle

function checkAdoption(context: Context, services: NativeHandleServices, call: CallLike): void {
  if (call.arguments.length === 0) return;
  for (const adopted of adoptedArguments(services, call, context.sourceCode)) {
    const source = rawHandleSource(services, context.sourceCode, adopted);
    if (!source) continue;
    const ownCloser = ownHandleCloser(context, services, call, source);
    if (ownCloser === null) continue; // the class gave its own handle away
    reportAdoption(context, services, call, adopted, source, ownCloser);
    return; // one finding per call
  }
}

/**
 * An owner class handing its own raw handle to an adopter (`new tty.ReadStream(this.fd)` in the
 * constructor of a class whose `fd` is its raw handle) has given the handle away: the adopter
 * closes it, and the class closes the adopter. That is a second owner only when the class's close
 * path also closes the handle itself (`fs.closeSync(this.fd)` beside `this.input.destroy()`).
 * Gives that raw close; `null` when the class hands its own handle over and never closes it;
 * undefined when the handle is not the class's own (`this.fd` read outside the class's methods).
 */
function ownHandleCloser(
  context: Context,
  services: NativeHandleServices,
  call: CallLike,
  source: RawHandleSource,
): TSESTree.CallExpression | null | undefined {
  if (skipWrappers(source.ownerNode).type !== AST_NODE_TYPES.ThisExpression) return undefined;
  const classNode = enclosingClassOfThis(call);
  if (!classNode) return undefined;
  const declaration = services.tsNodeOf(classNode) as ts.ClassLikeDeclaration;
  const closePath = classResources(services.model, declaration)?.ownership.closePath ?? CONVENTIONAL_CLOSE;
  for (const element of classNode.body.body) {
    if (element.type !== AST_NODE_TYPES.MethodDefinition || !element.value.body) continue;
    const name = propertyKeyName(element.key, element.computed);
    if (name === undefined || !closePath.has(name)) continue;
    const closer = rawCloseOfThisMember(services, context.sourceCode.visitorKeys, element.value.body, source.member);
    if (closer) return closer;
  }
  return null;
}

const CONVENTIONAL_CLOSE: ReadonlySet<string> = new Set(['close', 'destroy', 'dispose']);

/** The class whose instance `this` is at the node (arrow functions pass `this` through; other functions end the search). */
function enclosingClassOfThis(node: TSESTree.Node): TSESTree.ClassDeclaration | TSESTree.ClassExpression | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === AST_NODE_TYPES.ClassDeclaration || current.type === AST_NODE_TYPES.ClassExpression) return current;
    if (
      (current.type === AST_NODE_TYPES.FunctionExpression && current.parent.type !== AST_NODE_TYPES.MethodDefinition) ||
      current.type === AST_NODE_TYPES.FunctionDeclaration
    ) {
      return undefined;
    }
  }
  return undefined;
}

/** The call in a body that hands `this.<member>` to a raw closer (`fs.closeSync(this.fd)`), if any. */
function rawCloseOfThisMember(
  services: NativeHandleServices,
  visitorKeys: VisitorKeys,
  body: TSESTree.Node,
  member: string,
): TSESTree.CallExpression | undefined {
  let found: TSESTree.CallExpression | undefined;
  some(
    body,
    visitorKeys,
    node => {
      if (node.type !== AST_NODE_TYPES.CallExpression || !node.arguments.some(argument => isThisMember(argument, member))) return false;
      if (!services.isRawCloser(node.callee)) return false;
      found = node;
      return true;
    },
    { skipTypes: true },
  );
  return found;
}

function isThisMember(node: TSESTree.Node, member: string): boolean {
  const inner = skipWrappers(node);
  return (
    inner.type === AST_NODE_TYPES.MemberExpression &&
    skipWrappers(inner.object).type === AST_NODE_TYPES.ThisExpression &&
    memberNameOf(inner) === member
  );
}

function reportAdoption(
  context: Context,
  services: NativeHandleServices,
  call: CallLike,
  adopted: TSESTree.Node,
  source: RawHandleSource,
  ownCloser?: TSESTree.CallExpression,
): void {
  const owner = source.owner.name;
  const adopter = context.sourceCode.getText(skipWrappers(call.callee));
  const builtin = services.isBuiltinAdopterCall(call);
  const property = adopted.parent?.type === AST_NODE_TYPES.Property ? adopted.parent : undefined;
  const options = property?.parent.type === AST_NODE_TYPES.ObjectExpression ? property.parent : undefined;
  const stream = builtin && call.type === AST_NODE_TYPES.CallExpression && property !== undefined && options !== undefined;
  const site = stream ? optionsSite(context, call, options) : undefined;
  const fitsOption = site !== undefined && property !== undefined && ownerFitsOption(services, adopted, source.ownerNode, site, property);
  const ownerText = site?.editable === true ? textAt(context, source.ownerNode, site.at) : undefined;
  const suggest: Array<TSESLint.SuggestionReportDescriptor<MessageIds>> = [];
  if (stream && fitsOption && ownerText !== undefined && context.sourceCode.getCommentsInside(adopted).length === 0) {
    suggest.push({ messageId: 'passOwner', data: { owner, text: ownerText }, fix: passOwnerFix(property, adopted, ownerText) });
  }
  if (stream && site?.editable === true) suggest.push({ messageId: 'keepOpen', data: { owner }, fix: keepOpenFix(context, options) });
  context.report({
    node: call,
    messageId: 'adoptsBorrowed',
    data: {
      adopter,
      member: source.member,
      owner,
      remedy: ownCloser
        ? `This ${owner}'s close path also closes \`${source.member}\` itself (\`${context.sourceCode.getText(skipWrappers(ownCloser.callee))}\` on line ${ownCloser.loc.start.line}): close only the adopter, which closes the handle.`
        : adoptionRemedy(owner, referenceText(context, source.ownerNode), stream, fitsOption, builtin),
    },
    ...(suggest.length > 0 ? { suggest } : {}),
  });
}

function adoptionRemedy(owner: string, ownerText: string | undefined, stream: boolean, fitsOption: boolean, builtin: boolean): string {
  if (stream && fitsOption) {
    return `Pass the ${owner} itself (\`{ fd: ${ownerText ?? 'fh'} }\`), or add \`autoClose: false\` so that only the ${owner} closes the fd.`;
  }
  if (stream) return `Add \`autoClose: false\`, so that only the ${owner} closes the handle.`;
  if (builtin) {
    return `A net.Socket closes its fd when destroyed: give it a descriptor nothing else owns (one you opened yourself), or keep using the ${owner}.`;
  }
  return `Give it a handle nothing else owns (one you opened yourself), or keep using the ${owner} itself.`;
}

/**
 * Where a stream's options literal is written. At the call (`argument` undefined): suggestions
 * edit it there. Held by a local variable (`const opts = { fd: fh.fd }; fs.createReadStream(p, opts)`):
 * `argument` is the call's `opts`; suggestions edit the literal in the declaration only when this
 * call is the variable's only use and nothing else types the literal (no annotation, no `as`), so
 * that the edit changes nothing but this call's options.
 */
interface OptionsSite {
  /** Where the owner's text is written by a suggestion: the call, or the held literal. */
  readonly at: TSESTree.Node;
  /** The call's options argument, when the literal is held by a variable. */
  readonly argument: TSESTree.Node | undefined;
  readonly editable: boolean;
}

function optionsSite(context: Context, call: TSESTree.CallExpression, options: TSESTree.ObjectExpression): OptionsSite {
  if (options.range[0] >= call.range[0] && options.range[1] <= call.range[1]) return { at: call, argument: undefined, editable: true };
  const written = call.arguments[1] && skipWrappers(call.arguments[1]);
  const argument = written?.type === AST_NODE_TYPES.Identifier ? written : undefined;
  const held = argument && unchangedObjectLiteral(context.sourceCode, argument);
  const uses = held?.variable.references.filter(reference => !reference.init) ?? [];
  const editable =
    held?.literal === options &&
    held.declarator.init === options &&
    held.declarator.id.typeAnnotation === undefined &&
    uses.length === 1 &&
    uses[0]!.identifier === argument;
  return { at: options, argument, editable };
}

/**
 * Whether the owner expression may stand in the option the raw handle is given in (`fd?: number |
 * FileHandle`): the literal's contextual type at the call, or for a held literal, the option of
 * that name in the type the call expects for its options argument.
 */
function ownerFitsOption(
  services: NativeHandleServices,
  adopted: TSESTree.Node,
  ownerNode: TSESTree.Node,
  site: OptionsSite,
  property: TSESTree.Property,
): boolean {
  const checker = services.checker;
  const ownerType = services.typeOf(ownerNode);
  if (!site.argument) {
    const expected = checker.getContextualType(services.tsNodeOf(adopted) as ts.Expression);
    return expected !== undefined && checker.isTypeAssignableTo(ownerType, expected);
  }
  const name = propertyKeyName(property.key, property.computed);
  const parameter = checker.getContextualType(services.tsNodeOf(site.argument) as ts.Expression);
  if (name === undefined || !parameter) return false;
  const candidates = parameter.isUnion() ? parameter.types : [parameter];
  return candidates.some(candidate => {
    const option = candidate.getProperty(name);
    return option !== undefined && checker.isTypeAssignableTo(ownerType, checker.getTypeOfSymbol(option));
  });
}

/** `{ fd: fh.fd }` → `{ fd: fh }`; `{ fd }` → `{ fd: fh }` (only the value changes; other properties stay). */
function passOwnerFix(property: TSESTree.Property, adopted: TSESTree.Node, ownerText: string): Fix {
  return fixer => (property.shorthand ? fixer.insertTextAfter(property.key, `: ${ownerText}`) : fixer.replaceText(adopted, ownerText));
}

/**
 * Sets `autoClose: false` in the options object: replaces a literal `true`, or adds the property
 * last; on a line of its own before the closing brace when the options are written one per line
 * (so a comment after the last property stays on its line).
 */
function keepOpenFix(context: Context, options: TSESTree.ObjectExpression): Fix {
  const sourceCode = context.sourceCode;
  return fixer => {
    const existing = options.properties.find(
      property => property.type === AST_NODE_TYPES.Property && propertyKeyName(property.key, property.computed) === 'autoClose',
    );
    if (existing?.type === AST_NODE_TYPES.Property) return fixer.replaceText(existing.value, 'false');
    const last = options.properties[options.properties.length - 1]!;
    const closing = sourceCode.getLastToken(options)!;
    const lineStart = closing.range[0] - closing.loc.start.column;
    const ownLine = closing.loc.start.line > last.loc.end.line && sourceCode.text.slice(lineStart, closing.range[0]).trim() === '';
    if (!ownLine) return fixer.insertTextAfter(last, ', autoClose: false');
    const hasComma = sourceCode.getTokenAfter(last)?.value === ',';
    const added = fixer.insertTextBeforeRange(
      [lineStart, lineStart],
      `${indentOf(sourceCode, last)}autoClose: false${hasComma ? ',' : ''}${lineBreakOf(sourceCode)}`,
    );
    return hasComma ? added : [fixer.insertTextAfter(last, ','), added];
  };
}

// -----------------------------------------------------------------------------------------
// postMessage: an owner or its raw handle sent to another thread

/** An owner, or an owner's raw handle, found in a message. */
type Held =
  | { readonly kind: 'owner'; readonly node: TSESTree.Node; readonly owner: Owner }
  | { readonly kind: 'raw'; readonly node: TSESTree.Node; readonly source: RawHandleSource };

/** The second argument of `postMessage`: none, an array literal (also `{ transfer: [...] }`), or something the rule cannot read. */
type TransferList =
  { readonly kind: 'none' } | { readonly kind: 'list'; readonly array: TSESTree.ArrayExpression } | { readonly kind: 'unknown' };

/** Checks `x.postMessage(…)` when `x` is a thread endpoint; false when the call is not one (it may still adopt). */
function checkPostMessage(context: Context, services: NativeHandleServices, call: TSESTree.CallExpression): boolean {
  const member = calleeMember(call);
  if (!member || memberNameOf(member) !== 'postMessage') return false;
  const target = messageTargetOf(services, member.object);
  if (!target) return false;
  const message = call.arguments[0];
  if (!message || message.type === AST_NODE_TYPES.SpreadElement) return true;
  const transfer: TransferList = target === 'BroadcastChannel' ? { kind: 'none' } : transferListOf(call.arguments[1]);
  if (transfer.kind === 'unknown') return true;
  const listed = transfer.kind === 'list' ? transfer.array.elements.map(element => listedOf(context, element!)) : [];
  const held: Held[] = [];
  collectHeld(context, services, message, 0, held);
  const matched = new Set<Listed>();
  const owners = held.filter(item => item.kind === 'owner' && !isListed(context, listed, matched, item.node));
  const raws = held.filter(item => item.kind === 'raw' && !isListed(context, listed, matched, item.source.ownerNode));
  const first = owners[0] ?? raws[0];
  // An owner in the list that matches nothing the message holds may be one of the missing under another name.
  if (!first || listed.some(entry => !matched.has(entry) && services.ownerOf(entry.node))) return true;
  if (first.kind === 'raw') reportRawHandle(context, call, target, first.source);
  else reportOwner(context, services, call, target, message, transfer, owners, first.owner);
  return true;
}

function reportOwner(
  context: Context,
  services: NativeHandleServices,
  call: TSESTree.CallExpression,
  target: MessageTarget,
  message: TSESTree.Node,
  transfer: TransferList,
  missing: readonly Held[],
  owner: Owner,
): void {
  const transferable = isTransferableOwner(owner);
  if (target === 'BroadcastChannel') {
    const remedy = transferable
      ? 'Send it through a `MessagePort` or `Worker` with a transfer list.'
      : 'Keep it in the thread that owns it and post plain data instead.';
    context.report({ node: call, messageId: 'broadcastsOwner', data: { owner: owner.name, remedy } });
    return;
  }
  const remedy = transferable
    ? 'List it in the transfer list, so that it moves to the receiving thread (Node throws ERR_MISSING_TRANSFERABLE_IN_TRANSFER_LIST otherwise).'
    : `A ${owner.name} cannot be transferred: keep it in the thread that owns it and post plain data instead.`;
  const names = transferableNames(context, services, call, missing);
  const suggest: Array<TSESLint.SuggestionReportDescriptor<MessageIds>> = [];
  if (names) {
    const list = names.map(name => `\`${name}\``).join(', ');
    suggest.push({ messageId: 'addToTransferList', data: { list }, fix: addToTransferListFix(context, message, transfer, names) });
  }
  context.report({ node: call, messageId: 'postsOwner', data: { owner: owner.name, remedy }, ...(suggest.length > 0 ? { suggest } : {}) });
}

function reportRawHandle(context: Context, call: TSESTree.CallExpression, target: MessageTarget, source: RawHandleSource): void {
  const owner = source.owner.name;
  let remedy = `Keep the handle in the thread that owns the ${owner} and post plain data instead.`;
  if (isTransferableOwner(source.owner)) {
    remedy =
      target === 'BroadcastChannel'
        ? `Send the ${owner} itself through a \`MessagePort\` or \`Worker\`, listed in the transfer list.`
        : `Send the ${owner} itself and list it in the transfer list (\`postMessage({ fh }, [fh])\`).`;
  }
  context.report({ node: call, messageId: 'postsRawHandle', data: { member: source.member, owner, remedy } });
}

/** The texts to add to the transfer list, when every missing owner can be listed there as written at the call. */
function transferableNames(
  context: Context,
  services: NativeHandleServices,
  call: TSESTree.CallExpression,
  missing: readonly Held[],
): string[] | undefined {
  const names: string[] = [];
  for (const item of missing) {
    if (item.kind !== 'owner' || !isTransferableOwner(item.owner)) return undefined;
    const text = textAt(context, item.node, call);
    if (text === undefined || !transferListAccepts(services, call, item.node)) return undefined;
    if (!names.includes(text)) names.push(text);
  }
  return names.length > 0 ? names : undefined;
}

function addToTransferListFix(context: Context, message: TSESTree.Node, transfer: TransferList, names: readonly string[]): Fix {
  const text = names.join(', ');
  return fixer => {
    if (transfer.kind !== 'list') return fixer.insertTextAfter(message, `, [${text}]`);
    const last = transfer.array.elements[transfer.array.elements.length - 1];
    if (last) return fixer.insertTextAfter(last, `, ${text}`);
    return fixer.insertTextAfter(context.sourceCode.getFirstToken(transfer.array)!, text);
  };
}

function transferListOf(arg: TSESTree.CallExpressionArgument | undefined): TransferList {
  if (!arg) return { kind: 'none' };
  let list = skipWrappers(arg);
  if (list.type === AST_NODE_TYPES.ObjectExpression) {
    // `postMessage(value, { transfer: [...] })`, the options form of the web API.
    const transfer = list.properties.find(
      property => property.type === AST_NODE_TYPES.Property && propertyKeyName(property.key, property.computed) === 'transfer',
    );
    if (transfer?.type !== AST_NODE_TYPES.Property || list.properties.some(p => p.type === AST_NODE_TYPES.SpreadElement))
      return { kind: 'unknown' };
    list = skipWrappers(transfer.value);
  }
  if (list.type !== AST_NODE_TYPES.ArrayExpression) return { kind: 'unknown' };
  if (list.elements.some(element => element === null || element.type === AST_NODE_TYPES.SpreadElement)) return { kind: 'unknown' };
  return { kind: 'list', array: list };
}

/** An element of the transfer list, and the value it reads from a local literal (`msg.fh` → the `fh` in `const msg = { fh }`). */
interface Listed {
  readonly node: TSESTree.Node;
  readonly value: TSESTree.Node | undefined;
}

function listedOf(context: Context, element: TSESTree.Node): Listed {
  const node = skipWrappers(element);
  return { node, value: node.type === AST_NODE_TYPES.MemberExpression ? literalValueOf(context, node, 0) : undefined };
}

/**
 * Whether the transfer list lists the value `node` (an owner the message holds, or the owner of a
 * raw handle it holds): an element written the same way, or one that reads that very value from
 * the literal a local `const` holds (`msg.fh`, `msg.files[0]`). Adds every matching element to `matched`.
 */
function isListed(context: Context, listed: readonly Listed[], matched: Set<Listed>, node: TSESTree.Node): boolean {
  const target = skipWrappers(node);
  let found = false;
  for (const entry of listed) {
    if (
      !sameValue(context, entry.node, target) &&
      entry.value !== target &&
      (entry.value === undefined || !sameValue(context, entry.value, target))
    )
      continue;
    matched.add(entry);
    found = true;
  }
  return found;
}

/**
 * The value a member path reads from the array and object literals local `const`s are
 * initialised with: `msg.fh`, `msg.files[0]`, `msg.inner.fh` through `const inner = { fh }`.
 * Undefined when some step is not such a literal, or the literal may not hold that key as written
 * (a spread after it, a getter, an index past a spread or a hole).
 */
function literalValueOf(context: Context, node: TSESTree.Node, depth: number): TSESTree.Node | undefined {
  const expression = skipWrappers(node);
  if (expression.type !== AST_NODE_TYPES.MemberExpression) return expression;
  if (depth > MAX_DEPTH) return undefined;
  const base = literalValueOf(context, expression.object, depth + 1);
  const literal = base?.type === AST_NODE_TYPES.Identifier ? constLiteralOf(context, base) : base;
  const key =
    expression.computed && expression.property.type === AST_NODE_TYPES.Literal && typeof expression.property.value === 'number'
      ? String(expression.property.value)
      : memberNameOf(expression);
  if (!literal || key === undefined) return undefined;
  const value = literal.type === AST_NODE_TYPES.ArrayExpression ? arrayElement(literal, key) : objectPropertyValue(literal, key);
  return value && skipWrappers(value);
}

function arrayElement(array: TSESTree.ArrayExpression, key: string): TSESTree.Node | undefined {
  const index = Number(key);
  if (!Number.isInteger(index) || index < 0 || index >= array.elements.length) return undefined;
  const before = array.elements.slice(0, index + 1);
  if (before.some(element => element === null || element.type === AST_NODE_TYPES.SpreadElement)) return undefined;
  return array.elements[index] ?? undefined;
}

function objectPropertyValue(object: TSESTree.Node, key: string): TSESTree.Node | undefined {
  if (object.type !== AST_NODE_TYPES.ObjectExpression) return undefined;
  for (let index = object.properties.length - 1; index >= 0; index--) {
    const property = object.properties[index]!;
    if (property.type === AST_NODE_TYPES.SpreadElement) return undefined; // may hold the key, or override it
    if (propertyKeyName(property.key, property.computed) !== key) continue;
    return property.kind === 'init' && !property.method ? property.value : undefined;
  }
  return undefined;
}

/**
 * The owners and raw handles a message holds: the message itself, the elements and property
 * values of array and object literals (a few levels deep), and the literal a local `const`
 * message was initialised with. Spreads and anything else are not followed.
 */
function collectHeld(context: Context, services: NativeHandleServices, node: TSESTree.Node, depth: number, held: Held[]): void {
  if (held.length >= MAX_HELD || depth > MAX_DEPTH) return;
  const expression = skipWrappers(node);
  if (expression.type === AST_NODE_TYPES.ArrayExpression) {
    for (const element of expression.elements) {
      if (element && element.type !== AST_NODE_TYPES.SpreadElement) collectHeld(context, services, element, depth + 1, held);
    }
    return;
  }
  if (expression.type === AST_NODE_TYPES.ObjectExpression) {
    for (const property of expression.properties) {
      if (property.type === AST_NODE_TYPES.Property) collectHeld(context, services, property.value, depth + 1, held);
    }
    return;
  }
  if (!VALUE_EXPRESSIONS.has(expression.type)) return;
  // `const m = { fh }`, unannotated: no owner or raw handle; read the literal, not m's type (checking it walks the flow back).
  const plain = expression.type === AST_NODE_TYPES.Identifier ? constLiteralOf(context, expression) : undefined;
  if (plain?.parent?.type === AST_NODE_TYPES.VariableDeclarator && plain.parent.init === plain && !plain.parent.id.typeAnnotation) {
    collectHeld(context, services, plain, depth + 1, held);
    return;
  }
  const owner = services.ownerOf(expression);
  if (owner) {
    held.push({ kind: 'owner', node: expression, owner });
    return;
  }
  const source = rawHandleSource(services, context.sourceCode, expression);
  if (source) {
    held.push({ kind: 'raw', node: expression, source });
    return;
  }
  const literal = expression.type === AST_NODE_TYPES.Identifier ? constLiteralOf(context, expression) : undefined;
  if (literal) collectHeld(context, services, literal, depth + 1, held);
}

/** The array or object literal a local `const` is initialised with. */
function constLiteralOf(context: Context, identifier: TSESTree.Identifier): TSESTree.Node | undefined {
  const variable = referencesOf(context.sourceCode).variableOf(identifier);
  const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
  if (def?.node.type !== AST_NODE_TYPES.VariableDeclarator || def.parent?.type !== AST_NODE_TYPES.VariableDeclaration) return undefined;
  if (def.parent.kind !== 'const' || def.node.id.type !== AST_NODE_TYPES.Identifier || !def.node.init) return undefined;
  const init = skipWrappers(def.node.init);
  return init.type === AST_NODE_TYPES.ArrayExpression || init.type === AST_NODE_TYPES.ObjectExpression ? init : undefined;
}

// -----------------------------------------------------------------------------------------
// Shared helpers

/**
 * Whether two expressions hold the same value, as the transfer list is compared with what the
 * message holds: the same reference (model/references: a variable by its declaration,
 * through aliases such as `const h = this.fh`), or, where either is no reference the model can
 * name (`list[i]`, a call), the same text without wrappers.
 */
function sameValue(context: Context, a: TSESTree.Node, b: TSESTree.Node): boolean {
  const refs = referencesOf(context.sourceCode);
  const keyA = refs.keyOf(a);
  const keyB = refs.keyOf(b);
  if (keyA !== undefined && keyB !== undefined) return keyA === keyB;
  return context.sourceCode.getText(skipWrappers(a)) === context.sourceCode.getText(skipWrappers(b));
}

/** The text of a plain reference: `fh`, `this.fh`, `job.file` (no calls, no optional chaining); else undefined. */
function referenceText(context: Context, node: TSESTree.Node): string | undefined {
  const expression = skipWrappers(node);
  let root: TSESTree.Node = expression;
  while (root.type === AST_NODE_TYPES.MemberExpression && !root.computed && !root.optional) root = skipWrappers(root.object);
  if (root.type !== AST_NODE_TYPES.Identifier && root.type !== AST_NODE_TYPES.ThisExpression) return undefined;
  return context.sourceCode.getText(expression);
}

/**
 * The {@link referenceText} of `node` when it names the same value written at `at`: any plain
 * reference inside `at`; elsewhere (an alias followed to its declaration) only an identifier that
 * resolves to the same variable there.
 */
function textAt(context: Context, node: TSESTree.Node, at: TSESTree.Node): string | undefined {
  const expression = skipWrappers(node);
  const inside = expression.range[0] >= at.range[0] && expression.range[1] <= at.range[1];
  if (!inside) {
    if (expression.type !== AST_NODE_TYPES.Identifier) return undefined;
    const here = ASTUtils.findVariable(context.sourceCode.getScope(at), expression.name);
    const there = ASTUtils.findVariable(context.sourceCode.getScope(expression), expression.name);
    if (!here || here !== there) return undefined;
  }
  // `{ fd: this.#out!.fd }` → `{ fd: this.#out! }`: the owner's type was checked with the
  // non-null assertion, so the text keeps it.
  const text = referenceText(context, expression);
  return text !== undefined && node.type === AST_NODE_TYPES.TSNonNullExpression && node.expression === expression ? `${text}!` : text;
}
