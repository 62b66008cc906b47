export * as runtime from "./runtime/index.js";
