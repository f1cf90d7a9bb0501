import { isbot } from 'isbot';

// Link-preview fetchers that isbot's list may miss or that must be flagged whatever isbot says.
const PREVIEW_FETCHERS =
  /facebookexternalhit|facebookcatalog|meta-externalagent|instagram.*(bot|crawler|preview)|whatsapp|slackbot|slack-imgproxy|telegrambot|twitterbot|discordbot|linkedinbot|skypeuripreview|applebot|imessage|bingpreview|pinterest|redditbot|embedly|quora link preview|vkshare|google-pagerenderer/i;
const TOOLS =
  /^(curl|wget|httpie|python-requests|python-urllib|go-http-client|java\/|okhttp|libwww|axios|node-fetch|undici|postmanruntime|insomnia|aiohttp|httpclient)/i;

export type ClickClass = 'human' | 'bot';

/** HEAD requests and link-preview crawlers get their redirect but never count as a person. */
export function classifyClick(input: { method?: string; userAgent?: string | null }): ClickClass {
  if (input.method && input.method.toUpperCase() === 'HEAD') return 'bot';
  const ua = (input.userAgent ?? '').trim();
  if (ua === '') return 'bot';
  if (PREVIEW_FETCHERS.test(ua) || TOOLS.test(ua)) return 'bot';
  return isbot(ua) ? 'bot' : 'human';
}
