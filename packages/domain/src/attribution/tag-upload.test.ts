import { describe, expect, it } from 'vitest';
import { parseTagsCsv, parseTagsJson } from './tag-upload.js';
import { parseAttributionTagUrl } from './tag-url.js';

const TAG = (creative: string, host = 'www.amazon.com') =>
  `https://${host}/dp/B0DEMO0001?maas=maas_adg_api_5823_static_9_129&ref_=aa_maas&aa_campaignid=16719043411&aa_adgroupid=135021988277&aa_creativeid=${creative}`;

describe('parseAttributionTagUrl', () => {
  it('takes an Amazon tag URL and reads its campaign, ad group and creative ids', () => {
    expect(parseAttributionTagUrl(` ${TAG('9001')} `)).toEqual({
      ok: true,
      url: TAG('9001'),
      ids: { amazonCampaignId: '16719043411', adGroupId: '135021988277', creativeId: '9001' },
    });
    expect(parseAttributionTagUrl(TAG('9001', 'amazon.co.uk')).ok).toBe(true);
  });

  it.each([
    ['not a url', /not a URL/],
    [TAG('9001').replace('https:', 'http:'), /https/],
    [TAG('9001', 'amazon.evil.com'), /must be an Amazon URL/],
    [TAG('9001', 'amzn.to'), /must be an Amazon URL/],
    [TAG('9001').replace('&aa_adgroupid=135021988277', ''), /aa_adgroupid/],
    [TAG('{{creativeId}}'), /aa_creativeid .* not an Amazon id/],
  ])('refuses %s', (url, reason) => {
    const parsed = parseAttributionTagUrl(url);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(reason);
  });
});

describe('tag uploads', () => {
  it('reads JSON and CSV, normalising handles', () => {
    const json = parseTagsJson({ tags: [{ instagramHandle: '@Ava.Styles', url: TAG('9001') }] });
    expect(json).toEqual({
      ok: true,
      tags: [
        expect.objectContaining({
          at: 'body.tags.0',
          instagramHandle: 'ava.styles',
          creativeId: '9001',
          url: TAG('9001'),
        }),
      ],
    });
    const csv = parseTagsCsv(`instagramHandle,url\r\n@ben_bakes,"${TAG('9002')}"\r\n\r\nchloe.fit,${TAG('9003')}\r\n`);
    expect(csv.ok && csv.tags.map((t) => [t.at, t.instagramHandle, t.creativeId])).toEqual([
      ['line 2', 'ben_bakes', '9002'],
      ['line 4', 'chloe.fit', '9003'],
    ]);
  });

  it('names the row and field of a bad tag, a handle listed twice and a creative shared by two influencers', () => {
    const bad = parseTagsJson({
      tags: [
        { instagramHandle: 'ava', url: TAG('9001') },
        { instagramHandle: 'no spaces', url: 'https://example.com/x' },
      ],
    });
    expect(!bad.ok && bad.error.details.map((d) => d.path)).toEqual(['body.tags.1.instagramHandle', 'body.tags.1.url']);
    const twice = parseTagsCsv(`handle,tag\nava,${TAG('9001')}\nava,${TAG('9002')}\nben,${TAG('9001')}\n`);
    expect(!twice.ok && twice.error.details).toEqual([
      { path: 'line 3.handle', message: '@ava is listed twice (also at line 2)' },
      { path: 'line 4.tag', message: expect.stringMatching(/aa_creativeid 9001 is already @ava's tag/) },
    ]);
    const line = parseTagsCsv(`instagramHandle,url\nava,${TAG('9001').replace('aa_creativeid', 'x')}\n`);
    expect(!line.ok && line.error.details[0]).toEqual({
      path: 'line 2.url',
      message: expect.stringMatching(/aa_creativeid/),
    });
  });

  it('wants a header naming the handle and url columns', () => {
    const none = parseTagsCsv(`ava,${TAG('9001')}\n`);
    expect(!none.ok && none.error).toMatchObject({
      code: 'unrecognised_report',
      message: expect.stringMatching(/instagramHandle and url/),
    });
    expect(parseTagsJson({ tags: [] }).ok).toBe(false);
  });
});
