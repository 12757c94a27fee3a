/**
 * masa's simulator: a vLLM-compatible OpenAI server of synthetic models (`masa sim`).
 * Start one in-process with startSimulator(); profiles (abilities) are described in profile.ts.
 */
export { startSimulator, parseRateLimit, simModels, SIM_MODEL_PREFIX, DEFAULT_KV_CACHE_TOKENS } from './server.js';
export { PrefixCache, chatTokens } from './prefix-cache.js';
export type { PrefixCacheOptions, PrefixCacheStats } from './prefix-cache.js';
export type { SimulatorOptions, SimulatorHandle, SimulatorStats, RateLimit } from './server.js';
export { loadProfile, parseProfile, abilityOf, BUILTIN_PROFILES } from './profile.js';
export type { Profile, Curve, BenchAdjust, GroupName } from './profile.js';
export { buildIndex, ItemIndex, itemDifficulty } from './item-index.js';
export type { IndexEntry, Recognised, BenchIndexStats } from './item-index.js';
export { EMULATED_VLLM_VERSION } from './api.js';
export { CHARS_PER_TOKEN, countTokens, promptTokens } from './tokens.js';
