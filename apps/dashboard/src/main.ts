import { Api, ApiError, NETWORK_MESSAGE } from './api.js';
import { exportCsv } from './csv.js';
import { renderCampaignDetails } from './details.view.js';
import { byId, h, show } from './dom.js';
import { InfluencersPanel } from './influencers.view.js';
import { LiveConnection, type LiveState } from './live.js';
import { statusLabel } from './format.js';
import { renderMoney } from './money.view.js';
import { ReimbursementsPanel } from './reimbursements.view.js';
import { StatementsPanel } from './statements.view.js';
import { renderPurchases, renderStages } from './summary.view.js';
import { bindTabs } from './tabs.js';
import { TimelineDialog } from './timeline.view.js';
import { WebhooksPanel } from './webhooks.view.js';
import type { Campaign, StatusEvent, Summary } from './types.js';

/** sessionStorage: the key lives as long as this tab, never in localStorage, cookies or URLs. */
const KEY_STORAGE = 'seedline.apiKey';

const state = {
  api: null as Api | null,
  campaigns: [] as Campaign[],
  campaignId: '',
  live: null as LiveConnection | null,
  /** set while the banner reports a lost connection (stream or request), so going live again clears it */
  bannerIsConnection: false,
  wasLive: false,
};

const panel = new InfluencersPanel({
  open: (id, opener) => {
    if (state.api) void timeline.open(state.api, state.campaignId, id, opener);
  },
  error: (err) => handleError(err),
});
const timeline = new TimelineDialog();
const reimbursements = new ReimbursementsPanel({
  changed: () => void refreshSummary(),
  error: (err) => handleError(err),
});
// Statements and webhooks are the brand's, not one campaign's: read when their tab is shown.
const statements = new StatementsPanel((err) => handleError(err));
const webhooks = new WebhooksPanel((err) => handleError(err));

function banner(message: string | null, aboutConnection = false): void {
  const el = byId('banner');
  el.textContent = message ?? '';
  show(el, message !== null);
  state.bannerIsConnection = message !== null && aboutConnection;
}

function handleError(err: ApiError): void {
  if (err.kind === 'unauthorized') signOut('Your API key is no longer accepted. Sign in again with a valid key.');
  // A request that could not reach the API says the same as the stream does: live again means reachable again.
  else banner(err.message, err.kind === 'network' || err.kind === 'unavailable');
}

// Screen readers hear status changes in short batches instead of one interruption per event.
let pendingNews: string[] = [];
let newsTimer: ReturnType<typeof setTimeout> | undefined;
function announce(text: string): void {
  pendingNews.push(text);
  newsTimer ??= setTimeout(() => {
    byId('announcer').textContent = pendingNews.slice(-5).join(' ');
    pendingNews = [];
    newsTimer = undefined;
  }, 800);
}

const LIVE_TEXT: Record<LiveState, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  stopped: 'Offline',
};

function setLive(s: LiveState): void {
  const el = byId('live');
  el.dataset.state = s;
  byId('live-text').textContent = LIVE_TEXT[s];
}

function showView(view: 'signin' | 'dashboard'): void {
  show(byId('signin-view'), view === 'signin');
  show(byId('dashboard-view'), view === 'dashboard');
  show(byId('session'), view === 'dashboard');
}

function signinError(message: string | null): void {
  const el = byId('signin-error');
  el.textContent = message ?? '';
  show(el, message !== null);
  byId('api-key').setAttribute('aria-invalid', message ? 'true' : 'false');
}

async function signIn(key: string): Promise<void> {
  const button = byId<HTMLButtonElement>('signin-submit');
  button.disabled = true;
  button.textContent = 'Signing in…';
  const api = new Api(key);
  try {
    const { items } = await api.json<{ items: Campaign[] }>('/v1/campaigns');
    sessionStorage.setItem(KEY_STORAGE, key);
    state.api = api;
    state.campaigns = items;
    signinError(null);
    banner(null);
    showView('dashboard');
    fillCampaigns(items);
  } catch (err) {
    if (err instanceof ApiError && err.kind === 'unauthorized') sessionStorage.removeItem(KEY_STORAGE);
    showView('signin');
    signinError(err instanceof ApiError ? err.message : NETWORK_MESSAGE);
    byId('api-key').focus();
  } finally {
    button.disabled = false;
    button.textContent = 'Sign in';
  }
}

function signOut(message: string | null = null): void {
  sessionStorage.removeItem(KEY_STORAGE);
  stopCampaign();
  statements.close();
  webhooks.close();
  state.api = null;
  state.campaigns = [];
  banner(null);
  showView('signin');
  byId<HTMLInputElement>('api-key').value = '';
  signinError(message);
  byId('api-key').focus();
}

function fillCampaigns(items: Campaign[]): void {
  const select = byId<HTMLSelectElement>('campaign');
  select.replaceChildren(...items.map((c) => h('option', { value: c.id }, c.name)));
  show(byId('no-campaigns'), items.length === 0);
  show(byId('campaign-view'), items.length > 0);
  show(byId('campaign-picker'), items.length > 0);
  if (items.length === 0) {
    setLive('stopped');
    byId('no-campaigns').focus();
    return;
  }
  const wanted = new URLSearchParams(location.hash.slice(1)).get('campaign');
  const first = items.find((c) => c.id === wanted) ?? items[0];
  if (first) {
    select.value = first.id;
    void selectCampaign(first.id, true);
  }
}

function stopCampaign(): void {
  state.live?.stop();
  state.live = null;
  panel.close();
  reimbursements.close();
  const dialog = byId<HTMLDialogElement>('timeline');
  if (dialog.open) dialog.close();
}

function renderSummary(summary: Summary): void {
  renderStages(summary);
  renderPurchases(summary);
  renderMoney(summary);
  byId('as-of').textContent = `Updated ${new Date(summary.asOf).toLocaleTimeString()}`;
  panel.setTotal(summary.total);
}

async function selectCampaign(id: string, focusHeading = false): Promise<void> {
  const api = state.api;
  const campaign = state.campaigns.find((c) => c.id === id);
  if (!api || !campaign) return;
  stopCampaign();
  state.campaignId = id;
  history.replaceState(null, '', `#campaign=${encodeURIComponent(id)}`);
  byId('campaign-name').textContent = campaign.name;
  byId('influencers').classList.toggle('no-money', campaign.reimbursement === null);
  renderCampaignDetails(campaign, { api, onError: handleError });
  try {
    const summary = await api.json<Summary>(`/v1/campaigns/${encodeURIComponent(id)}/summary`);
    if (state.campaignId !== id) return;
    renderSummary(summary);
    void reimbursements.open(api, id, campaign.reimbursement?.currency ?? 'USD');
    await panel.open(api, id, summary.total);
  } catch (err) {
    if (err instanceof ApiError) handleError(err);
    return;
  }
  if (state.campaignId !== id) return;
  if (focusHeading) byId('campaign-name').focus();
  startLive(api, id);
}

/** After the brand's own action (an approval): the figures on top and the list's money column, re-read. */
async function refreshSummary(): Promise<void> {
  const api = state.api;
  const id = state.campaignId;
  if (!api) return;
  try {
    const summary = await api.json<Summary>(`/v1/campaigns/${encodeURIComponent(id)}/summary`);
    if (state.campaignId === id) renderSummary(summary);
  } catch (err) {
    if (err instanceof ApiError) handleError(err);
  }
  panel.scheduleRefresh(0);
}

function startLive(api: Api, campaignId: string): void {
  state.wasLive = false;
  const live = new LiveConnection(api, `/v1/campaigns/${encodeURIComponent(campaignId)}/stream`, {
    onState(s, reason) {
      if (state.live !== live && s !== 'connecting') return;
      setLive(s);
      if (s === 'reconnecting' && reason?.kind === 'network')
        banner(`${NETWORK_MESSAGE} Showing the last data received; reconnecting…`, true);
      else if (s === 'reconnecting' && reason) banner(`Live updates paused: ${reason.message} Reconnecting…`, true);
      if (s === 'live') {
        if (state.bannerIsConnection) banner(null);
        // Back after an interruption: anything missed beyond the replayed events (counters) is re-read.
        if (state.wasLive) panel.scheduleRefresh(0);
        state.wasLive = true;
      }
    },
    onMessage(message) {
      if (state.live !== live) return;
      if (message.event === 'summary') {
        const summary = JSON.parse(message.data) as Summary;
        if (summary.campaignId === undefined || summary.campaignId === campaignId) renderSummary(summary);
      } else if (message.event === 'status') {
        const change = JSON.parse(message.data) as StatusEvent;
        panel.applyStatus(change);
        // An influencer who is done may now have a reimbursement to review.
        reimbursements.scheduleRefresh();
        announce(
          `${change.instagramHandle ? `@${change.instagramHandle}` : 'An influencer'} is now ${statusLabel(change.status)}.`,
        );
        if (timeline.openInfluencerId === change.influencerId) void timeline.refresh();
      }
    },
    onUnauthorized() {
      signOut('Your API key is no longer accepted. Sign in again with a valid key.');
    },
  });
  state.live = live;
  live.start();
}

async function exportList(): Promise<void> {
  const button = byId<HTMLButtonElement>('export');
  if (!state.api) return;
  button.disabled = true;
  button.textContent = 'Exporting…';
  try {
    const name = await exportCsv(state.api, state.campaignId, panel.currentFilter);
    announce(`Downloaded ${name}.`);
  } catch (err) {
    if (err instanceof ApiError) handleError(err);
  } finally {
    button.disabled = false;
    button.textContent = 'Export CSV';
  }
}

function boot(): void {
  byId<HTMLFormElement>('signin-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const key = byId<HTMLInputElement>('api-key').value.trim();
    if (!key) {
      signinError('Enter your brand API key.');
      byId('api-key').focus();
      return;
    }
    void signIn(key);
  });
  byId('sign-out').addEventListener('click', () => signOut());
  byId<HTMLSelectElement>('campaign').addEventListener(
    'change',
    (e) => void selectCampaign((e.target as HTMLSelectElement).value),
  );
  byId('export').addEventListener('click', () => void exportList());
  window.addEventListener('online', () => state.live?.retryNow());
  bindTabs(byId('tabs'), (tab) => {
    if (!state.api) return;
    if (tab === 'tab-statements') void statements.open(state.api);
    else if (tab === 'tab-webhooks') void webhooks.open(state.api);
    else if (tab === 'tab-money') void reimbursements.refresh();
  });

  const saved = sessionStorage.getItem(KEY_STORAGE);
  if (saved) void signIn(saved);
  else showView('signin');
}

boot();
