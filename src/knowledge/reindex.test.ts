import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createSiblingApp, createTestApp } from '../../test/app.js';
import { queryRows } from '../db/client.js';
import { passageVersion } from './ingest.js';

// An upgrade that changes the embedder (the local embedder's v1 → v2) or the chunking leaves passages
// whose vectors no query of the new release is comparable with. The next start re-makes those, and
// only those, in a background job.
describe.each(['pglite', 'postgres'] as const)('passages made by another embedder or chunking (%s)', (driver) => {
  it('are re-made at the next start, and the others are left as they are', async () => {
    const t = await createTestApp(driver);
    try {
      const version = passageVersion(t.deps.embedder);
      const passages = (documentId: string) =>
        queryRows<{ id: string; indexed_with: string | null; heading: string; content: string; embedding: string }>(
          t.deps.db,
          sql`SELECT id, indexed_with, heading, content, embedding::text AS embedding FROM knowledge_chunks WHERE document_id = ${documentId} ORDER BY chunk_index`,
        );
      const [old, kept] = await queryRows<{ id: string }>(t.deps.db, sql`SELECT id FROM knowledge_documents ORDER BY slug LIMIT 2`);
      const fresh = await passages(old!.id);
      expect(fresh.length).toBeGreaterThan(0);
      expect(fresh.every((p) => p.indexed_with === version)).toBe(true);
      const untouched = await passages(kept!.id);

      // One article as an older release stored it: no version, and vectors that are not this embedder's.
      await t.deps.db.execute(sql`UPDATE knowledge_chunks SET indexed_with = NULL,
        embedding = (SELECT embedding FROM knowledge_chunks WHERE document_id = ${kept!.id} ORDER BY chunk_index LIMIT 1)
        WHERE document_id = ${old!.id}`);
      expect((await passages(old!.id)).map((p) => p.embedding)).not.toEqual(fresh.map((p) => p.embedding));

      // The next process to start (the same createDeps) queues the sweep; its job runner does it.
      const next = await createSiblingApp(t);
      try {
        await next.deps.jobs.startWorkers();
        const made = (rows: Awaited<ReturnType<typeof passages>>) => rows.map(({ indexed_with, heading, content, embedding }) => ({ indexed_with, heading, content, embedding }));
        await expect.poll(async () => made(await passages(old!.id))).toEqual(made(fresh));
        // The article that was current keeps its very rows (ids), so its vectors were not recomputed.
        expect(await passages(kept!.id)).toEqual(untouched);
        const left = await queryRows<{ n: number }>(t.deps.db, sql`SELECT count(*)::int AS n FROM knowledge_chunks WHERE indexed_with IS DISTINCT FROM ${version}`);
        expect(left[0]!.n).toBe(0);
      } finally {
        await next.close();
      }
    } finally {
      await t.close();
    }
  });
});
