/**
 * The torch 2.6 catalogue (vectors/torch-2.6): the torch 1.13 catalogue with the same seed, so every @1 op draws
 * the very requests of vectors/torch-1.13 and the two sets compare case by case, except HistogramObserver, which
 * torch 2.x changed: histogram_observer@2 in place of @1.
 */
import { CATALOG, DEFAULT_SEED } from './catalog.js';
import { histogramObserverV2Case } from './histogram_cases.js';

export const TORCH26_SEED = DEFAULT_SEED;
/** Bump when the torch 2.6 catalogue's draws change. */
export const TORCH26_GENERATOR_VERSION = 1;

export const TORCH26_CATALOG = CATALOG.map((entry) => (entry.op === 'histogram_observer@1' ? { ...entry, op: 'histogram_observer@2' as const, factory: histogramObserverV2Case } : entry));
