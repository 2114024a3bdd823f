import { getNativeHandleServices } from '../model/index.js';
import { createRule } from '../util/createRule.js';

export type MessageIds = 'hazard';

export default createRule<[], MessageIds>({
  name: 'no-handle-adoption',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow a second owner adopting or cloning a borrowed raw handle',
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
