import { ESLintUtils } from '@typescript-eslint/utils';
import { repositoryUrl } from './packageInfo.js';

export interface NativeHandleRuleDocs {
  /** Whether the rule is part of `configs.recommended`. */
  recommended?: boolean;
  /** Every rule of this plugin needs type information. */
  requiresTypeChecking: true;
}

export const createRule = ESLintUtils.RuleCreator<NativeHandleRuleDocs>(
  name => `${repositoryUrl}/blob/main/docs/rules/${name}.md`,
);
