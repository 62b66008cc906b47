"use strict";
// Every altinn-onboarding dynamic resource passes this very object as its provider. Because this file is
// installed as a real package under node_modules, Pulumi's closure serializer records it by reference:
// the resource's __provider in state is a few hundred bytes that `require("@altinn-onboarding/provider-shell")`.
// Each method loads the installed runtime at call time and dispatches on the resource's `resourceKind`
// property, so read/delete always run the code that is installed now, and the runtime's caches are shared
// by every resource of one deployment. Keep this file free of logic: it changes only with the contract.
const runtime = () => require("@altinn-onboarding/providers/runtime");

module.exports = {
  configure: async (req) => runtime().configure(req.config),
  check: async (olds, news) => runtime().check(olds, news),
  diff: async (id, olds, news) => runtime().diff(id, olds, news),
  create: async (inputs) => runtime().create(inputs),
  read: async (id, props) => runtime().read(id, props),
  update: async (id, olds, news) => runtime().update(id, olds, news),
  delete: async (id, props) => runtime().delete(id, props),
};
