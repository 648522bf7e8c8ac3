import { parseArgs } from 'node:util';
import { autopilot } from './autopilot.js';
import { startFakeOpenAI } from './server.js';

// Runs the fake OpenAI-compatible server on its own, answering with the autopilot:
//   npx tsx test/fake-openai/cli.ts --port 4010 --tokens-per-second 40
// then: LLM_PROVIDER=openai-compatible LLM_BASE_URL=http://127.0.0.1:4010/v1 LLM_MODEL=fake npm start

const { values } = parseArgs({ options: { port: { type: 'string', default: '4010' }, 'tokens-per-second': { type: 'string', default: '0' } } });
const fake = await startFakeOpenAI({ port: Number(values.port), tokensPerSecond: Number(values['tokens-per-second']), defaultStep: autopilot });
console.log(`fake OpenAI-compatible server at ${fake.url} (autopilot, ${values['tokens-per-second']} tokens/s)`);
const stop = () => void fake.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
