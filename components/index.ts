/** Onboarding stories as ComponentResources, one per file, built from the manifest by the program (index.ts). */
export { ApiProvider, type ApiProviderArgs } from "./apiProvider";
export { Consumer, type ConsumerArgs } from "./consumer";
export { CorrespondenceServiceOwner, type CorrespondenceServiceOwnerArgs, type CorrespondenceSummary } from "./correspondenceServiceOwner";
export { BrokerService, type BrokerServiceArgs, type BrokerSummary } from "./brokerService";
export { EndUserSystem, type EndUserSystemArgs, type EndUserSystemSummary, type CustomerSummary } from "./endUserSystem";
export type { ClientSummary, StoryContext, SubscriptionSummary } from "./shared";
