import ts from '../util/typescript.cjs';
import type { Role } from './settings.js';

/** JSDoc tags that give a member a role (docs/resource-model.md#where-owner-types-come-from). */
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

// Tags are read through the symbol (`symbol.getJsDocTags(checker)`), never from the syntax tree
// (`ts.getJSDocTags(node)`): on typescript-eslint's tsgo backend the nodes are views of
// TypeScript 7's native nodes whose JSDoc this plugin's `ts` cannot read, while the symbol API
// works on both backends. The answer is the tags of all the symbol's declarations; a member
// with no tags of its own reports those of the member it overrides or implements (TypeScript's
// JSDoc inheritance; the checker argument also keeps the symbol's cached answer the one other
// callers get).

/** The names of the JSDoc tags of a symbol (`close` for `@close`). */
export function tagNamesOf(symbol: ts.Symbol, checker: ts.TypeChecker): string[] {
  return symbol.getJsDocTags(checker).map(tag => tag.name);
}

/** Whether the symbol (any of its declarations) carries the JSDoc tag `@<tag>`. */
export function symbolHasTag(symbol: ts.Symbol | undefined, tag: string, checker: ts.TypeChecker): boolean {
  return symbol !== undefined && symbol.getJsDocTags(checker).some(info => info.name === tag);
}

/** The symbol a named declaration declares (a class member, a property, a function), if any. */
export function declaredSymbol(declaration: ts.Node, checker: ts.TypeChecker): ts.Symbol | undefined {
  const name = ts.getNameOfDeclaration(declaration as ts.Declaration);
  return name ? checker.getSymbolAtLocation(name) : undefined;
}

/** Whether the symbol a declaration declares carries the JSDoc tag `@<tag>`. */
export function declarationHasTag(declaration: ts.Node, tag: string, checker: ts.TypeChecker): boolean {
  return symbolHasTag(declaredSymbol(declaration, checker), tag, checker);
}

/** The roles a member's JSDoc tags give it. */
export function rolesFromTags(symbol: ts.Symbol, checker: ts.TypeChecker): Role[] {
  const roles: Role[] = [];
  for (const name of tagNamesOf(symbol, checker)) {
    const role = ROLE_TAGS[name];
    if (role !== undefined && !roles.includes(role)) roles.push(role);
  }
  return roles;
}

/**
 * Whether a class symbol's constructor carries the tag (`@adoptsHandle` may sit on the
 * constructor rather than on the class: `new Wrapper(fd)` names the class).
 */
export function constructorHasTag(symbol: ts.Symbol, tag: string, checker: ts.TypeChecker): boolean {
  return symbolHasTag(symbol.members?.get(ts.InternalSymbolName.Constructor), tag, checker);
}

/**
 * Per source file, the words that follow an `@` in its text (`param`, `close`, `closesHandle` …).
 * Read once per file, in one pass: the programs of one project service share the source files
 * they have in common (the lib, `@types/node`, every unchanged file), so another program (another
 * project, or the same one after an edit) reads only its new files.
 */
const atWordsByFile = new WeakMap<ts.SourceFile, ReadonlySet<string>>();
const AT_WORD = /@([\w$-]+)/g;

function atWordsOf(file: ts.SourceFile): ReadonlySet<string> {
  let words = atWordsByFile.get(file);
  if (!words) {
    const found = new Set<string>();
    for (const match of file.text.matchAll(AT_WORD)) found.add(match[1]!);
    words = found;
    atWordsByFile.set(file, words);
  }
  return words;
}

/** Whether the text `@<tag>` occurs in the file, also as the start of a longer word (see {@link atWordsByFile}). */
export function fileMentionsTag(file: ts.SourceFile, tag: string): boolean {
  for (const word of atWordsOf(file)) if (word.startsWith(tag)) return true;
  return false;
}

/**
 * The declarations of a source file that a JSDoc tag may be on: for each place where the text
 * `@<tag>` (not followed by a name character) stands in a `/** … *\/` comment that leads a node, the
 * outermost node whose comments those are. Only the nodes around such a place are walked, with
 * the nodes' own `forEachChild` (the native walker on the tsgo backend). Whether the tag is
 * really a JSDoc tag of the declaration is for the caller to ask of its symbol.
 */
export function nodesWithTagText(file: ts.SourceFile, tag: string): ts.Node[] {
  if (!fileMentionsTag(file, tag)) return [];
  const text = file.text;
  const pattern = new RegExp(`@${tag}(?![\\w-])`, 'g');
  const places: number[] = [];
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    // Only inside a `/** … */` comment (not a `//` or `/* … */` one).
    if (text.lastIndexOf('/**', match.index) > text.lastIndexOf('*/', match.index)) places.push(match.index);
  }
  if (places.length === 0) return [];
  const found: ts.Node[] = [];
  const visit = (node: ts.Node, within: readonly number[]): void => {
    const inside = within.filter(place => place >= node.pos && place < node.end);
    if (inside.length === 0) return;
    const start = node.getStart(file);
    if (inside.some(place => place < start)) found.push(node);
    const later = inside.filter(place => place >= start);
    if (later.length > 0) {
      node.forEachChild(child => {
        visit(child, later);
      });
    }
  };
  file.forEachChild(child => {
    visit(child, places);
  });
  return found;
}
