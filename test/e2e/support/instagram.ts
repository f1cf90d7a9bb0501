import {
  createStack,
  GraphStandin,
  pollUntil,
  request,
  seedCampaign,
  submitToken,
  type Stack,
} from '@seedline/testkit';

export const BRAND_IG = '17841400000000001';
export const VERIFY_TOKEN = 'test-verify-token-0123';
export type Seeded = Awaited<ReturnType<typeof seedCampaign>>;

/** A stack whose Instagram settings point at a Graph API stand-in of the test's own, with schedules in seconds. */
export async function instagramStack(label: string, env: Record<string, string> = {}) {
  const standin = await new GraphStandin().start();
  const stack = await createStack(label, {
    INSTAGRAM_GRAPH_URL: standin.url,
    INSTAGRAM_APP_ID: standin.appId,
    INSTAGRAM_APP_SECRET: standin.appSecret,
    INSTAGRAM_VERIFY_TOKEN: VERIFY_TOKEN,
    DATA_KEY: 'a'.repeat(64),
    IG_VERIFY_RETRY_SECONDS: '1',
    IG_VERIFY_FOR_SECONDS: '8',
    IG_RECHECK_INTERVAL_SECONDS: '1',
    IG_RECHECK_FOR_SECONDS: '120',
    IG_SWEEP_SECONDS: '1',
    IG_TAGS_READ_SECONDS: '3600',
    IG_RATE_LIMIT_BACKOFF_SECONDS: '1',
    ...env,
  });
  standin.webhookUrl = `${stack.apiUrl}/v1/instagram/webhook`;
  return { standin, stack };
}

/** A brand with a campaign and its Instagram account connected with a fresh stand-in token. */
export async function connectedCampaign(
  stack: Stack,
  standin: GraphStandin,
  igUserId = BRAND_IG,
  campaign: Record<string, unknown> = {},
) {
  const c = await seedCampaign(stack, { requirements: { hashtags: ['ad'], mentions: ['acme'] }, ...campaign });
  const accessToken = standin.state.issueToken(igUserId);
  const put = await request(`${stack.apiUrl}/v1/instagram`, {
    method: 'PUT',
    token: c.apiKey,
    json: { igUserId, accessToken },
  });
  if (put.status !== 200) throw new Error(`connect: ${put.status} ${JSON.stringify(put.body)}`);
  return { ...c, accessToken, igUserId };
}

export async function submit(stack: Stack, submitLink: string, postUrl: string, caption?: string) {
  const res = await request(`${stack.ingestUrl}/v1/submissions`, {
    method: 'POST',
    json: { token: submitToken(submitLink), postUrl, ...(caption !== undefined ? { caption } : {}) },
  });
  if (res.status !== 202) throw new Error(`submission: ${res.status} ${JSON.stringify(res.body)}`);
}

/** Polls the influencer's detail until `ok` holds; returns it. */
export function detailUntil(c: Seeded, id: string, ok: (d: any) => boolean, what: string) {
  return pollUntil(
    async () => {
      const d = await c.influencer(id);
      return d.status === 200 && ok(d.body) ? d.body : undefined;
    },
    { timeoutMs: 40_000, what },
  );
}

/** Every token the stand-in issued, as they would appear in a log or an answer. */
export function issuedTokens(standin: GraphStandin): string[] {
  return [...standin.state.tokens.keys()];
}
