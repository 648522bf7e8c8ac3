import { loadConfig } from '../config.js';
import { ensureEmbeddingDimensions, openDatabase } from './client.js';

/** `npm run migrate`: applies pending migrations to the configured database. */
const config = loadConfig();
const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
const applied = await database.migrate();
const retyped = await ensureEmbeddingDimensions(database.db, config.EMBEDDING_DIMENSIONS);
console.log(
  `${applied} migration(s) applied (${database.driver})${retyped ? `; embedding column now vector(${config.EMBEDDING_DIMENSIONS}), re-embed with npm run seed:demo or the knowledge API` : ''}`,
);
await database.close();
