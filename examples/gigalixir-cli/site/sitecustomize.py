# The one change around the Gigalixir CLI besides its host: its card tokenisation goes to the local
# Stripe stand-in, with the publishable key the API hands out (GET /api/public/config).
import json
import os
import urllib.request

try:
    import stripe

    api = os.environ.get('GIGALIXIR_CLI__HOST', 'http://api.gigalixir.com:3000')
    stripe.api_base = os.environ.get('STRIPE_STAND_IN', 'http://127.0.0.1:8007')
    _publishable = json.load(urllib.request.urlopen(f'{api}/api/public/config'))['data']['stripe_publishable_key']
    _create = stripe.Token.create

    def _token(*args, **kwargs):
        stripe.api_key = _publishable  # the client sets its live key at start
        return _create(*args, **kwargs)

    stripe.Token.create = _token
except Exception as error:  # the client still runs; only a card step would fail
    print('sitecustomize:', error)
