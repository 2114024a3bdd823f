import { getNativeHandleServices } from '../model/index.js';
import { createRule } from '../util/createRule.js';

export type MessageIds = 'hazard';

export default createRule<[], MessageIds>({
  name: 'no-raw-handle-close',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow closing a raw handle that an owner still owns',
      recommended: true,
      requiresTypeChecking: true,
    },
    schema: [],
    defaultOptions: [],
    messages: {
      hazard: 'TODO: say what is wrong and what to do instead.',
    },
  },
  create(context) {
    const services = getNativeHandleServices(context);
    void services;
    return {};
  },
});
