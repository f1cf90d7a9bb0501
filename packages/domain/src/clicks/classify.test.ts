import { describe, expect, it } from 'vitest';
import { classifyClick } from './classify.js';

const PEOPLE = {
  chrome:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  instagramInAppIos:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 300.0.0.17.111 (iPhone14,5; iOS 17_0; en_US; en; scale=3.00; 1170x2532; 515338000)',
  instagramInAppAndroid:
    'Mozilla/5.0 (Linux; Android 13; SM-G991B Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/120.0.6099.144 Mobile Safari/537.36 Instagram 312.0.0.32.112 Android (33/13; 480dpi; 1080x2220; samsung; SM-G991B; o1s; exynos2100; en_US; 541635890)',
  facebookInApp:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/443.0.0.36.104;FBBV/543458658;FBDV/iPhone15,2;FBMD/iPhone;FBSN/iOS;FBSV/17.1;FBSS/3;FBID/phone;FBLC/en_US;FBOP/5]',
  tiktokInApp:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 musical_ly_32.5.0 JsSdk/2.0 NetType/WIFI Channel/App Store ByteLocale/en Region/US',
};

const CRAWLERS = {
  facebook: 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
  metaAgent: 'meta-externalagent/1.1 (+https://developers.facebook.com/docs/sharing/webmasters/crawler)',
  metaFetcher: 'meta-externalfetcher/1.1 (+https://developers.facebook.com/docs/sharing/webmasters/crawler)',
  instagramPreview: 'Mozilla/5.0 (compatible; Instagram link preview)',
  slack: 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
  slackImages: 'Slack-ImgProxy (+https://api.slack.com/robots)',
  whatsapp: 'WhatsApp/2.23.20.0 A',
  telegram: 'TelegramBot (like TwitterBot)',
  twitter: 'Twitterbot/1.0',
  discord: 'Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)',
  linkedin: 'LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)',
  skype: 'Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5',
  imessage:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_1) AppleWebKit/601.2.4 (KHTML, like Gecko) Version/9.0.1 Safari/601.2.4 facebookexternalhit/1.1 Facebot Twitterbot/1.0',
  googlebot: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  curl: 'curl/8.5.0',
  wget: 'Wget/1.21.4',
  pythonRequests: 'python-requests/2.31.0',
  go: 'Go-http-client/1.1',
  empty: '',
  blank: '   ',
};

describe('classifyClick', () => {
  it('counts people, in-app browsers of Instagram, Facebook and TikTok included, as human', () => {
    for (const [name, userAgent] of Object.entries(PEOPLE))
      expect(classifyClick({ method: 'GET', userAgent }), name).toBe('human');
  });

  it('flags link-preview crawlers, command-line tools and a missing user agent as bots', () => {
    for (const [name, userAgent] of Object.entries(CRAWLERS))
      expect(classifyClick({ method: 'GET', userAgent }), name).toBe('bot');
    expect(classifyClick({})).toBe('bot');
  });

  it('flags every HEAD request, whatever its user agent', () => {
    expect(classifyClick({ method: 'HEAD', userAgent: PEOPLE.chrome })).toBe('bot');
    expect(classifyClick({ method: 'head', userAgent: PEOPLE.chrome })).toBe('bot');
  });
});
