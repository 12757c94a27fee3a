/**
 * The model catalog's row type. The catalog itself is data/models.csv (see its loader in
 * src/core/catalog-load.ts); simulated models are the catalog's models with a `sim/` prefix.
 */
export interface SamplingPreset {
  temperature?: number;
  top_p?: number;
  top_k?: number;
  min_p?: number;
  repetition_penalty?: number;
  presence_penalty?: number;
}

export interface ModelInfo {
  /** Short stable id, e.g. 'qwen2.5-7b-instruct'. */
  id: string;
  /** 'Qwen' or 'Llama'. */
  family: string;
  /** Generation label as plotted, e.g. 'Qwen2.5', 'Llama-3.1'. */
  generation: string;
  /** Ordinal of the generation within its family (1 = earliest), for trend plots. */
  generation_rank: number;
  params_b: number;
  active_params_b: number;
  is_moe: boolean;
  release_date: string;
  hf_id: string;
  context_length: number;
  /** Supports a thinking mode (Qwen3 hybrid models). */
  thinking: boolean;
  /** The sampling settings the model card recommends (what the paper says it used). */
  sampling: SamplingPreset;
  /** Where each fact comes from (the model card URL or config file). */
  source: string;
  /** True for models believed to be among the paper's 41 (inferred; see the notes). */
  in_paper_scope: boolean;
}
