import type { QparamsConfig } from '../contract/ops.js';
import { type ObserverConfig, type QschemeFamily, checkObserverConfig } from '../contract/op_checks.js';

/** An observer configuration after the constructor's checks, with the eps buffer as the observer holds it. */
export interface ResolvedQparamsConfig extends ObserverConfig {
  /** The observer's eps buffer: torch.tensor([eps]) is float32, so fround(eps). */
  readonly epsF: number;
}

/** checkObserverConfig (torch's constructor checks, contract/op_checks.ts) plus the float32 eps. */
export function resolveQparamsConfig(what: string, a: QparamsConfig, family: QschemeFamily): ResolvedQparamsConfig {
  return { ...checkObserverConfig(what, a, family), epsF: Math.fround(a.eps) };
}

/** For a configuration already checked by checkCalculateQparams. */
export function withEps(checked: ObserverConfig, a: QparamsConfig): ResolvedQparamsConfig {
  return { ...checked, epsF: Math.fround(a.eps) };
}
