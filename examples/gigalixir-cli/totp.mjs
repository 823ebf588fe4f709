// The code an authenticator app shows for an otpauth:// URI, now (argv: the URI).
import { URI } from 'otpauth';

process.stdout.write(URI.parse(process.argv[2]).generate());
