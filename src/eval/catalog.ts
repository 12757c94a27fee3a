/**
 * The model catalog as the runner sees it: the entry (and so the sampling preset its model
 * card recommends) for a served name or the HF id the server reports as `root`.
 */
import type { ModelInfo, SamplingPreset } from '../core/catalog.js';
import { findModel, type CatalogModel } from '../core/catalog-load.js';

export interface CatalogMatch {
  model: ModelInfo | undefined;
  /** Why no preset could be looked up (catalog missing or invalid), for a warning. */
  warning: string | null;
}

export function lookupModel(names: ReadonlyArray<string | null | undefined>): CatalogMatch {
  try {
    for (const n of names) {
      if (!n) continue;
      const m = findModel(n);
      if (m) return { model: m, warning: null };
    }
    return { model: undefined, warning: null };
  } catch (e) {
    return { model: undefined, warning: `model catalog not used: ${(e as Error).message}` };
  }
}

/**
 * The preset for a run: hybrid thinking models (Qwen3) recommend different sampling with
 * thinking off, so chat_template_kwargs.enable_thinking=false picks the non-thinking preset.
 */
export function presetFor(model: ModelInfo | undefined, chatTemplateKwargs: Record<string, unknown> | undefined): SamplingPreset | undefined {
  if (!model) return undefined;
  const nothink = (model as CatalogModel).sampling_nothink;
  if (chatTemplateKwargs?.enable_thinking === false && nothink) return nothink;
  return model.sampling;
}
