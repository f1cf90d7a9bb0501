import type { Connection } from 'mongoose';
import { attributionRepository } from './attribution/attribution.repository.js';
import { brandRepository } from './brands/brand.repository.js';
import { campaignRepository } from './campaigns/campaign.repository.js';
import { eventRepository } from './events/event.repository.js';
import { influencerQueries } from './influencers/influencer.queries.js';
import { influencerRepository } from './influencers/influencer.repository.js';
import { reminderRepository } from './reminders/reminder.repository.js';

export * from './connect.js';
export * from './compat.js';
export * from './brands/brand.schema.js';
export * from './brands/brand.repository.js';
export * from './campaigns/campaign.schema.js';
export * from './campaigns/campaign.repository.js';
export * from './campaigns/campaign.cache.js';
export * from './influencers/influencer.schema.js';
export * from './influencers/influencer.repository.js';
export * from './influencers/influencer.queries.js';
export * from './events/event.schema.js';
export * from './events/event.repository.js';
export * from './reminders/reminder.schema.js';
export * from './reminders/reminder.repository.js';
export * from './attribution/attribution.schema.js';
export * from './attribution/attribution.repository.js';

export function createRepositories(conn: Connection) {
  const events = eventRepository(conn);
  return {
    conn,
    brands: brandRepository(conn),
    campaigns: campaignRepository(conn),
    events,
    influencers: influencerRepository(conn, events),
    influencerQueries: influencerQueries(conn),
    reminders: reminderRepository(conn),
    attribution: attributionRepository(conn),
  };
}
export type Repositories = ReturnType<typeof createRepositories>;

/** Creates collections and indexes; every app calls it at boot (idempotent). */
export async function ensureIndexes(repos: Repositories): Promise<void> {
  await Promise.all([
    repos.brands.ensureIndexes(),
    repos.campaigns.ensureIndexes(),
    repos.events.ensureIndexes(),
    repos.influencers.ensureIndexes(),
    repos.reminders.ensureIndexes(),
    repos.attribution.ensureIndexes(),
  ]);
}
