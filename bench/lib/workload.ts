/**
 * What the benchmark customers say and how fast the fake model answers: shared by the chat-turn,
 * streaming, round-trip and cost benchmarks so their figures describe the same turns.
 */
import type { ModelSpeed } from './fake-model.js';
import { marker } from './model-time.js';

/**
 * FAQ questions (each routed to the FAQ agent, which searches the knowledge base once and answers
 * with a citation): a typical turn of router + agent + tool + answer, three model calls.
 */
export const FAQ_QUESTIONS = [
  'How long does shipping take to Canada?',
  'What is the return policy for hardware?',
  'Which payment methods do you accept?',
  'How do I set up single sign-on with SAML?',
  'What are the API rate limits?',
  'Is customer data encrypted at rest?',
  'How does the free trial work?',
  'How do I reset a forgotten password?',
] as const;

/** Customer message number `turn`: an FAQ question carrying the turn's marker. */
export function faqMessage(turn: number): string {
  return `${FAQ_QUESTIONS[turn % FAQ_QUESTIONS.length]} ${marker(turn)}`;
}

const num = (v: string | undefined, fallback: number) => (v !== undefined && v !== '' && Number.isFinite(Number(v)) ? Number(v) : fallback);

/**
 * The fake model's speed, close to a hosted small model (gpt-4o-mini: a few hundred ms to the first
 * token, 60–100 tokens/s); BENCH_MODEL_LATENCY_MS and BENCH_MODEL_TOKENS_PER_SECOND change it.
 */
export function modelSpeed(env: NodeJS.ProcessEnv = process.env): ModelSpeed {
  return { latencyMs: num(env.BENCH_MODEL_LATENCY_MS, 250), tokensPerSecond: num(env.BENCH_MODEL_TOKENS_PER_SECOND, 80) };
}
