import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { freeSlug, getKnowledgeDocument, insertKnowledgeDocument, recordSync, type KnowledgeInput, type KnowledgeSource } from '../../db/queries/knowledge-admin.js';
import { AppError, notFound } from '../../errors.js';
import { queueIngestion } from '../../jobs/knowledge-ingestion.js';
import { extractFile, extractHtml, IMPORT_EXTENSIONS } from '../../knowledge/extract.js';
import { fetchPage } from '../../knowledge/fetch-page.js';
import { requireRole } from '../plugins/auth.js';
import { errorResponses, errorSchema, uuidParam } from '../schemas.js';

// Beyond the usual errors: a file or page of another type (415), a page that could not be fetched (502).
const importErrors = { ...errorResponses, 415: errorSchema, 502: errorSchema };
import { documentSchema, SLUG, slugify, slugTaken, toDocument } from './knowledge.js';

const MAX_FILE_BYTES = 10 * 1024 * 1024;

const importFields = z.object({
  category: z.string().trim().min(2).max(60),
  title: z.string().trim().min(2).max(200).optional().describe('Default: the heading or title the file or page has, else its name'),
  slug: z.string().trim().min(2).max(120).regex(SLUG, 'must be lowercase words joined by dashes').optional().describe('Default: from the title, numbered when taken'),
  is_active: z.boolean().default(true),
});

const importResult = z.object({
  document: documentSchema,
  extracted: z.object({ format: z.enum(['markdown', 'html', 'text', 'pdf']), characters: z.number() }),
});

/** Importing knowledge (admin): files (.md, .html, .txt, .pdf) and web pages, and re-syncing a page. */
const knowledgeImportRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, jobs } = app.deps;

  /** Stores an extracted article as a new document and queues its ingestion. */
  async function store(fields: z.output<typeof importFields>, article: { title: string; markdown: string }, source: KnowledgeSource) {
    const title = (fields.title ?? article.title).slice(0, 200);
    const slug = fields.slug ?? (await freeSlug(db, slugify(title)));
    const input: KnowledgeInput = { slug, title, category: fields.category, content: article.markdown.slice(0, 200_000), isActive: fields.is_active };
    const doc = await insertKnowledgeDocument(db, input, source);
    if (!doc) throw slugTaken(slug);
    await queueIngestion(jobs, doc.id);
    return doc;
  }

  app.post(
    '/knowledge/import',
    {
      bodyLimit: Math.ceil((MAX_FILE_BYTES * 4) / 3) + 64 * 1024,
      schema: {
        tags: ['knowledge'],
        summary: `Import a file as a document (admin): ${IMPORT_EXTENSIONS.join(', ')}; its text becomes the document's markdown`,
        body: importFields.extend({
          filename: z.string().trim().min(1).max(255),
          content_base64: z.base64().min(1).describe('The file, base64-encoded (at most 10 MB)'),
        }),
        response: { 201: importResult, ...importErrors },
      },
    },
    async (request, reply) => {
      requireRole(request, 'admin');
      const bytes = Buffer.from(request.body.content_base64, 'base64');
      if (bytes.byteLength > MAX_FILE_BYTES) throw new AppError('import_too_large', 413, 'A file of at most 10 MB can be imported');
      const article = await extractFile(request.body.filename, bytes);
      const doc = await store(request.body, article, { sourceType: 'file', sourceName: request.body.filename });
      return reply.status(201).send({ document: toDocument(doc), extracted: { format: article.format, characters: article.markdown.length } });
    },
  );

  app.post(
    '/knowledge/import-url',
    {
      schema: {
        tags: ['knowledge'],
        summary: "Import a web page as a document (admin): its readable content (Mozilla Readability), re-syncable from the page's address",
        body: importFields.extend({ url: z.url({ protocol: /^https?$/ }).max(2000) }),
        response: { 201: importResult, ...importErrors },
      },
    },
    async (request, reply) => {
      requireRole(request, 'admin');
      const page = await fetchPage(request.body.url);
      const article = extractHtml(page.html);
      if (article.markdown.length < 10) throw new AppError('import_empty', 422, `No readable text was found at ${request.body.url}`);
      const doc = await store(request.body, { title: article.title ?? request.body.url, markdown: article.markdown }, { sourceType: 'url', sourceName: page.url, sourceUrl: request.body.url });
      return reply.status(201).send({ document: toDocument(doc), extracted: { format: 'html' as const, characters: article.markdown.length } });
    },
  );

  app.post(
    '/knowledge/:id/sync',
    {
      schema: {
        tags: ['knowledge'],
        summary: 'Fetch an imported page again (admin); changed content is re-ingested, embedding only the passages that changed',
        params: uuidParam,
        response: { 200: z.object({ changed: z.boolean(), document: documentSchema }), ...importErrors },
      },
    },
    async (request) => {
      requireRole(request, 'admin');
      const existing = await getKnowledgeDocument(db, request.params.id);
      if (!existing) throw notFound('knowledge_document');
      if (!existing.sourceUrl) throw new AppError('knowledge_no_source', 409, 'This document was not imported from a web page, so there is nothing to re-sync');
      const page = await fetchPage(existing.sourceUrl);
      const { markdown } = extractHtml(page.html);
      if (markdown.length < 10) throw new AppError('import_empty', 422, `No readable text was found at ${existing.sourceUrl}`);
      const changed = markdown !== existing.content;
      const doc = await recordSync(db, existing.id, changed ? markdown : null);
      if (!doc) throw notFound('knowledge_document');
      if (changed) await queueIngestion(jobs, doc.id);
      return { changed, document: toDocument({ ...doc, chunkCount: existing.chunkCount }) };
    },
  );
};

export default knowledgeImportRoutes;
