import { GraphStandin, pollUntil } from '@seedline/testkit';
import { runCase, runIfMain } from '../lib/case.mjs';
import { send } from '../lib/http.mjs';
import { noteSecret } from '../lib/logscan.mjs';
import { driveLoad, listAll, REQUIRED_TAG } from '../lib/workload.mjs';

/**
 * The usual mixed load with Instagram verification on: the brand's account is connected, every submitted post
 * exists on a Graph API stand-in, and the stand-in fails a fifth of its calls with Meta's transient error
 * (code 2, HTTP 500). A submission is `done` only once Instagram confirms it, so nothing may be lost and every
 * submission must reach its verdict (verified) however often the look-ups fail.
 */
const BRAND_IG = '17841400000000009';
const FAIL_RATE = 0.2;

const def = {
  name: 'instagram-flaky',
  title: 'Instagram verification on, the Graph API failing 20 % of calls',
  ci: true,
  run: ({ ci, log }) => {
    const standin = new GraphStandin();
    return runCase(
      def,
      {
        log,
        services: async (cleanups) => {
          await standin.start();
          cleanups.push(() => standin.stop());
          return {
            env: {
              INSTAGRAM_GRAPH_URL: standin.url,
              INSTAGRAM_APP_ID: standin.appId,
              INSTAGRAM_APP_SECRET: standin.appSecret,
              INSTAGRAM_VERIFY_TOKEN: 'faults-verify-token-0123',
              DATA_KEY: 'b'.repeat(64),
              IG_VERIFY_RETRY_SECONDS: '1',
              IG_VERIFY_FOR_SECONDS: '120',
              IG_RECHECK_INTERVAL_SECONDS: '3600',
              IG_SWEEP_SECONDS: '1',
              IG_RATE_LIMIT_BACKOFF_SECONDS: '1',
              IG_TAGS_READ_SECONDS: '3600',
            },
          };
        },
      },
      async ({ stack, w, ledger }) => {
        const accessToken = standin.state.issueToken(BRAND_IG);
        noteSecret(accessToken);
        const put = await send(`${stack.apiUrl}/v1/instagram`, {
          method: 'PUT',
          headers: { authorization: `Bearer ${w.apiKey}` },
          body: { igUserId: BRAND_IG, accessToken },
        });
        if (put.status !== 200) throw new Error(`connect answered ${put.status} ${put.text}`);
        let posts = 0;
        w.beforePost = (person, shortcode) => {
          posts++;
          standin.state.addMedia({
            username: person.handle,
            caption: `Love it #${REQUIRED_TAG}`,
            tags: [BRAND_IG],
            shortcode,
          });
        };
        standin.failRate = FAIL_RATE;
        const durationMs = ci ? 15_000 : 45_000;
        const load = await driveLoad(w, ledger, { rate: 60, durationMs });
        const faultEndedAt = Date.now();
        return {
          faultEndedAt,
          notes: `${load.offered} events (60/s), ${posts} posts published; the Graph stand-in failed ${Math.round(FAIL_RATE * 100)} % of calls`,
          after: async () => {
            // Settled means every acknowledged submission is `done`, which only a verified post gives.
            const submitted = [...ledger.byPerson].filter(([, e]) => e.submission.acked > 0).map(([id]) => id);
            let items = await listAll(w);
            await pollUntil(
              async () => {
                items = await listAll(w);
                return submitted.every((id) => items.get(id)?.verification === 'verified');
              },
              { timeoutMs: 60_000, intervalMs: 500, what: 'every submission verified' },
            ).catch(() => undefined);
            const verdicts = {};
            for (const id of submitted) {
              const v = items.get(id)?.verification ?? 'missing';
              verdicts[v] = (verdicts[v] ?? 0) + 1;
            }
            const failed = standin.calls.filter((c) => c.status >= 500).length;
            log(
              `instagram-flaky: verdicts ${JSON.stringify(verdicts)}; ${failed} of ${standin.calls.length} Graph calls failed`,
            );
            return [
              {
                name: 'every submission reached its verdict (verified)',
                ok: submitted.length > 0 && verdicts.verified === submitted.length,
                detail: JSON.stringify(verdicts),
              },
              {
                name: 'the stand-in did fail calls',
                ok: failed > 0,
                detail: `${failed} of ${standin.calls.length}`,
              },
            ];
          },
        };
      },
    );
  },
};
export default def;
await runIfMain(import.meta, def);
