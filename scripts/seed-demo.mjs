#!/usr/bin/env node
// Seeds a demo brand and campaign through the real HTTP APIs and prints where to look and what to click.
const api = process.env.API_URL ?? `http://127.0.0.1:${process.env.API_PORT ?? 3000}`;
const ingest = process.env.INGEST_URL ?? `http://127.0.0.1:${process.env.INGEST_PORT ?? 3001}`;
const adminToken = process.env.ADMIN_TOKEN ?? 'dev-only-insecure-secret-change-me';
const ingestToken = process.env.INGEST_TOKEN ?? 'dev-only-insecure-secret-change-me';
const mailpit = process.env.MAILPIT_URL ?? 'http://127.0.0.1:8025';
const UA =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

async function call(url, { token, json, method = 'GET' } = {}) {
  const res = await fetch(url, {
    method,
    headers: {
      ...(json ? { 'Content-Type': 'application/json' } : {}),
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: json ? JSON.stringify(json) : undefined,
    redirect: 'manual',
  });
  const text = await res.text();
  if (res.status >= 400) throw new Error(`${method} ${url} → ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

const brand = await call(`${api}/v1/brands`, { method: 'POST', token: adminToken, json: { name: 'Demo Brand' } });
const campaign = await call(`${api}/v1/campaigns`, {
  method: 'POST',
  token: brand.apiKey,
  json: {
    name: 'Spring Glow Serum',
    productUrl: 'https://www.amazon.com/dp/B0DEMO0001',
    reviewUrl: 'https://www.amazon.com/review/create-review?asin=B0DEMO0001',
    requirements: { hashtags: ['ad', 'springglow'], mentions: ['demobrand'] },
  },
});
const handles = [
  'ava.styles',
  'ben_bakes',
  'chloe.fit',
  'dev.daily',
  'emma.glow',
  'finn.outdoors',
  'gia.travels',
  'hugo.eats',
];
const signups = [];
for (const handle of handles) {
  signups.push({
    handle,
    ...(await call(`${ingest}/v1/signups`, {
      method: 'POST',
      token: ingestToken,
      json: { campaignId: campaign.id, instagramHandle: handle },
    })),
  });
}
// Spread the demo over the stages: a few purchase clicks, one accepted post, one review.
for (const s of signups.slice(0, 4))
  await fetch(s.links.purchase, { redirect: 'manual', headers: { 'User-Agent': UA } });
const [first, second] = signups;
// With the Instagram Graph API stand-in (INSTAGRAM_GRAPH_URL, set by the quick start), the brand connects its
// account and @ava.styles publishes the post: hers is verified on Instagram, @ben_bakes's copy of the URL is not his.
let instagram = false;
if (process.env.INSTAGRAM_GRAPH_URL) {
  try {
    const control = new URL('/_control', process.env.INSTAGRAM_GRAPH_URL).toString();
    const ctl = async (body) =>
      (
        await fetch(control, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        })
      ).json();
    const igUserId = '17841400000000001';
    const { accessToken } = await ctl({ action: 'token', igUserId });
    await call(`${api}/v1/instagram`, { method: 'PUT', token: brand.apiKey, json: { igUserId, accessToken } });
    await ctl({
      action: 'addMedia',
      username: first.handle,
      caption: 'Glowing! #ad #SpringGlow @demobrand',
      shortcode: 'DEMO12345',
      tags: [igUserId],
    });
    // The reimbursed demo's post (below): verified like any other once the brand's account is connected.
    await ctl({
      action: 'addMedia',
      username: 'lea.pays',
      caption: 'My morning drops #ad',
      shortcode: 'DEMOPAY01',
      tags: [igUserId],
    });
    instagram = true;
  } catch (err) {
    console.error(`Instagram demo skipped: ${err.message}`);
  }
}
for (const s of [first, second]) {
  await call(`${ingest}/v1/submissions`, {
    method: 'POST',
    json: {
      token: s.links.submit.split('/s/')[1],
      postUrl: 'https://www.instagram.com/p/DEMO12345/',
      caption: 'Glowing! #ad #SpringGlow @demobrand',
    },
  });
}
await fetch(first.links.review, { redirect: 'manual', headers: { 'User-Agent': UA } });

// A second campaign whose purchase reminder comes due at once: the worker emails it (to Mailpit, locally) at its
// next sweep, so the quick start shows a real reminder email within a minute.
const reminderDemo = await call(`${api}/v1/campaigns`, {
  method: 'POST',
  token: brand.apiKey,
  json: {
    name: 'Reminder demo: Night Repair Cream',
    productUrl: 'https://www.amazon.com/dp/B0DEMO0002',
    reviewUrl: 'https://www.amazon.com/review/create-review?asin=B0DEMO0002',
    reminders: {
      purchase: { firstAfterSeconds: 5, everySeconds: 86_400, max: 1 },
      replyTo: 'creators@demobrand.example',
    },
  },
});
const reminded = { handle: 'mia.reminded', email: 'mia.reminded@example.com' };
await call(`${ingest}/v1/signups`, {
  method: 'POST',
  token: ingestToken,
  json: { campaignId: reminderDemo.id, instagramHandle: reminded.handle, email: reminded.email },
});

// A third campaign reimburses purchases automatically: @lea.pays posts with her proof of purchase and, with the
// PayPal Payouts stand-in (PAYPAL_BASE_URL, set by the quick start), is paid within seconds.
const paying = await call(`${api}/v1/campaigns`, {
  method: 'POST',
  token: brand.apiKey,
  json: {
    name: 'Reimbursed demo: Vitamin C Drops',
    productUrl: 'https://www.amazon.com/dp/B0DEMO0003',
    reviewUrl: 'https://www.amazon.com/review/create-review?asin=B0DEMO0003',
    reimbursement: { price: '24.99', shipping: '0.00', currency: 'USD', approval: 'auto', budget: '500.00' },
  },
});
const digits = (n) => Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join('');
const payee = await call(`${ingest}/v1/signups`, {
  method: 'POST',
  token: ingestToken,
  json: { campaignId: paying.id, instagramHandle: 'lea.pays', email: 'lea.pays@example.com' },
});
await call(`${ingest}/v1/submissions`, {
  method: 'POST',
  json: {
    token: payee.links.submit.split('/s/')[1],
    postUrl: 'https://www.instagram.com/p/DEMOPAY01/',
    // A new number each run: one already claimed anywhere (an earlier demo) would be held as a duplicate order.
    orderId: `114-${digits(7)}-${digits(7)}`,
    amountPaid: '24.99',
    payoutEmail: 'lea.pays@example.com',
  },
});
let payout = 'not settled yet';
if (process.env.PAYPAL_BASE_URL) {
  for (let i = 0; i < 60; i++) {
    const r = await call(`${api}/v1/campaigns/${paying.id}/reimbursements`, { token: brand.apiKey });
    const item = r.items?.[0];
    payout = item ? `${item.state} ${item.amount} ${item.currency}` : payout;
    if (item?.state === 'paid') break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

const last = signups[signups.length - 1];
console.log(`
Seedline is running.
  API            ${api}            (docs: ${api}/docs, OpenAPI: ${api}/openapi.json)
  Ingest         ${ingest}
  Dashboard      ${api}/dashboard
  Bull Board     ${api}/admin/queues   (user: admin, password: your ADMIN_TOKEN)

Demo brand key (shown once; paste it into the dashboard):
  ${brand.apiKey}
Campaign: ${campaign.name} (${campaign.id})

Try it — open these in a browser and watch the dashboard:
  purchase link of @${last.handle}:  ${last.links.purchase}
  review link of @${first.handle}:   ${first.links.review}
  submission form of @${last.handle}: ${last.links.submit}

  curl -H "Authorization: Bearer ${brand.apiKey}" ${api}/v1/campaigns/${campaign.id}/summary

${
  instagram
    ? `Instagram (the Graph API stand-in at ${process.env.INSTAGRAM_GRAPH_URL}): @${first.handle}'s post is verified on
  Instagram within seconds (verification "verified"); @${second.handle} submitted the same URL: rejected, wrong owner.

`
    : ''
}Money: @lea.pays (campaign "${paying.name}") sent her post and proof of purchase and was approved automatically;
  her reimbursement: ${payout}${process.env.PAYPAL_BASE_URL ? ` (paid through ${process.env.PAYPAL_BASE_URL})` : ' (no PAYPAL_BASE_URL: left approved for manual payment)'}.
  curl -H "Authorization: Bearer ${brand.apiKey}" ${api}/v1/campaigns/${paying.id}/reimbursements

Reminder emails land in Mailpit, the local inbox:  ${mailpit}
  a reminder to @${reminded.handle} (${reminded.email}) arrives there within a minute ("${reminderDemo.name}");
  its template preview is in the dashboard, tab "Campaign details".
`);
