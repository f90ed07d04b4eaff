import { ConfigError, loadConfig, type Config } from '../config';
import { composeHub } from '../compose-hub';
import { createLogger } from '../logger';
import { DEFAULT_DB_NAME } from '../store/create-stores';
import { databaseFromUrl, redactMongoUrl } from '../store/mongo/connect-mongo';
import { loadSeeds, type SeedResult } from './load-seeds';
import { readSeeds } from './read-seeds';
import { SeedFileError } from './seed-file';
import { seedUrls } from './seed-urls';

export const NEEDS_MONGODB_MESSAGE =
  'tmf688-hub seed: MONGODB_URL is not set. Without it the hub uses the embedded in-memory store, which lives only ' +
  'inside the hub process, so there is nothing to load into from here. Start the hub with HUB_SEED=true ' +
  '(e.g. HUB_SEED=true npm start, or npx tmf688-hub --seed) to load the seeds into it, or set MONGODB_URL ' +
  '(or --mongodb-url) to load them into MongoDB.';

export interface SeedOutput {
  out: (text: string) => void;
  err: (text: string) => void;
}

const STD: SeedOutput = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

/**
 * `npm run seed` / `tmf688-hub seed`: loads seeds/*.json into the configured MongoDB and says what
 * it did. The outbox records it writes are sent by whichever hub process runs a delivery worker on
 * that database. Resolves with the exit code.
 */
export async function runSeed(env: NodeJS.ProcessEnv, output: SeedOutput = STD): Promise<number> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return fail(output, err.message);
    throw err;
  }
  if (!config.mongodbUrl) return fail(output, NEEDS_MONGODB_MESSAGE);
  if (config.port === 0 && !config.publicUrl) {
    return fail(output, 'tmf688-hub seed: PORT is 0, so the hub address for the seeded callbacks is unknown; set PORT or HUB_PUBLIC_URL to where the hub runs');
  }
  let seeds;
  try {
    seeds = readSeeds();
  } catch (err) {
    if (err instanceof SeedFileError) return fail(output, err.message);
    throw err;
  }
  // Log lines go to stderr: stdout is the report.
  const logger = createLogger(config.logLevel, output.err);
  // No worker here: whichever hub process runs one on that database sends what the seeds publish.
  const hub = await composeHub({ config: { ...config, workerEnabled: false }, logger });
  try {
    const urls = seedUrls(config, config.port);
    const result = await loadSeeds(hub.services, seeds, urls);
    const database = databaseFromUrl(config.mongodbUrl) ?? config.dbName ?? DEFAULT_DB_NAME;
    output.out(
      [
        `Loaded ${seeds.map((s) => s.file).join(', ')} into MongoDB database ${database} (${redactMongoUrl(config.mongodbUrl)}):`,
        ...formatSeedResult(result).map((line) => `  ${line}`),
        `The seeded hubs call back ${urls.hubUrl} (HUB_PUBLIC_URL, else 127.0.0.1 and PORT): a hub running there on this database`,
        `delivers the events to its own inboxes, e.g. GET ${urls.baseUrl}/inbox/alarm`,
        '',
      ].join('\n'),
    );
    return 0;
  } catch (err) {
    return fail(output, err instanceof Error ? err.message : String(err));
  } finally {
    await hub.stop();
  }
}

/** One line per kind: "topics: 3 created, 0 existing". */
export function formatSeedResult(result: SeedResult): string[] {
  return (['schemas', 'topics', 'hubs', 'events'] as const).map((kind) => `${kind}: ${result[kind].created} created, ${result[kind].existing} existing`);
}

function fail(output: SeedOutput, message: string): number {
  output.err(`${message}\n`);
  return 1;
}
