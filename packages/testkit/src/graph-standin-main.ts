import { GraphStandin } from './graph-standin.js';

/**
 * `node packages/testkit/dist/graph-standin-main.js`: the Graph API stand-in as a process, for `npm run services`
 * and the quick start. Port from INSTAGRAM_STANDIN_PORT (3990); app id and secret from INSTAGRAM_APP_ID /
 * INSTAGRAM_APP_SECRET (the stand-in's defaults otherwise); webhooks to INSTAGRAM_WEBHOOK_URL.
 */
const standin = await new GraphStandin({
  port: Number(process.env.INSTAGRAM_STANDIN_PORT ?? 3990),
  appId: process.env.INSTAGRAM_APP_ID,
  appSecret: process.env.INSTAGRAM_APP_SECRET,
  webhookUrl:
    process.env.INSTAGRAM_WEBHOOK_URL ?? `http://127.0.0.1:${process.env.API_PORT ?? 3000}/v1/instagram/webhook`,
}).start();
process.stdout.write(`Instagram Graph API stand-in at ${standin.url}\n`);
const stop = () => void standin.stop().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
