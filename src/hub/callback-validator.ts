/** Says why a callback URL may not be used (scheme, refused address), or undefined when it may. */
export interface CallbackValidator {
  creationRefusal(url: string): Promise<string | undefined>;
}
