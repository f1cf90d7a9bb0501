import { signLinkToken } from '@seedline/domain';
import { BROWSER_UA, seedCampaign } from '@seedline/testkit';
import { runCase, runIfMain } from '../lib/case.mjs';
import { send } from '../lib/http.mjs';
import { noteSecret } from '../lib/logscan.mjs';
import { fireEvent } from '../lib/workload.mjs';

/**
 * Security checks against the running stack: tenancy, forged and replayed tokens, operator injection, and
 * the ops surfaces without credentials. Only acknowledged events may move counts; the usual verification
 * then proves the forged and replayed ones changed nothing.
 */
const def = {
  name: 'security',
  title: 'Cross-brand access, forged/replayed tokens, injection, admin without token',
  ci: true,
  run: ({ log }) =>
    runCase(def, { log, influencers: 6 }, async ({ stack, w, ledger }) => {
      const checks = [];
      const expect = (name, r, ok) =>
        checks.push({
          name,
          ok: ok(r.status),
          detail: `${r.status}${r.status >= 400 && r.body?.error ? ` ${r.body.error.code}` : ''}`,
        });
      const is = (code) => (s) => s === code;
      const apiUrl = stack.apiUrl;
      const ingest = stack.ingestUrl;
      const other = await seedCampaign(stack);
      noteSecret(other.apiKey);
      noteSecret(w.apiKey);
      const bearer = (key) => ({ authorization: `Bearer ${key}` });
      const person = w.people[0];

      // Cross-brand: another brand's key sees 404 on every route of this campaign, and not it in its list.
      const cid = w.campaignId;
      for (const [method, path, body] of [
        ['GET', `/v1/campaigns/${cid}`],
        ['PATCH', `/v1/campaigns/${cid}`, { name: 'taken over' }],
        ['GET', `/v1/campaigns/${cid}/influencers`],
        ['GET', `/v1/campaigns/${cid}/influencers/${person.id}`],
        ['GET', `/v1/campaigns/${cid}/influencers.csv`],
        ['GET', `/v1/campaigns/${cid}/summary`],
        ['GET', `/v1/campaigns/${cid}/stream`],
        [
          'POST',
          `/v1/campaigns/${cid}/attribution`,
          {
            rows: [
              {
                date: '2026-01-01',
                clicks: 1,
                detailPageViews: 1,
                addToCarts: 1,
                purchases: 1,
                unitsSold: 1,
                sales: 1,
              },
            ],
          },
        ],
      ]) {
        expect(
          `other brand's key: ${method} ${path.replace(cid, ':id').replace(person.id, ':influencerId')} → 404`,
          await send(`${apiUrl}${path}`, { method, headers: bearer(other.apiKey), body, timeoutMs: 5000 }),
          is(404),
        );
      }
      const theirList = await send(`${apiUrl}/v1/campaigns`, { headers: bearer(other.apiKey) });
      checks.push({
        name: "other brand's campaign list omits this campaign",
        ok: theirList.status === 200 && !JSON.stringify(theirList.body).includes(cid),
        detail: String(theirList.status),
      });
      expect('no key → 401', await send(`${apiUrl}/v1/campaigns/${cid}`), is(401));
      expect(
        'unknown key → 401',
        await send(`${apiUrl}/v1/campaigns/${cid}`, { headers: bearer('sk_not_a_key_0123456789') }),
        is(401),
      );

      // Forged tokens: tampered, truncated, signed with another secret, wrong kind. None redirects or records.
      const token = person.links.purchase.split('/l/')[1];
      const tampered = `${token.slice(0, 10)}${token[10] === 'A' ? 'B' : 'A'}${token.slice(11)}`;
      const foreign = signLinkToken(
        { kind: 'purchase', campaignId: cid, influencerId: person.id },
        'another-secret-0123456789',
      );
      for (const [name, t] of [
        ['tampered', tampered],
        ['truncated', token.slice(0, -2)],
        ['signed with another secret', foreign],
        ['submit token as a link', person.submitToken],
      ]) {
        expect(
          `${name} token at /l/ → 404`,
          await send(`${ingest}/l/${t}`, { headers: { 'user-agent': BROWSER_UA } }),
          is(404),
        );
      }
      const subPost = (t) =>
        send(`${ingest}/v1/submissions`, {
          method: 'POST',
          body: { token: t, postUrl: 'https://www.instagram.com/p/Cforged/', caption: '#ad' },
        });
      expect(
        'forged submit token → 401',
        await subPost(
          signLinkToken({ kind: 'submit', campaignId: cid, influencerId: person.id }, 'another-secret-0123456789'),
        ),
        is(401),
      );
      expect('purchase token as a submit token → 401', await subPost(token), is(401));
      const forgedTracker = await send(`${ingest}/v1/clicks`, {
        method: 'POST',
        headers: bearer(stack.env.INGEST_TOKEN),
        body: { events: [{ eventId: 'forged-1', token: tampered }] },
      });
      expect('tracker batch with a forged token → 400', forgedTracker, is(400));

      // Replays: the same tracker event three times counts once; the same link clicked again is a new click.
      const replay = {
        events: [
          {
            eventId: 'replayed-1',
            token: w.people[1].links.purchase.split('/l/')[1],
            userAgent: BROWSER_UA,
            ip: '192.0.2.77',
          },
        ],
      };
      noteSecret('192.0.2.77');
      for (let i = 0; i < 3; i++) {
        const r = await send(`${ingest}/v1/clicks`, {
          method: 'POST',
          headers: bearer(stack.env.INGEST_TOKEN),
          body: replay,
        });
        if (i === 0) ledger.record(w.people[1].id, 'purchase', r.status === 202 ? 'acked' : 'uncertain');
        expect(`replayed tracker event #${i + 1} → 202`, r, is(202));
      }
      await fireEvent(w, ledger, w.people[2], 'purchase');
      await fireEvent(w, ledger, w.people[2], 'purchase');

      // NoSQL operator injection, in bodies, queries, paths and headers: 4xx, never data, never 5xx.
      const injections = [
        [
          'signup campaignId {$ne:null}',
          `${ingest}/v1/signups`,
          {
            method: 'POST',
            headers: bearer(stack.env.INGEST_TOKEN),
            body: { campaignId: { $ne: null }, instagramHandle: 'x' },
          },
        ],
        [
          'signup handle {$gt:""}',
          `${ingest}/v1/signups`,
          {
            method: 'POST',
            headers: bearer(stack.env.INGEST_TOKEN),
            body: { campaignId: cid, instagramHandle: { $gt: '' } },
          },
        ],
        [
          'submission token {$gt:""}',
          `${ingest}/v1/submissions`,
          { method: 'POST', body: { token: { $gt: '' }, postUrl: 'https://www.instagram.com/p/Cx/' } },
        ],
        [
          'list ?status[$ne]=x',
          `${apiUrl}/v1/campaigns/${cid}/influencers?status[$ne]=x`,
          { headers: bearer(w.apiKey) },
        ],
        ['list ?q[$regex]=.*', `${apiUrl}/v1/campaigns/${cid}/influencers?q[$regex]=.*`, { headers: bearer(w.apiKey) }],
        ['list ?cursor[$gt]=', `${apiUrl}/v1/campaigns/${cid}/influencers?cursor[$gt]=`, { headers: bearer(w.apiKey) }],
        [
          'campaign id {"$ne":null} in the path',
          `${apiUrl}/v1/campaigns/${encodeURIComponent('{"$ne":null}')}`,
          { headers: bearer(w.apiKey) },
        ],
        [
          'other brand: campaign id {"$ne":null}',
          `${apiUrl}/v1/campaigns/${encodeURIComponent('{"$ne":null}')}/influencers`,
          { headers: bearer(other.apiKey) },
        ],
        [
          'brand name {$gt:""}',
          `${apiUrl}/v1/brands`,
          { method: 'POST', headers: bearer(stack.env.ADMIN_TOKEN), body: { name: { $gt: '' } } },
        ],
        ['api key {"$ne":""}', `${apiUrl}/v1/campaigns`, { headers: { authorization: 'Bearer {"$ne":""}' } }],
        [
          'campaign requirements {$where}',
          `${apiUrl}/v1/campaigns`,
          {
            method: 'POST',
            headers: bearer(w.apiKey),
            body: {
              name: 'x',
              productUrl: 'https://example.com/a',
              reviewUrl: 'https://example.com/b',
              requirements: { $where: 'sleep(1000)' },
            },
          },
        ],
      ];
      for (const [name, url, init] of injections) {
        const r = await send(url, init);
        const leaked =
          r.status === 200 &&
          JSON.stringify(r.body ?? '').includes(cid) &&
          init.headers?.authorization?.includes(other.apiKey);
        checks.push({
          name: `injection: ${name} → 4xx`,
          ok: r.status >= 400 && r.status < 500 && !leaked,
          detail: String(r.status),
        });
      }

      // Ops surfaces: Bull Board and admin routes without (or with a wrong) token → 401; with it, open.
      expect('/admin/queues without a token → 401', await send(`${apiUrl}/admin/queues`), is(401));
      expect(
        '/admin/queues with a wrong bearer → 401',
        await send(`${apiUrl}/admin/queues`, { headers: bearer('wrong-admin-token') }),
        is(401),
      );
      expect(
        '/admin/queues with wrong Basic → 401',
        await send(`${apiUrl}/admin/queues`, {
          headers: { authorization: `Basic ${Buffer.from('ops:wrong').toString('base64')}` },
        }),
        is(401),
      );
      expect('/admin/queues API without a token → 401', await send(`${apiUrl}/admin/queues/api/queues`), is(401));
      expect(
        '/admin/queues with the admin token → 200',
        await send(`${apiUrl}/admin/queues`, { headers: bearer(stack.env.ADMIN_TOKEN) }),
        is(200),
      );
      expect(
        'POST /v1/brands without a token → 401',
        await send(`${apiUrl}/v1/brands`, { method: 'POST', body: { name: 'x' } }),
        is(401),
      );
      expect(
        'POST /v1/brands with a brand key → 401',
        await send(`${apiUrl}/v1/brands`, { method: 'POST', headers: bearer(w.apiKey), body: { name: 'x' } }),
        is(401),
      );
      expect(
        'POST /v1/signups without the ingest token → 401',
        await send(`${ingest}/v1/signups`, { method: 'POST', body: { campaignId: cid, instagramHandle: 'x' } }),
        is(401),
      );
      expect(
        'POST /v1/clicks with the admin token → 401',
        await send(`${ingest}/v1/clicks`, { method: 'POST', headers: bearer(stack.env.ADMIN_TOKEN), body: replay }),
        is(401),
      );

      log(`${checks.filter((c) => !c.ok).length} of ${checks.length} security checks failed`);
      return {
        faultEndedAt: Date.now(),
        checks,
        notes: `${checks.length} checks; forged and replayed events verified below as not counted`,
      };
    }),
};
export default def;
await runIfMain(import.meta, def);
