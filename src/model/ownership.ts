import tsutils from '../util/ts-api-utils.cjs';
import ts from '../util/typescript.cjs';
import {
  assignmentToThis,
  bodyNodes,
  classParts,
  elementName,
  forEachNode,
  isStatic,
  memberName,
  someNode,
  thisMemberName,
  type BodyNodes,
  type ClassParts,
  type MemberBody,
} from './classParts.js';
import type { Owner, ResourceModel } from './owners.js';
import type { Role } from './settings.js';
import { skipOuterExpressions } from './values.js';

/**
 * What a class owns (docs/resource-model.md#ownership). A field is `owned` when the class acquires it or its close path
 * releases it, `borrowed` when it is assigned only from parameters or other objects' members and
 * never released, and `unknown` when the model cannot tell (rules stay quiet on it).
 */
export type FieldOwnership = 'owned' | 'borrowed' | 'unknown';

export interface ClassOwnership {
  /** Close methods in the order of docs/resource-model.md#ownership: tagged and conventional ones, then methods that release an owned field for good. */
  readonly closeMethods: ReadonlySet<string>;
  /** The close methods and every `this.m()` / `super.m()` they call, transitively (source base classes included). */
  readonly closePath: ReadonlySet<string>;
  /** Each resource field's ownership. */
  readonly fields: ReadonlyMap<string, FieldOwnership>;
  /** Fields the close path writes, directly or through the helpers it calls. */
  readonly closeWritten: ReadonlySet<string>;
  /**
   * Fields (not resource fields) the close path writes whose value a liveness check can test:
   * booleans, strings, enums, and values tested for truthiness or `null`/`undefined`.
   */
  readonly stateFields: ReadonlySet<string>;
  /** The state fields that hold an object that may be `null`/`undefined` (`this.error`): liveness only where tested. */
  readonly nullableStateFields: ReadonlySet<string>;
  /** Fields set to `null`/`undefined` or deleted somewhere in the class. */
  readonly nulledFields: ReadonlySet<string>;
  /**
   * Fields holding a raw handle the class opened itself (`fs.openSync(…)`, the fd an `fs.open`
   * callback receives) or read from an owner's raw-handle member (`this.fd = fh.fd`): docs/rules/require-lifetime-guard.md (raw-handle reads).
   */
  readonly rawHandleFields: ReadonlySet<string>;
}

/** What a source is, for {@link FieldOwnership}. */
type SourceKind = 'acquire' | 'parameter' | 'member' | 'none' | 'unknown';

/** Which nodes of a body a question reads: all of them, or only those on the body's own path (`direct`: not in a `catch` clause nor a function it creates). */
type Reach = 'all' | 'direct';

/** A write to a field of `this`: `=` (plain) or `??=` / `||=`. */
interface ThisWrite {
  readonly field: string;
  readonly value: ts.Expression;
  readonly plain: boolean;
}

interface ThisWrites {
  readonly writes: readonly ThisWrite[];
  /** Fields deleted (`delete this.f`). */
  readonly deleted: readonly string[];
}

/** How many `const x = …` steps a source is followed through. */
const MAX_LOCAL_STEPS = 3;
const RELEASING_ROLES: readonly Role[] = ['close', 'cancel', 'release'];

const caches = new WeakMap<ResourceModel, WeakMap<ts.ClassLikeDeclaration, ClassOwnership>>();

/**
 * The ownership of a class with these resource fields and these close methods (for an inferred
 * owner class: its own; for a tagged class: its fields and its close roles). Cached per class.
 */
export function classOwnership(
  model: ResourceModel,
  declaration: ts.ClassLikeDeclaration,
  resourceFields: ReadonlyMap<string, Owner>,
  closeMethods: Iterable<string>,
): ClassOwnership {
  let cache = caches.get(model);
  if (!cache) {
    cache = new WeakMap();
    caches.set(model, cache);
  }
  let ownership = cache.get(declaration);
  if (!ownership) {
    ownership = new OwnershipAnalysis(model, declaration, resourceFields).run(new Set(closeMethods));
    cache.set(declaration, ownership);
  }
  return ownership;
}

class OwnershipAnalysis {
  private readonly checker: ts.TypeChecker;
  private readonly parts: ClassParts;
  /** {@link thisWrites}' answers. */
  private readonly writesByDeclaration = new Map<ts.ClassLikeDeclaration, ThisWrites>();
  /** {@link perBody}'s answers, by question. */
  private readonly bodyAnswers = new Map<string, Map<MemberBody, unknown>>();
  /** {@link nodesOf}'s answers: each body is walked once for every question. */
  private readonly nodesByBody = new Map<MemberBody, BodyNodes>();

  constructor(
    private readonly model: ResourceModel,
    declaration: ts.ClassLikeDeclaration,
    private readonly resourceFields: ReadonlyMap<string, Owner>,
  ) {
    this.checker = model.checker;
    this.parts = classParts(model, declaration);
  }

  run(initialClose: Set<string>): ClassOwnership {
    const closeMethods = new Set(initialClose);
    const closeBodies = this.reachable(closeMethods);
    const released = this.releasedIn(closeBodies, RELEASING_ROLES);
    const sources = this.fieldSources();
    const fields = new Map<string, FieldOwnership>();
    for (const name of this.resourceFields.keys()) {
      const kinds = sources.get(name) ?? new Set<SourceKind>();
      if (released.has(name) || kinds.has('acquire')) fields.set(name, 'owned');
      else if (kinds.size > 0 && [...kinds].every(kind => kind !== 'unknown') && (kinds.has('parameter') || kinds.has('member'))) {
        fields.set(name, 'borrowed');
      } else fields.set(name, 'unknown');
    }
    // Then other methods that release an owned field without re-acquiring it (`disconnect()`, `shutdown()`).
    const owned = new Set([...fields].filter(([, ownership]) => ownership === 'owned').map(([name]) => name));
    for (const name of owned.size > 0 ? this.parts.bodies.keys() : []) {
      if (closeMethods.has(name) || !this.isMethod(name)) continue;
      // On the method's own path: a method that destroys on an error (in a `catch`, or in a
      // listener it registers) is no close method. Closing, not ending a borrow nor cancelling.
      const bodies = this.reachable(new Set([name]), 'direct');
      const releases = [...this.releasedIn(bodies, ['close'], 'direct')].filter(field => owned.has(field));
      if (releases.length === 0) continue;
      const reacquired = this.acquiredIn(bodies);
      if (releases.some(field => !reacquired.has(field))) closeMethods.add(name);
    }
    const pathBodies = this.reachable(closeMethods);
    const closePath = new Set<string>();
    for (const [name, bodies] of this.parts.bodies) if (bodies.some(body => pathBodies.has(body))) closePath.add(name);
    const closeWritten = this.writtenIn(pathBodies);
    const kinds = new Map(
      [...closeWritten].filter(name => !this.resourceFields.has(name)).map(name => [name, this.stateKind(this.parts.fieldTypes.get(name))]),
    );
    const stateFields = new Set([...kinds].filter(([, kind]) => kind !== undefined).map(([name]) => name));
    const nullableStateFields = new Set([...kinds].filter(([, kind]) => kind === 'nullable').map(([name]) => name));
    const rawHandleFields = this.rawHandleFields();
    return {
      closeMethods,
      closePath,
      fields,
      closeWritten,
      stateFields,
      nullableStateFields,
      nulledFields: this.nulledFields(),
      rawHandleFields,
    };
  }

  private isMethod(name: string): boolean {
    const body = this.parts.bodies.get(name)?.[0];
    return body !== undefined && (ts.isMethodDeclaration(body) || ts.isFunctionExpression(body) || ts.isArrowFunction(body));
  }

  /** The bodies of these methods and of every `this.m()` / `super.m()` they call, transitively. */
  private reachable(names: ReadonlySet<string>, reach: Reach = 'all'): Set<MemberBody> {
    const bodies = new Set<MemberBody>();
    const queue: MemberBody[] = [];
    const add = (body: MemberBody | undefined): void => {
      if (body && !bodies.has(body)) {
        bodies.add(body);
        queue.push(body);
      }
    };
    for (const name of names) add(this.parts.bodies.get(name)?.[0]);
    for (let body = queue.shift(); body; body = queue.shift()) for (const callee of this.calleesOf(body, reach)) add(callee);
    return bodies;
  }

  /** The calls and `this.f` binaries of a body, from one walk shared by every question about it. */
  private nodesOf(body: MemberBody): BodyNodes {
    let nodes = this.nodesByBody.get(body);
    if (!nodes) this.nodesByBody.set(body, (nodes = body.body ? bodyNodes(body.body) : { calls: [], directCalls: [], thisBinaries: [] }));
    return nodes;
  }

  /** The calls of a body that a question with this reach reads. */
  private callsOf(body: MemberBody, reach: Reach): readonly ts.CallExpression[] {
    const nodes = this.nodesOf(body);
    return reach === 'all' ? nodes.calls : nodes.directCalls;
  }

  /**
   * The bodies one body calls as `this.m()` / `super.m()`, read once per body and reach (each
   * method of a class asks about the bodies it reaches, which overlap).
   */
  private calleesOf(body: MemberBody, reach: Reach): readonly MemberBody[] {
    return this.perBody(`callees:${reach}`, body, () => {
      const callees: MemberBody[] = [];
      if (!body.body) return callees;
      for (const node of this.callsOf(body, reach)) {
        const callee = skipOuterExpressions(node.expression);
        if (!ts.isPropertyAccessExpression(callee)) continue;
        const name = memberName(callee.name);
        const receiver = skipOuterExpressions(callee.expression);
        if (name === undefined) continue;
        const own = this.parts.bodies.get(name);
        if (receiver.kind === ts.SyntaxKind.ThisKeyword && own?.[0]) callees.push(own[0]);
        if (receiver.kind === ts.SyntaxKind.SuperKeyword) callees.push(...(own?.slice(1) ?? []));
      }
      return callees;
    });
  }

  /** One answer per body and question (`key`), computed once. */
  private perBody<T>(key: string, body: MemberBody, compute: () => T): T {
    let answers = this.bodyAnswers.get(key);
    if (!answers) this.bodyAnswers.set(key, (answers = new Map<MemberBody, unknown>()));
    if (answers.has(body)) return answers.get(body) as T;
    const answer = compute();
    answers.set(body, answer);
    return answer;
  }

  /** Resource fields a close/cancel/release-role call (or a raw closer) reaches in these bodies, directly or through a local copy. */
  private releasedIn(bodies: ReadonlySet<MemberBody>, roles: readonly Role[], reach: Reach = 'all'): Set<string> {
    const released = new Set<string>();
    for (const body of bodies) {
      const fields = this.perBody(`released:${roles.join()}:${reach}`, body, () => this.releasedInBody(body, roles, reach));
      for (const field of fields) released.add(field);
    }
    return released;
  }

  private releasedInBody(body: MemberBody, roles: readonly Role[], reach: Reach): ReadonlySet<string> {
    const released = new Set<string>();
    if (!body.body) return released;
    // Names before symbols: a member call releases a field only under a name one of the fields'
    // owners has a releasing role for, and a raw closer only a field its argument can name.
    const owners = [...new Set(this.resourceFields.values())];
    const releasing = (name: string): boolean => owners.some(owner => roles.some(role => this.model.hasRole(owner, role, name)));
    for (const node of this.callsOf(body, reach)) {
      const callee = skipOuterExpressions(node.expression);
      if (ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee)) {
        const name = ts.isPropertyAccessExpression(callee) ? memberName(callee.name) : elementName(callee);
        const field = name !== undefined && releasing(name) ? this.fieldOf(callee.expression) : undefined;
        const owner = field === undefined ? undefined : this.resourceFields.get(field);
        if (owner && name !== undefined && roles.some(role => this.model.hasRole(owner, role, name))) released.add(field!);
      }
      if (node.arguments.length === 0) continue;
      const argument = skipOuterExpressions(node.arguments[0]!);
      const target = ts.isPropertyAccessExpression(argument) ? argument.expression : argument;
      if (this.mayNameResourceField(target) && this.model.isRawCloser(callee)) {
        const field = this.fieldOf(target);
        if (field !== undefined && this.resourceFields.has(field)) released.add(field);
      }
    }
    return released;
  }

  /** Whether {@link fieldOf} may find a resource field here: `this.<resource field>`, or an identifier (a local copy). */
  private mayNameResourceField(expression: ts.Expression): boolean {
    const target = skipOuterExpressions(expression);
    const direct = thisMemberName(target);
    return direct === undefined ? ts.isIdentifier(target) : this.resourceFields.has(direct);
  }

  /** `this.f`, or a local initialised from `this.f` (`const fh = this.fh; this.fh = null; await fh.close()`). */
  private fieldOf(expression: ts.Expression): string | undefined {
    const target = skipOuterExpressions(expression);
    const direct = thisMemberName(target);
    if (direct !== undefined) return direct;
    if (!ts.isIdentifier(target)) return undefined;
    const symbol = this.checker.getSymbolAtLocation(target);
    const declaration = symbol?.valueDeclaration;
    if (!symbol) return undefined;
    if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer || !ts.isIdentifier(declaration.name))
      return undefined;
    // As in model/references: a copy is the field only while nothing writes the local again.
    if (!isConstDeclaration(declaration) && isReassigned(this.checker, declaration, symbol)) return undefined;
    return thisMemberName(skipOuterExpressions(declaration.initializer));
  }

  /** Every value assigned to each resource field in the class: initialisers, parameter properties, `this.f = …`. */
  private fieldSources(): Map<string, Set<SourceKind>> {
    const sources = new Map<string, Set<SourceKind>>();
    const add = (name: string, kind: SourceKind): void => {
      if (!this.resourceFields.has(name)) return;
      let kinds = sources.get(name);
      if (!kinds) sources.set(name, (kinds = new Set()));
      kinds.add(kind);
    };
    for (const declaration of this.parts.declarations) {
      for (const member of declaration.members) {
        if (ts.isPropertyDeclaration(member) && member.initializer && !isStatic(member)) {
          const name = memberName(member.name);
          if (name !== undefined && this.resourceFields.has(name))
            for (const kind of classify(this.model, member.initializer, 0)) add(name, kind);
        }
        if (ts.isConstructorDeclaration(member)) {
          for (const parameter of member.parameters) {
            if (ts.isParameterPropertyDeclaration(parameter, member) && ts.isIdentifier(parameter.name))
              add(parameter.name.text, 'parameter');
          }
        }
      }
      for (const assigned of this.thisWrites(declaration).writes) {
        // Fields first: classifying a value may ask for types.
        if (this.resourceFields.has(assigned.field)) for (const kind of classify(this.model, assigned.value, 0)) add(assigned.field, kind);
      }
    }
    return sources;
  }

  /** Fields given a newly acquired resource in these bodies. */
  private acquiredIn(bodies: ReadonlySet<MemberBody>): Set<string> {
    const acquired = new Set<string>();
    for (const body of bodies) {
      const fields = this.perBody('acquired', body, () => {
        const found = new Set<string>();
        if (!body.body) return found;
        for (const node of this.nodesOf(body).thisBinaries) {
          const assigned = assignmentToThis(node);
          if (assigned && this.resourceFields.has(assigned.field) && classify(this.model, assigned.value, 0).has('acquire'))
            found.add(assigned.field);
        }
        return found;
      });
      for (const field of fields) acquired.add(field);
    }
    return acquired;
  }

  private rawHandleFields(): Set<string> {
    const raw = new Set<string>();
    for (const declaration of this.parts.declarations) {
      for (const member of declaration.members) {
        if (!ts.isPropertyDeclaration(member) || isStatic(member) || !member.initializer) continue;
        const name = memberName(member.name);
        if (name !== undefined && this.isRawHandleSource(member.initializer, 0)) raw.add(name);
      }
      for (const assigned of this.thisWrites(declaration).writes) {
        if (!this.resourceFields.has(assigned.field) && this.isRawHandleSource(assigned.value, 0)) raw.add(assigned.field);
      }
    }
    return raw;
  }

  /** `fs.openSync(…)`, the `fd` parameter of an `fs.open` callback, `owner.<rawHandle>`, or a local holding one. */
  private isRawHandleSource(expression: ts.Expression, steps: number): boolean {
    let node = skipOuterExpressions(expression);
    while (ts.isAwaitExpression(node)) node = skipOuterExpressions(node.expression);
    if (ts.isCallExpression(node)) return this.model.isNodeFsFunction(skipOuterExpressions(node.expression), 'openSync');
    if (ts.isPropertyAccessExpression(node)) {
      const name = memberName(node.name);
      if (name === undefined || !this.model.mayBeRawHandleName(name)) return false; // names before types
      const owner = this.model.ownerOfType(this.checker.getTypeAtLocation(node.expression));
      return owner !== undefined && owner.roles.rawHandle.has(name);
    }
    if (!ts.isIdentifier(node)) return false;
    const declaration = this.checker.getSymbolAtLocation(node)?.valueDeclaration;
    if (declaration && ts.isParameter(declaration)) {
      // `fs.open(path, flags, (error, fd) => { this.fd = fd; })`
      const callback = declaration.parent;
      const call = callback.parent;
      return (
        (ts.isArrowFunction(callback) || ts.isFunctionExpression(callback)) &&
        callback.parameters.indexOf(declaration) === 1 &&
        ts.isCallExpression(call) &&
        call.arguments.includes(callback) &&
        this.model.isNodeFsFunction(skipOuterExpressions(call.expression), 'open')
      );
    }
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer && steps < MAX_LOCAL_STEPS) {
      return this.isRawHandleSource(declaration.initializer, steps + 1);
    }
    return false;
  }

  private writtenIn(bodies: ReadonlySet<MemberBody>): Set<string> {
    const written = new Set<string>();
    for (const body of bodies) {
      if (!body.body) continue;
      for (const node of this.nodesOf(body).thisBinaries) {
        if (tsutils.isAssignmentKind(node.operatorToken.kind)) {
          const name = thisMemberName(skipOuterExpressions(node.left));
          if (name !== undefined) written.add(name);
        }
      }
    }
    return written;
  }

  private nulledFields(): Set<string> {
    const nulled = new Set<string>();
    for (const declaration of this.parts.declarations) {
      const { writes, deleted } = this.thisWrites(declaration);
      for (const assigned of writes) {
        const value = skipOuterExpressions(assigned.value);
        const nothing =
          value.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(value) && value.text === 'undefined') || ts.isVoidExpression(value);
        if (assigned.plain && nothing) nulled.add(assigned.field);
      }
      for (const name of deleted) nulled.add(name);
    }
    return nulled;
  }

  /**
   * Every `this.f = v` (also `??=`, `||=`) and `delete this.f` in a class declaration, nested
   * functions included: one walk for the questions that read them.
   */
  private thisWrites(declaration: ts.ClassLikeDeclaration): ThisWrites {
    let found = this.writesByDeclaration.get(declaration);
    if (found) return found;
    const writes: ThisWrite[] = [];
    const deleted: string[] = [];
    forEachNode(declaration, node => {
      const assigned = assignmentToThis(node);
      if (assigned) writes.push({ ...assigned, plain: (node as ts.BinaryExpression).operatorToken.kind === ts.SyntaxKind.EqualsToken });
      if (ts.isDeleteExpression(node)) {
        const name = thisMemberName(skipOuterExpressions(node.expression));
        if (name !== undefined) deleted.push(name);
      }
    });
    found = { writes, deleted };
    this.writesByDeclaration.set(declaration, found);
    return found;
  }

  /** A boolean, string or enum (`value`), or another value that may be `null`/`undefined` (`nullable`: tested for truthiness or nullishness). */
  private stateKind(type: ts.Type | undefined): 'value' | 'nullable' | undefined {
    if (!type) return undefined;
    const parts = tsutils.unionConstituents(type);
    const stateLike = (part: ts.Type): boolean =>
      tsutils.isTypeFlagSet(
        part,
        ts.TypeFlags.BooleanLike | ts.TypeFlags.StringLike | ts.TypeFlags.EnumLike | ts.TypeFlags.Null | ts.TypeFlags.Undefined,
      );
    if (parts.every(stateLike)) return 'value';
    if (tsutils.isTypeFlagSet(type, ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return undefined;
    return parts.some(part => tsutils.isTypeFlagSet(part, ts.TypeFlags.Null | ts.TypeFlags.Undefined)) ? 'nullable' : undefined;
  }
}

/**
 * Whether assigning this value to a field stores a newly acquired owner (docs/resource-model.md#ownership: `new`, a call
 * or awaited call returning one, or a local holding one): what docs/rules/require-lifetime-guard.md (newly acquired owners) reports after an unrelated await.
 */
export function isAcquisition(model: ResourceModel, expression: ts.Expression): boolean {
  return classify(model, expression, 0).has('acquire');
}

function classify(model: ResourceModel, expression: ts.Expression, steps: number): Set<SourceKind> {
  let node = skipOuterExpressions(expression);
  while (ts.isAwaitExpression(node)) node = skipOuterExpressions(node.expression);
  if (ts.isNewExpression(node)) return new Set(['acquire']);
  if (ts.isCallExpression(node)) {
    // A lookup in a collection (`this.pools.get(key)`) hands out an object something else holds.
    const callee = skipOuterExpressions(node.expression);
    if (ts.isPropertyAccessExpression(callee) && model.isCollectionType(model.checker.getTypeAtLocation(callee.expression))) {
      return new Set(['member']);
    }
    return new Set(['acquire']);
  }
  if (ts.isConditionalExpression(node))
    return new Set([...classify(model, node.whenTrue, steps), ...classify(model, node.whenFalse, steps)]);
  if (ts.isBinaryExpression(node)) {
    const operator = node.operatorToken.kind;
    if (operator === ts.SyntaxKind.QuestionQuestionToken || operator === ts.SyntaxKind.BarBarToken) {
      return new Set([...classify(model, node.left, steps), ...classify(model, node.right, steps)]);
    }
    if (operator === ts.SyntaxKind.AmpersandAmpersandToken) return classify(model, node.right, steps);
    return new Set(['unknown']);
  }
  if (node.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(node) && node.text === 'undefined')) return new Set(['none']);
  if (ts.isVoidExpression(node)) return new Set(['none']);
  if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) return new Set(['member']);
  if (ts.isIdentifier(node)) return classifyIdentifier(model, node, steps);
  return new Set(['unknown']);
}

function classifyIdentifier(model: ResourceModel, node: ts.Identifier, steps: number): Set<SourceKind> {
  const declaration = model.checker.getSymbolAtLocation(node)?.valueDeclaration;
  if (!declaration) return new Set(['unknown']);
  if (ts.isParameter(declaration)) return new Set(['parameter']);
  if (ts.isBindingElement(declaration)) {
    let root: ts.Node = declaration;
    while (ts.isBindingElement(root) || ts.isObjectBindingPattern(root) || ts.isArrayBindingPattern(root)) root = root.parent;
    // `({ socket }) => …` is a parameter; `const { pool } = options` is another object's member.
    if (ts.isParameter(root)) return new Set(['parameter']);
    return new Set(['member']);
  }
  if (ts.isVariableDeclaration(declaration) && declaration.initializer && steps < MAX_LOCAL_STEPS) {
    return classify(model, declaration.initializer, steps + 1);
  }
  return new Set(['unknown']);
}

function isConstDeclaration(declaration: ts.VariableDeclaration): boolean {
  return (ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const) !== 0;
}

/**
 * Whether a `let`/`var` is written after its declaration anywhere in the function (or file) that
 * declares it, nested functions included: `x = …`, `x += …`, `x++`, or a destructuring assignment
 * (`[x] = …`, `({ x } = …)`, counted whenever it mentions the name).
 */
function isReassigned(checker: ts.TypeChecker, declaration: ts.VariableDeclaration, symbol: ts.Symbol): boolean {
  const scope =
    ts.findAncestor(declaration.parent, node => ts.isFunctionLike(node) || ts.isSourceFile(node)) ?? declaration.getSourceFile();
  const writes = (node: ts.Node): boolean => {
    if (!ts.isIdentifier(node) || node.text !== declaration.name.getText() || node === declaration.name) return false;
    let child: ts.Node = node;
    let parent = node.parent;
    while (
      ts.isParenthesizedExpression(parent) ||
      ts.isArrayLiteralExpression(parent) ||
      ts.isObjectLiteralElementLike(parent) ||
      ts.isObjectLiteralExpression(parent) ||
      ts.isSpreadElement(parent)
    ) {
      child = parent;
      parent = parent.parent;
    }
    const assigned =
      (ts.isBinaryExpression(parent) && parent.left === child && tsutils.isAssignmentKind(parent.operatorToken.kind)) ||
      ((ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) &&
        (parent.operator === ts.SyntaxKind.PlusPlusToken || parent.operator === ts.SyntaxKind.MinusMinusToken));
    return assigned && checker.getSymbolAtLocation(node) === symbol;
  };
  return someNode(scope, writes);
}

/**
 * A native resource in the sense of docs/rules/require-lifetime-guard.md (other uses): a tagged or configured owner, where a call on a
 * closed object can crash the process or touch freed memory. Node built-ins and inferred owner
 * classes fail with a clean error instead, and so do the known native packages (docs/packages.md): their
 * sources check for a closed handle before every call (docs/packages.md says where, per package).
 */
export function isNativeResource(owner: Owner): boolean {
  return owner.source === 'tagged' || owner.source === 'configured';
}
