/**
 * What the domain asks of callbacks: the delivery layer's transport registry answers (HTTP
 * listeners, broker destinations such as `kafka:<topic>`), handed over by the composition root.
 */
export interface CallbackTargets {
  /** Why a callback may not be used (scheme, refused address, unconfigured broker, invalid destination), or undefined. */
  creationRefusal(url: string): Promise<string | undefined>;
  /** A broker destination: no /listener suffix, and the CloudEvents attributes as record headers by default. */
  isBroker(url: string): boolean;
}
