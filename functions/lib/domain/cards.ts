// A card as Gatehouse keeps it: never more than Stripe shows on a receipt. Apart from the Stripe
// client (adapters/stripe.ts), so the endpoint that only shows the card does not load the SDK.

/** What an account shows of its card. */
export interface Card {
  readonly brand: string;
  readonly last4: string;
  readonly expMonth: number;
  readonly expYear: number;
}

/** The account's default card: its Stripe PaymentMethod id and what is shown of it. */
export interface StoredPaymentMethod extends Card {
  readonly id: string;
}
