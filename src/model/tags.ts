import ts from '../util/typescript.cjs';
import type { Role } from './settings.js';

/** JSDoc tags that give a member a role (spec §2, source 2). */
export const ROLE_TAGS: Readonly<Record<string, Role>> = {
  rawHandle: 'rawHandle',
  addRef: 'addRef',
  release: 'release',
  close: 'close',
  cancel: 'cancel',
  lifetimeGuard: 'guard',
  lease: 'lease',
};

export const OWNER_TAG = 'nativeResource';
export const ADOPTS_TAG = 'adoptsHandle';
export const CLOSES_TAG = 'closesHandle';

/** Whether any declaration of the symbol carries the JSDoc tag `@<tag>`. */
export function symbolHasTag(symbol: ts.Symbol | undefined, tag: string): boolean {
  return symbol?.declarations?.some(declaration => declarationHasTag(declaration, tag)) ?? false;
}

export function declarationHasTag(declaration: ts.Node, tag: string): boolean {
  return ts.getJSDocTags(declaration).some(jsDocTag => jsDocTag.tagName.text === tag);
}

/** The roles a member's JSDoc tags give it. */
export function rolesFromTags(symbol: ts.Symbol): Role[] {
  const roles: Role[] = [];
  for (const declaration of symbol.declarations ?? []) {
    for (const jsDocTag of ts.getJSDocTags(declaration)) {
      const role = ROLE_TAGS[jsDocTag.tagName.text];
      if (role !== undefined && !roles.includes(role)) roles.push(role);
    }
  }
  return roles;
}

/**
 * Whether a class symbol's constructor carries the tag (`@adoptsHandle` may sit on the
 * constructor rather than on the class: `new Wrapper(fd)` names the class).
 */
export function constructorHasTag(symbol: ts.Symbol, tag: string): boolean {
  return symbolHasTag(symbol.members?.get(ts.InternalSymbolName.Constructor), tag);
}
