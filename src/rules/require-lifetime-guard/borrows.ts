import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { memberNameOf, type NativeHandleServices, type Role } from '../../model/index.js';
import { skipWrappers, statementList, walk, type VisitorKeys } from '../../util/ast.js';
import { OWN_CODE, ancestorMember, skipAwait } from './ast.js';
import type { ClassInfo } from './ownerClass.js';

/**
 * Borrows held across an await in an owner class (docs/rules/require-lifetime-guard.md, guards):
 * the owner's `addRef` called before a use and its `release` in the `finally` of a `try` around
 * it, or a `using` lease earlier in the use's block. What each member, `finally` block and
 * statement list holds is found once: a use in a method of n statements used to walk the whole
 * method (and the statements before it) again.
 */
export class Borrows {
  constructor(
    private readonly services: NativeHandleServices,
    private readonly info: ClassInfo,
    private readonly visitorKeys: VisitorKeys,
    private readonly resourceField: (node: TSESTree.Node) => string | undefined,
  ) {}

  /** `this.fh.addRef()` before and `this.fh.release()` in a `finally` around the use, or a `using` lease in scope. */
  isBorrowed(node: TSESTree.Node, field: string): boolean {
    const member = ancestorMember(node);
    for (let child: TSESTree.Node = node, parent = node.parent; parent && parent !== member; child = parent, parent = parent.parent) {
      const finalizer = parent.type === AST_NODE_TYPES.TryStatement && parent.block === child ? parent.finalizer : undefined;
      if (finalizer && member) {
        const addRef = this.borrowFact(member, field, () => this.firstCallEnd(member, field, 'addRef'));
        if (addRef <= node.range[0] && this.borrowFact(finalizer, field, () => this.firstCallEnd(finalizer, field, 'release')) < Infinity)
          return true;
      }
      // The `using` declarations before `child` in the list it is in (by position: none precedes a switch case's test).
      for (const statement of this.usingDeclarations(parent)) {
        if (statement.range[1] > child.range[0]) break;
        if (statement.declarations.some(declarator => declarator.init && this.isCallWith('lease', field, skipAwait(declarator.init))))
          return true;
      }
    }
    return false;
  }

  /** Per node and field, what {@link isBorrowed} found out there: each finding used to walk its whole member again. */
  private readonly borrowFacts = new Map<TSESTree.Node, Map<string, number>>();

  private borrowFact(node: TSESTree.Node, field: string, compute: () => number): number {
    let facts = this.borrowFacts.get(node);
    if (!facts) this.borrowFacts.set(node, (facts = new Map<string, number>()));
    let fact = facts.get(field);
    if (fact === undefined) facts.set(field, (fact = compute()));
    return fact;
  }

  /** Where the first `role` call on the class or on `field` in `root` ends (Infinity: none). */
  private firstCallEnd(root: TSESTree.Node, field: string, role: Role): number {
    let end = Infinity;
    walk(
      root,
      this.visitorKeys,
      candidate => {
        if (candidate.range[1] < end && this.isCallWith(role, field, candidate)) end = candidate.range[1];
      },
      OWN_CODE,
    );
    return end;
  }

  /** The `using` / `await using` declarations of a statement list, in order (each list scanned once). */
  private readonly usings = new Map<TSESTree.Node, readonly TSESTree.VariableDeclaration[]>();

  private usingDeclarations(parent: TSESTree.Node): readonly TSESTree.VariableDeclaration[] {
    let found = this.usings.get(parent);
    if (!found) {
      found = (statementList(parent) ?? []).filter(
        (statement): statement is TSESTree.VariableDeclaration =>
          statement.type === AST_NODE_TYPES.VariableDeclaration && statement.kind.includes('using'),
      );
      this.usings.set(parent, found);
    }
    return found;
  }

  /** A call of the `role` member of the class (`this.addRef()`) or of `field`'s owner (`this.dev.addRef()`). */
  private isCallWith(role: Role, field: string, candidate: TSESTree.Node): boolean {
    if (candidate.type !== AST_NODE_TYPES.CallExpression) return false;
    const callee = skipWrappers(candidate.callee);
    if (callee.type !== AST_NODE_TYPES.MemberExpression) return false;
    const name = memberNameOf(callee);
    const target = skipWrappers(callee.object);
    if (target.type === AST_NODE_TYPES.ThisExpression)
      return this.info.classOwner !== undefined && this.services.model.hasRole(this.info.classOwner, role, name);
    const fieldOwner = this.info.fields.get(field);
    return fieldOwner !== undefined && this.resourceField(target) === field && this.services.model.hasRole(fieldOwner, role, name);
  }
}
