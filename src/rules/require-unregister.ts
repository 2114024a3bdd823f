import { getNativeHandleServices } from '../model/index.js';
import { createRule } from '../util/createRule.js';

export type MessageIds = 'hazard';

export default createRule<[], MessageIds>({
  name: 'require-unregister',
  meta: {
    type: 'problem',
    docs: {
      description: 'Require registrations that keep a handle alive or release it later to be undone on close',
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
