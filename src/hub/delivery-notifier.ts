/** Tells the delivery worker that new deliveries are due, so it need not wait for its next poll. */
export interface DeliveryNotifier {
  notify(): void;
}
