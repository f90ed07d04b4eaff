/** Why a record was dead-lettered: the refusal, as POST /topic/{id}/event would have answered it. */
export const DLQ_REASON_HEADER = 'tmf688-dlq-reason';
/** Where the dead-lettered record was read: the broker's destination and position. */
export const DLQ_SOURCE_HEADER = 'tmf688-dlq-source';

/** The headers of a dead-lettered copy: the record's own, and why and where from (the reason cut to 1,000 characters). Pure. */
export function deadLetterHeaders(headers: Readonly<Record<string, string>>, reason: string, source: string): Record<string, string> {
  return { ...headers, [DLQ_REASON_HEADER]: reason.slice(0, 1000), [DLQ_SOURCE_HEADER]: source };
}
