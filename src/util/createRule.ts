import { ESLintUtils } from '@typescript-eslint/utils';
import { repositoryUrl } from './packageInfo.js';

export interface NativeHandleRuleDocs {
  /** Whether the rule is part of `configs.recommended`. */
  recommended?: boolean;
  /** The rule's strictest options: `configs.strict` and `configs.all` run it with these (default options when absent). */
  strictOptions?: readonly unknown[];
  /** Every rule of this plugin needs type information. */
  requiresTypeChecking: true;
}

export const createRule = ESLintUtils.RuleCreator<NativeHandleRuleDocs>(
  name => `${repositoryUrl}/blob/main/docs/rules/${name}.md`,
);
