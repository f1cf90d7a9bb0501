import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStack, request, seedCampaign, type Stack } from '@seedline/testkit';
import { addWeeks, formatWeek, weekOfInstant } from '@seedline/domain';

describe('PATCH /v1/brand: time zone (from next week) and contact email', () => {
  let stack: Stack;
  let a: Awaited<ReturnType<typeof seedCampaign>>;
  let b: Awaited<ReturnType<typeof seedCampaign>>;
  const get = (key: string) => request(`${stack.apiUrl}/v1/brand`, { token: key });
  const patch = (key: string, json: unknown) =>
    request(`${stack.apiUrl}/v1/brand`, { method: 'PATCH', token: key, json });

  beforeAll(async () => {
    stack = await createStack('apibrand', {}, ['api']);
    a = await seedCampaign(stack);
    b = await seedCampaign(stack);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('starts in UTC with no contact email', async () => {
    const res = await get(a.apiKey);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: a.brandId,
      timezone: 'UTC',
      currentTimezone: 'UTC',
      timezoneHistory: [],
      contactEmail: null,
    });
  });

  it('stores a zone in its canonical spelling from the next week, and the email as given', async () => {
    const before = Date.now();
    const res = await patch(a.apiKey, { timezone: 'america/new_york', contactEmail: 'ops@brand.example' });
    const after = Date.now();
    expect(res.status).toBe(200);
    // (the week may turn between the two clocks: either answer is the week after the one the request saw)
    const next = [before, after].map((t) => formatWeek(addWeeks(weekOfInstant(t, 'UTC'), 1)));
    expect(next).toContain(res.body.timezoneFrom);
    expect(res.body).toMatchObject({
      timezone: 'America/New_York',
      currentTimezone: 'UTC',
      timezoneHistory: [{ zone: 'America/New_York', fromWeek: res.body.timezoneFrom }],
      contactEmail: 'ops@brand.example',
    });
    expect((await get(a.apiKey)).body).toEqual(res.body);
    // The other brand is untouched.
    expect((await get(b.apiKey)).body).toMatchObject({ timezone: 'UTC', contactEmail: null });
  });

  it('replaces a change still pending and keeps fields not given', async () => {
    const res = await patch(a.apiKey, { timezone: 'Asia/Tokyo' });
    expect(res.body.timezoneHistory).toEqual([{ zone: 'Asia/Tokyo', fromWeek: res.body.timezoneFrom }]);
    expect(res.body.contactEmail).toBe('ops@brand.example');
    expect((await patch(a.apiKey, { contactEmail: null })).body).toMatchObject({
      timezone: 'Asia/Tokyo',
      contactEmail: null,
    });
  });

  it('refuses unknown zones, bad emails, unknown fields and empty changes, naming the field', async () => {
    const cases: [unknown, string][] = [
      [{ timezone: 'Mars/Olympus' }, 'body.timezone'],
      [{ timezone: '+02:00' }, 'body.timezone'],
      [{ contactEmail: 'not an email' }, 'body.contactEmail'],
      [{ timezone: 'UTC', payoutProvider: 'manual' }, 'body'],
      [{}, 'body'],
    ];
    for (const [json, path] of cases) {
      const res = await patch(b.apiKey, json);
      expect(res.status, JSON.stringify(json)).toBe(400);
      expect(res.body.error.details[0].path).toBe(path);
    }
    expect((await get(b.apiKey)).body).toMatchObject({ timezone: 'UTC', timezoneHistory: [] });
  });

  it('needs the brand key', async () => {
    expect((await request(`${stack.apiUrl}/v1/brand`, { method: 'PATCH', json: { timezone: 'UTC' } })).status).toBe(
      401,
    );
  });
});
