import { ESLintUtils } from '@typescript-eslint/utils';
import { NO_NODE_TYPES, NO_NODE_TYPES_MESSAGE } from '../model/noNodeTypes.js';
import { NativeHandleSettingsError } from '../model/settings.js';
import { onInvalidSettings } from '../model/settingsReport.js';
import { repositoryUrl } from '../util/packageInfo.js';

export interface NativeHandleRuleDocs {
  /** Whether the rule is part of `configs.recommended`. */
  recommended?: boolean;
  /** The rule's strictest options: `configs.strict` and `configs.all` run it with these (default options when absent). */
  strictOptions?: readonly unknown[];
  /** Every rule of this plugin needs type information. */
  requiresTypeChecking: true;
}

const ruleCreator = ESLintUtils.RuleCreator<NativeHandleRuleDocs>(name => `${repositoryUrl}/blob/main/docs/rules/${name}.md`);

/**
 * typescript-eslint's `RuleCreator`, with two additions:
 * - {@link NO_NODE_TYPES} is added to every rule's messages;
 * - a rule whose `create` finds `settings['native-handle']` invalid hands the error to
 *   {@link onInvalidSettings} (a message and exit code 2 in the `eslint` command, one diagnostic
 *   on the file elsewhere) instead of letting it escape as a crash of whichever rule ran first.
 */
export function createRule<Options extends readonly unknown[], MessageIds extends string>(
  rule: Readonly<ESLintUtils.RuleWithMetaAndName<Options, MessageIds, NativeHandleRuleDocs>>,
): ReturnType<typeof ruleCreator<Options, MessageIds>> {
  return ruleCreator<Options, MessageIds>({
    ...rule,
    meta: { ...rule.meta, messages: { ...rule.meta.messages, [NO_NODE_TYPES]: NO_NODE_TYPES_MESSAGE } },
    create(context, options) {
      try {
        return rule.create(context, options);
      } catch (error) {
        if (error instanceof NativeHandleSettingsError) return onInvalidSettings(context, error);
        throw error;
      }
    },
  });
}
