/** Onboarding stories as ComponentResources, built from the manifest by the program (index.ts). */
export { MaskinportenOnboarding, type MaskinportenOnboardingArgs, type ClientSummary } from "./maskinporten";
