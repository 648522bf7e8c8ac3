import { z } from 'zod';
import { documentsIndexedOtherwise } from '../db/queries/knowledge.js';
import { getKnowledgeDocument, markAllPending, setIngestStatus } from '../db/queries/knowledge-admin.js';
import { embedDocument, passageVersion } from '../knowledge/ingest.js';
import { defineJob, type JobDeps, type JobRunner } from './job.js';

/**
 * Knowledge ingestion: chunk a document and embed its passages (after every write), or re-embed the
 * whole knowledge base (after the embedding model changes). The processor always reads the
 * document's latest content, so an older job finishing late cannot store stale passages.
 */
export const knowledgeIngestion = defineJob({
  queue: 'knowledge-ingestion',
  payload: z.discriminatedUnion('kind', [z.object({ kind: z.literal('ingest'), document_id: z.uuid() }), z.object({ kind: z.literal('reembed_all') }), z.object({ kind: z.literal('reembed_stale') })]),
  // Embedding providers fail transiently (rate limits, timeouts): retry patiently.
  retry: { attempts: 5, backoffMs: 2000 },
  async process(payload, ctx) {
    const { db, embedder } = ctx.deps;
    if (payload.kind === 'reembed_all') {
      const ids = await markAllPending(db);
      for (const id of ids) await ingestOne(id, ctx);
      return { documents: ids.length };
    }
    if (payload.kind === 'reembed_stale') {
      // Read when the job runs: what another process's sweep already re-made is not done again.
      const ids = await documentsIndexedOtherwise(db, passageVersion(embedder));
      for (const id of ids) await ingestOne(id, ctx);
      return { documents: ids.length };
    }
    return ingestOne(payload.document_id, ctx);

    async function ingestOne(id: string, c: typeof ctx): Promise<{ chunks: number; embedded: number } | { skipped: 'deleted' }> {
      const doc = await getKnowledgeDocument(db, id);
      if (!doc) return { skipped: 'deleted' };
      try {
        // A re-embedding sweep embeds every passage; a write embeds only the passages it changed.
        const { chunks, embedded } = await embedDocument(db, embedder, doc, { all: payload.kind !== 'ingest' });
        await setIngestStatus(db, doc.id, 'ready', null, embedded);
        c.deps.log.info({ document_id: doc.id, chunks, embedded }, 'knowledge document ingested');
        return { chunks, embedded };
      } catch (err) {
        if (c.attempt >= c.maxAttempts) await setIngestStatus(db, doc.id, 'failed', (err as Error).message.slice(0, 500));
        throw err;
      }
    }
  },
});

/**
 * At start: when passages made by another embedder or chunking recipe are stored (an upgrade that
 * changed either, or rows from before versions were kept), queues one sweep that re-makes them. The
 * job id names the version, so many processes starting at once queue one sweep (BullMQ). Returns
 * how many documents are due.
 */
export async function queueStaleReindex(jobs: JobRunner, db: JobDeps['db'], embedder: JobDeps['embedder']): Promise<number> {
  const version = passageVersion(embedder);
  const stale = await documentsIndexedOtherwise(db, version);
  if (stale.length) await jobs.enqueue(knowledgeIngestion, { kind: 'reembed_stale' }, { jobId: `reindex-${version.replace(/[^A-Za-z0-9_-]/g, '-')}` });
  return stale.length;
}

/** Queues (re)ingestion of one document (each write queues its own job; the last one to run wins). */
export function queueIngestion(jobs: JobRunner, documentId: string): Promise<string> {
  return jobs.enqueue(knowledgeIngestion, { kind: 'ingest', document_id: documentId });
}
