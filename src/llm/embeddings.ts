import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { EmbeddingModelV3, SharedV3ProviderOptions } from '@ai-sdk/provider';
import { embedMany } from 'ai';
import type { Config } from '../config.js';
import { createLocalEmbedder } from './offline/embedder.js';

/** Turns passages and queries into vectors of the configured dimensions. */
export interface Embedder {
  readonly modelId: string;
  readonly dimensions: number;
  embed(texts: string[]): Promise<number[][]>;
}

/** Cosine similarity of two vectors (0 when either is all zeros). */
export function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
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

/**
 * A provider's embedding model through the AI SDK (e.g. text-embedding-3-small), asked for the
 * configured dimensions. Vectors of another size are refused rather than stored.
 */
export function providerEmbedder(model: EmbeddingModelV3, dimensions: number, providerOptions: SharedV3ProviderOptions, maxRetries = 2): Embedder {
  return {
    modelId: model.modelId,
    dimensions,
    async embed(texts) {
      if (texts.length === 0) return [];
      const { embeddings } = await embedMany({ model, values: texts, providerOptions, maxRetries });
      const wrong = embeddings.find((e) => e.length !== dimensions);
      if (wrong) throw new Error(`${model.modelId} returned ${wrong.length}-dimensional vectors; EMBEDDING_DIMENSIONS is ${dimensions}`);
      return embeddings;
    },
  };
}

/** The embedder EMBEDDING_PROVIDER names: `local`, or OpenAI / an OpenAI-compatible server (LLM_BASE_URL, LLM_API_KEY). */
export function createEmbedder(config: Config): Embedder {
  const dimensions = config.EMBEDDING_DIMENSIONS;
  switch (config.EMBEDDING_PROVIDER) {
    case 'local':
      return localEmbedder(dimensions);
    case 'openai':
      return providerEmbedder(
        createOpenAI({ apiKey: config.LLM_API_KEY, baseURL: config.LLM_BASE_URL }).embedding(config.EMBEDDING_MODEL!),
        dimensions,
        { openai: { dimensions } },
        config.LLM_MAX_RETRIES,
      );
    case 'openai-compatible':
      if (!config.LLM_BASE_URL) throw new Error('EMBEDDING_PROVIDER=openai-compatible needs LLM_BASE_URL');
      return providerEmbedder(
        createOpenAICompatible({ name: 'embeddings', baseURL: config.LLM_BASE_URL, apiKey: config.LLM_API_KEY }).embeddingModel(config.EMBEDDING_MODEL!),
        dimensions,
        { openaiCompatible: { dimensions } },
        config.LLM_MAX_RETRIES,
      );
  }
}
