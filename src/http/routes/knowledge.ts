import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  deleteKnowledgeDocument,
  getKnowledgeDocument,
  insertKnowledgeDocument,
  listKnowledgePage,
  slugTakenByOther,
  updateKnowledgeDocument,
  type KnowledgeDocumentWithChunks,
  type KnowledgeInput,
} from '../../db/queries/knowledge-admin.js';
import type { KnowledgeDocument } from '../../db/queries/knowledge.js';
import { AppError, notFound } from '../../errors.js';
import { knowledgeIngestion, queueIngestion } from '../../jobs/knowledge-ingestion.js';
import { requireRole } from '../plugins/auth.js';
import { errorResponses, pageQuery, uuidParam } from '../schemas.js';

const ingestStatus = z.enum(['pending', 'ready', 'failed']);

/** A knowledge document as the API shows it. */
export const documentSchema = z.object({
  id: z.uuid(),
  slug: z.string(),
  title: z.string(),
  category: z.string(),
  content: z.string(),
  is_active: z.boolean(),
  ingest_status: ingestStatus,
  ingest_error: z.string().nullable(),
  ingested_at: z.string().nullable(),
  chunks: z.number().nullable(),
  last_embedded: z.number().nullable().describe('Passages the last ingestion embedded; the unchanged ones kept their embeddings'),
  source_type: z.enum(['manual', 'file', 'url']),
  source_name: z.string().nullable().describe('The imported file name or page address'),
  source_url: z.string().nullable().describe('The page a re-sync fetches again'),
  synced_at: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});

/** What an administrator may call a document: lowercase words joined by dashes. */
export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const documentBody = z.object({
  slug: z.string().trim().min(2).max(120).regex(SLUG, 'must be lowercase words joined by dashes').optional(),
  title: z.string().trim().min(2).max(200),
  category: z.string().trim().min(2).max(60),
  content: z.string().trim().min(10).max(200_000),
  is_active: z.boolean().default(true),
});

/** A slug from a title: "Returns & refunds" → "returns-refunds". */
export function slugify(title: string): string {
  return (
    title
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 120) || 'document'
  );
}

/** A stored document in the API's shape. */
export function toDocument(d: KnowledgeDocument | KnowledgeDocumentWithChunks): z.output<typeof documentSchema> {
  return {
    id: d.id,
    slug: d.slug,
    title: d.title,
    category: d.category,
    content: d.content,
    is_active: d.isActive,
    ingest_status: d.ingestStatus,
    ingest_error: d.ingestError,
    ingested_at: d.ingestedAt ? d.ingestedAt.toISOString() : null,
    chunks: 'chunkCount' in d ? d.chunkCount : null,
    last_embedded: d.lastEmbedded,
    source_type: d.sourceType === 'file' || d.sourceType === 'url' ? d.sourceType : 'manual',
    source_name: d.sourceName,
    source_url: d.sourceUrl,
    synced_at: d.syncedAt ? d.syncedAt.toISOString() : null,
    created_at: d.createdAt.toISOString(),
    updated_at: d.updatedAt.toISOString(),
  };
}

/** 409 for a slug another document has. */
export const slugTaken = (slug: string) => new AppError('knowledge_slug_taken', 409, `Another document already uses the slug "${slug}"`, { field: 'slug' });

/** The knowledge base: staff read it; administrators write it, and every write queues chunking + embedding. */
const knowledgeRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/knowledge',
    {
      schema: {
        tags: ['knowledge'],
        summary: 'Knowledge documents, newest first (staff)',
        querystring: pageQuery.extend({
          category: z.string().max(60).optional(),
          status: ingestStatus.optional(),
          q: z.string().trim().min(1).max(200).optional().describe('Words in the title, slug or text'),
          include_inactive: z
            .enum(['true', 'false'])
            .default('false')
            .transform((v) => v === 'true'),
        }),
        response: { 200: z.object({ items: z.array(documentSchema), next_cursor: z.string().nullable() }), ...errorResponses },
      },
    },
    async (request) => {
      requireRole(request, 'agent', 'admin');
      const q = request.query;
      const page = await listKnowledgePage(app.deps.db, { limit: q.limit, cursor: q.cursor, category: q.category, status: q.status, includeInactive: q.include_inactive, q: q.q });
      return { items: page.items.map(toDocument), next_cursor: page.nextCursor };
    },
  );

  app.get(
    '/knowledge/:id',
    {
      schema: { tags: ['knowledge'], summary: 'One knowledge document with its passage count (staff)', params: uuidParam, response: { 200: documentSchema, ...errorResponses } },
    },
    async (request) => {
      requireRole(request, 'agent', 'admin');
      const doc = await getKnowledgeDocument(app.deps.db, request.params.id);
      if (!doc) throw notFound('knowledge_document');
      return toDocument(doc);
    },
  );

  app.post(
    '/knowledge',
    {
      schema: {
        tags: ['knowledge'],
        summary: 'Add a document (admin); it becomes searchable once its ingestion job has run',
        body: documentBody,
        response: { 201: documentSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      requireRole(request, 'admin');
      const input: KnowledgeInput = { ...request.body, slug: request.body.slug ?? slugify(request.body.title), isActive: request.body.is_active };
      const doc = await insertKnowledgeDocument(app.deps.db, input);
      if (!doc) throw slugTaken(input.slug);
      await queueIngestion(app.deps.jobs, doc.id);
      return reply.status(201).send(toDocument(doc));
    },
  );

  app.put(
    '/knowledge/:id',
    {
      schema: {
        tags: ['knowledge'],
        summary: 'Replace a document (admin); its passages are rebuilt by an ingestion job',
        params: uuidParam,
        body: documentBody,
        response: { 200: documentSchema, ...errorResponses },
      },
    },
    async (request) => {
      requireRole(request, 'admin');
      const existing = await getKnowledgeDocument(app.deps.db, request.params.id);
      if (!existing) throw notFound('knowledge_document');
      const input: KnowledgeInput = { ...request.body, slug: request.body.slug ?? existing.slug, isActive: request.body.is_active };
      if (input.slug !== existing.slug && (await slugTakenByOther(app.deps.db, input.slug, existing.id))) throw slugTaken(input.slug);
      const doc = await updateKnowledgeDocument(app.deps.db, existing.id, input);
      if (!doc) throw notFound('knowledge_document');
      await queueIngestion(app.deps.jobs, doc.id);
      return toDocument(doc);
    },
  );

  app.delete(
    '/knowledge/:id',
    {
      schema: { tags: ['knowledge'], summary: 'Delete a document and its passages (admin)', params: uuidParam, response: { 204: z.null(), ...errorResponses } },
    },
    async (request, reply) => {
      requireRole(request, 'admin');
      if (!(await deleteKnowledgeDocument(app.deps.db, request.params.id))) throw notFound('knowledge_document');
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/knowledge/reembed',
    {
      schema: {
        tags: ['knowledge'],
        summary: 'Re-chunk and re-embed every document (admin), e.g. after changing the embedding model',
        response: { 202: z.object({ job_id: z.string(), status: z.literal('queued') }), ...errorResponses },
      },
    },
    async (request, reply) => {
      requireRole(request, 'admin');
      const jobId = await app.deps.jobs.enqueue(knowledgeIngestion, { kind: 'reembed_all' });
      return reply.status(202).send({ job_id: jobId, status: 'queued' as const });
    },
  );
};

export default knowledgeRoutes;
