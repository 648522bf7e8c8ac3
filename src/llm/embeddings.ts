import { createLocalEmbedder } from './offline/embedder.js';

/** Turns passages and queries into vectors of the configured dimensions. */
export interface Embedder {
  readonly modelId: string;
  readonly dimensions: number;
  embed(texts: string[]): Promise<number[][]>;
}

/** The offline embedder: hashed n-gram features, deterministic, no downloads. */
export function localEmbedder(dimensions: number): Embedder {
  const local = createLocalEmbedder(dimensions);
  return {
    modelId: local.modelId,
    dimensions,
    embed: async (texts) => local.embedMany(texts),
  };
}
