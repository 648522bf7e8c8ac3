import { loadConfig } from '../config.js';
import { localEmbedder } from '../llm/embeddings.js';
import { openDatabase } from '../db/client.js';
import { seedDemo } from './seed.js';

/** `npm run seed:demo`: loads the demo company into the configured database (production never does on its own). */
const config = loadConfig();
const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
await database.migrate();
const result = await seedDemo(database.db, localEmbedder(config.EMBEDDING_DIMENSIONS));
console.log(result ? `demo company loaded: ${result.customers} customers, ${result.documents} articles` : 'demo company already present');
await database.close();
