import { ESLintUtils } from '@typescript-eslint/utils';
import { repositoryUrl } from './packageInfo.js';

export interface NativeHandleRuleDocs {
  /** Whether the rule is part of `configs.recommended`. */
  recommended?: boolean;
  /** Every rule of this plugin needs type information. */
  requiresTypeChecking: true;
}

/**
 * The message every rule may report once per program that has no Node types
 * (src/model/index.ts): whichever rule runs first in the file reports it.
 */
export const NO_NODE_TYPES = 'noNodeTypes';

export const NO_NODE_TYPES_MESSAGE =
  'No Node.js types in this program ({{project}}): native-handle cannot recognise FileHandle, net.Socket, process or any other built-in, so it checks only your own tagged or configured types. ' +
  'Install them with `npm i -D @types/node` and list them in that tsconfig: "compilerOptions": { "types": ["node"] } (TypeScript 6 no longer loads @types packages by itself). ' +
  'Reported once per program, on the first file linted.';

const ruleCreator = ESLintUtils.RuleCreator<NativeHandleRuleDocs>(name => `${repositoryUrl}/blob/main/docs/rules/${name}.md`);

/** typescript-eslint's RuleCreator, with {@link NO_NODE_TYPES} added to every rule's messages. */
export const createRule: typeof ruleCreator = rule =>
  ruleCreator({ ...rule, meta: { ...rule.meta, messages: { ...rule.meta.messages, [NO_NODE_TYPES]: NO_NODE_TYPES_MESSAGE } } });
