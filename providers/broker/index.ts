/** Broker (Formidling): the service owner and per-resource settings. Type tokens use the module `broker`. */
export { BrokerServiceOwner, type BrokerServiceOwnerArgs } from "./serviceOwner/resource.js";
export { BrokerResourceSettings, type BrokerResourceSettingsArgs } from "./resourceSettings/resource.js";
export { serviceOwnerRules } from "./serviceOwner/inputs.js";
export { resourceSettingsRules } from "./resourceSettings/inputs.js";
