import { bindingHeaders } from '../bridge/binding-headers';

/** The record headers of an attempt: the CloudEvents attributes in the Kafka binding's `ce_*` headers (ce_id, ce_type, ...). Pure. */
export function kafkaRecordHeaders(httpHeaders: Record<string, string>): Record<string, string> {
  return bindingHeaders(httpHeaders, 'ce_');
}
