import { AST_NODE_TYPES, ASTUtils, TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { isFunction, skipWrappers } from '../util/ast.js';
import { memberNameOf, propertyKeyName } from './names.js';

/**
 * Which storage location an expression names: the one identity service of the rules (issue 10).
 *
 * A key is a string, equal for two expressions exactly when the model takes them to name the
 * same thing:
 *
 * - a variable or parameter, by its scope variable (so an inner `fh` that shadows an outer one
 *   has its own key): `fh@120` (the name and where it is declared), `process@global` for a
 *   global the file does not declare;
 * - `this` (the receiver of the function being analysed) and its fields: `this`, `this.fh`,
 *   `this.#fh`; `this['fh']` is `this.fh`;
 * - a member chain below one of those: `fh@120.stream.fd`, `this.pool.conn`. A member name
 *   that is not a plain identifier is quoted (`this["a.b"]`), so keys never collide.
 *
 * Wrappers (`x!`, `x as T`, `<T>x`, `x satisfies T`) and optional chaining do not change the
 * key: `a?.b` names the same place as `a.b`. An alias, a local that copies another reference
 * and is never written again (`const h = this.fh`, `let h = fh` with no later write to `h`,
 * `const { fh } = this`), has the key of its source, unless that source is a variable written
 * after its declaration (then the copy may hold an older value).
 *
 * Undefined means "unknown, do not report": the expression does not name a place the model can
 * follow (a call, a computed member `this[k]`, `super.x`, a literal).
 *
 * The same key serves as the identity of a side-effect-free condition operand: `keep`,
 * `opts.keep`, `opts?.keep`, `(opts as O).keep`, `this.options.keepOpen`, and (through the alias)
 * `k` after `const k = opts.keep`, all read one place; two conditions correlate when their keys
 * are defined and equal. A key reads no getter's result differently from a field's: the model
 * takes member reads to have no side effects.
 */
export type ReferenceKey = string;

/** Options of {@link References.keyOf}. */
export interface KeyOptions {
  /** Follow aliases to their source (default true). Without, a local is always its own variable. */
  readonly aliases?: boolean;
}

/** The part of ESLint's `SourceCode` the service needs. */
export interface ScopeSource {
  getScope(node: TSESTree.Node): TSESLint.Scope.Scope;
}

type Variable = TSESLint.Scope.Variable;

/** How many aliases deep {@link References.keyOf} follows (`const a = this.fh; const b = a;` is two). */
const MAX_ALIAS_DEPTH = 4;

const services = new WeakMap<ScopeSource, References>();

/** The identity service of a file: one per source code, shared by every rule that lints it. */
export function referencesOf(sourceCode: ScopeSource): References {
  let found = services.get(sourceCode);
  if (!found) {
    found = new References(sourceCode);
    services.set(sourceCode, found);
  }
  return found;
}

export class References {
  private readonly variables = new Map<TSESTree.Identifier, Variable | null>();
  private readonly aliasKeys = new Map<TSESTree.Node, ReferenceKey | null>();
  private readonly plainKeys = new Map<TSESTree.Node, ReferenceKey | null>();
  /** {@link isStableSource}'s answer per root variable (n copies of `xs[i]` would each read every reference of `xs`). */
  private readonly stableVariables = new Map<Variable, boolean>();

  constructor(private readonly sourceCode: ScopeSource) {}

  /** The key of what the expression names (see {@link ReferenceKey}); undefined when it names nothing the model follows. */
  keyOf(node: TSESTree.Node, options: KeyOptions = {}): ReferenceKey | undefined {
    return this.key(node, options.aliases !== false, 0);
  }

  /** The scope variable an identifier resolves to (undefined for an undeclared global). */
  variableOf(identifier: TSESTree.Identifier): Variable | undefined {
    let variable = this.variables.get(identifier);
    if (variable === undefined) {
      variable = ASTUtils.findVariable(this.sourceCode.getScope(identifier), identifier.name) ?? null;
      this.variables.set(identifier, variable);
    }
    return variable ?? undefined;
  }

  /** The key of a variable itself, never through an alias. */
  variableKey(variable: Variable): ReferenceKey {
    const declared = variable.defs[0]?.name.range[0];
    return `${variable.name}@${declared ?? 'global'}`;
  }

  /**
   * The keys a write target gives a new value: each identifier of a binding or assignment pattern
   * (its own variable, never its alias source) and each member target (`this.fh = …`, `h.x = …`,
   * the latter through `h`'s alias). Unknown targets (`this[k] = …`) are left out.
   */
  writtenKeys(target: TSESTree.Node): ReferenceKey[] {
    const keys: ReferenceKey[] = [];
    for (const written of writtenTargets(target)) {
      if (written.type === AST_NODE_TYPES.Identifier) {
        const variable = this.variableOf(written);
        keys.push(variable ? this.variableKey(variable) : globalKey(written.name));
      } else {
        const key = this.keyOf(written);
        if (key !== undefined) keys.push(key);
      }
    }
    return keys;
  }

  /**
   * The expression an alias copies (`this.fh` for `const h = this.fh`, `this` for
   * `const { fh } = this`, with the property name), or undefined when the variable is no alias:
   * several declarations, a parameter, a function value, a `let`/`var` written again, or a
   * destructuring with a default or a computed key.
   */
  aliasOf(variable: Variable): { readonly source: TSESTree.Expression; readonly property?: string } | undefined {
    const def = variable.defs.length === 1 ? variable.defs[0] : undefined;
    if (def?.type !== TSESLint.Scope.DefinitionType.Variable || !def.node.init) return undefined;
    if (def.parent.kind !== 'const' && !writtenOnlyByInit(variable)) return undefined;
    const source = def.node.init;
    if (isFunction(skipWrappers(source))) return undefined;
    const id = def.node.id;
    if (id.type === AST_NODE_TYPES.Identifier) return { source };
    if (id.type !== AST_NODE_TYPES.ObjectPattern) return undefined;
    for (const property of id.properties) {
      if (property.type !== AST_NODE_TYPES.Property || property.value !== def.name) continue;
      const name = propertyKeyName(property.key, property.computed);
      return name === undefined ? undefined : { source, property: name };
    }
    return undefined;
  }

  private key(node: TSESTree.Node, aliases: boolean, depth: number): ReferenceKey | undefined {
    const cache = aliases ? this.aliasKeys : this.plainKeys;
    const cached = cache.get(node);
    if (cached !== undefined) return cached ?? undefined;
    const key = this.compute(skipWrappers(node), aliases, depth);
    cache.set(node, key ?? null);
    return key;
  }

  private compute(node: TSESTree.Node, aliases: boolean, depth: number): ReferenceKey | undefined {
    switch (node.type) {
      case AST_NODE_TYPES.ThisExpression:
        return 'this';
      case AST_NODE_TYPES.Identifier: {
        const variable = this.variableOf(node);
        if (!variable) return globalKey(node.name);
        const aliased = aliases && depth < MAX_ALIAS_DEPTH ? this.aliasKey(variable, depth + 1) : undefined;
        return aliased ?? this.variableKey(variable);
      }
      case AST_NODE_TYPES.MemberExpression: {
        const name = memberNameOf(node);
        if (name === undefined || node.object.type === AST_NODE_TYPES.Super) return undefined;
        const base = this.key(node.object, aliases, depth);
        return base === undefined ? undefined : memberKey(base, name);
      }
      default:
        return undefined;
    }
  }

  /** The key of an alias's source; undefined when the variable is no alias or its source names nothing stable. */
  private aliasKey(variable: Variable, depth: number): ReferenceKey | undefined {
    const alias = this.aliasOf(variable);
    if (!alias || !this.isStableSource(alias.source)) return undefined;
    // Not cached by node: the depth differs with the way in.
    const base = this.compute(skipWrappers(alias.source), true, depth);
    if (base === undefined) return undefined;
    return alias.property === undefined ? base : memberKey(base, alias.property);
  }

  /** Whether the root variable of an alias's source keeps its value (a copy of a variable written later may hold an older value). */
  private isStableSource(source: TSESTree.Node): boolean {
    let root = skipWrappers(source);
    while (root.type === AST_NODE_TYPES.MemberExpression) root = skipWrappers(root.object);
    if (root.type !== AST_NODE_TYPES.Identifier) return true;
    const variable = this.variableOf(root);
    if (!variable) return true;
    let stable = this.stableVariables.get(variable);
    if (stable === undefined) {
      stable = variable.references.every(reference => !reference.isWrite() || reference.init === true);
      this.stableVariables.set(variable, stable);
    }
    return stable;
  }
}

/**
 * The identifiers and member expressions a write target writes (without wrappers), in source
 * order: the target itself, or the leaves of a destructuring pattern (defaults and rest
 * included), or the declared names of a `for (const x of …)` head.
 */
export function writtenTargets(target: TSESTree.Node): (TSESTree.Identifier | TSESTree.MemberExpression)[] {
  const found: (TSESTree.Identifier | TSESTree.MemberExpression)[] = [];
  const visit = (node: TSESTree.Node): void => {
    const expression = skipWrappers(node);
    switch (expression.type) {
      case AST_NODE_TYPES.Identifier:
      case AST_NODE_TYPES.MemberExpression:
        found.push(expression);
        break;
      case AST_NODE_TYPES.ObjectPattern:
        for (const property of expression.properties) visit(property.type === AST_NODE_TYPES.Property ? property.value : property.argument);
        break;
      case AST_NODE_TYPES.ArrayPattern:
        for (const element of expression.elements) if (element) visit(element);
        break;
      case AST_NODE_TYPES.AssignmentPattern:
        visit(expression.left);
        break;
      case AST_NODE_TYPES.RestElement:
        visit(expression.argument);
        break;
      case AST_NODE_TYPES.VariableDeclaration:
        for (const declarator of expression.declarations) visit(declarator.id);
        break;
      default:
        break;
    }
  };
  visit(target);
  return found;
}

/** {@link writtenOnlyByInit}'s answers: asked at every reference of a variable, read from all of them. */
const onlyInitWrites = new WeakMap<Variable, boolean>();

/** Whether the only write of a variable is its initializer. */
function writtenOnlyByInit(variable: Variable): boolean {
  let answer = onlyInitWrites.get(variable);
  if (answer === undefined) {
    const writes = variable.references.filter(reference => reference.isWrite());
    answer = writes.length === 1 && writes[0]!.init === true;
    onlyInitWrites.set(variable, answer);
  }
  return answer;
}

function globalKey(name: string): ReferenceKey {
  return `${name}@global`;
}

/** The key of member `name` below `base`: `base.name`, or `base["a.b"]` for a name that is no plain identifier. */
export function memberKey(base: ReferenceKey, name: string): ReferenceKey {
  return /^#?[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*$/u.test(name) || /^\[Symbol\.\w+\]$/.test(name)
    ? `${base}${name.startsWith('[') ? '' : '.'}${name}`
    : `${base}[${JSON.stringify(name)}]`;
}

/** The root of a key: the variable, global or `this` a member chain starts from (`fh@120` in `fh@120.stream.fd`). */
export function rootOfKey(key: ReferenceKey): ReferenceKey {
  const end = key.search(/[.[]/);
  return end === -1 ? key : key.slice(0, end);
}

/** Whether the key names a field (or a deeper member) of `this`. */
export function isThisMemberKey(key: ReferenceKey): boolean {
  return key.startsWith('this.') || key.startsWith('this[');
}

/** Whether `key` is `base` or a member below it (`this.fh.fd` is within `this.fh`; `this.fhx` is not). */
export function isWithinKey(key: ReferenceKey, base: ReferenceKey): boolean {
  return key === base || (key.startsWith(base) && (key[base.length] === '.' || key[base.length] === '['));
}
