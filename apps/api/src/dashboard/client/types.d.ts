/** The API's response shapes, as the dashboard reads them (see /openapi.json and the contract). */

export type Status = 'signed_up' | 'purchased' | 'done' | 'followed_up';

export interface Campaign {
  id: string;
  name: string;
  productUrl: string;
  reviewUrl: string;
  amazonAttributionUrl?: string | null;
  requirements?: { hashtags?: string[]; mentions?: string[] } | null;
  state?: string;
  createdAt: string;
}

export interface Attribution {
  purchases: number;
  unitsSold: number;
  sales: number;
  reportedThrough: string;
  estimatedPurchases: number;
  difference: number;
  explanation: string;
}

export interface Summary {
  campaignId: string;
  total: number;
  stages: Record<Status, number>;
  estimatedPurchases: number;
  attribution: Attribution | null;
  asOf: string;
}

export interface InfluencerItem {
  id: string;
  instagramHandle: string | null;
  status: Status;
  statusLabel: string;
  signedUpAt: string | null;
  purchasedAt: string | null;
  doneAt: string | null;
  followedUpAt: string | null;
  purchaseClicks: number;
  reviewClicks: number;
  remindersSent: number;
}

export interface InfluencerPage {
  items: InfluencerItem[];
  nextCursor: string | null;
}

export interface TimelineEntry {
  at: string | null;
  type: string;
  detail: string;
  source?: string;
}

export interface InfluencerDetail extends InfluencerItem {
  email?: string | null;
  submission: { postUrl: string; caption: string | null; accepted: boolean; reasons: string[]; at: string | null } | null;
  timeline: TimelineEntry[];
}

/** `event: status` on the campaign stream. */
export interface StatusEvent {
  influencerId: string;
  instagramHandle: string | null;
  from: string;
  status: Status;
  at: string;
}
