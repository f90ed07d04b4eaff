/**
 * One seed file (seeds/*.json), validated: the topics it defines, and hubs and events that name one
 * of those topics by `topic`. Everything else on a topic, hub or event is sent as the API would
 * receive it in a create request.
 */
export interface SeedFile {
  /** The file, as shown in messages (relative to the working directory when inside it). */
  file: string;
  description?: string;
  /** TM Forum API documents whose notification schemas are registered before anything else. */
  schemas: SeedSchema[];
  topics: SeedTopic[];
  hubs: SeedHub[];
  events: SeedEvent[];
}

/** `path` as the seed file writes it (relative to the seed directory), `text` the document read from it. */
export interface SeedSchema {
  path: string;
  text: string;
}

export type SeedTopic = Record<string, unknown> & { name: string };

/** `callback` may hold the placeholder {hubUrl}, replaced when the seeds are loaded. */
export type SeedHub = Record<string, unknown> & { topic: string; callback: string; query?: string };

/** `eventId` is required: it is what makes loading the same seeds twice a no-op. */
export type SeedEvent = Record<string, unknown> & { topic: string; eventId: string; eventType: string };

/** The one placeholder a hub callback may contain. */
export const HUB_URL_PLACEHOLDER = '{hubUrl}';

/** A seed file that cannot be used, or could not be loaded; the message names the file and the problem. */
export class SeedFileError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(`Seed file ${file}: ${problem}`, options);
    this.name = 'SeedFileError';
  }
}
