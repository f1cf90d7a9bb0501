/**
 * The PayPal stand-in as a process of its own, for `npm run services` (scripts/services/paypal.sh) and the quick
 * start: `node packages/testkit/dist/paypal/main.js [port]`. Loopback only. Credentials from
 * PAYPAL_CLIENT_ID / PAYPAL_CLIENT_SECRET (the workers' own variables), defaulting to the stand-in's.
 */
import { PayPalStandIn } from './standin.js';

const port = Number(process.argv[2] ?? process.env.PAYPAL_STANDIN_PORT ?? 8091);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write('Invalid configuration: the port must be an integer from 0 to 65535\n');
  process.exit(78);
}
const standIn = new PayPalStandIn(process.env.PAYPAL_CLIENT_ID, process.env.PAYPAL_CLIENT_SECRET);
const url = await standIn.listen(port, '127.0.0.1');
process.stdout.write(`PayPal Payouts stand-in listening on ${url}\n`);
const stop = () => void standIn.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
