// Billing against the local stand-in for Stripe (local/fake-stripe.ts), which the official SDK is
// pointed at for the test file that calls useFakeStripe().
import { type FakeStripe, startFakeStripe } from '../../local/fake-stripe.ts';
import { useStandIn } from './stand-in.ts';

export const useFakeStripe = (): (() => FakeStripe) => useStandIn(() => startFakeStripe());
