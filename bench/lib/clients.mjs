// Addresses for load generators that stand for many people. The ingest trusts X-Forwarded-For from loopback
// (and private ranges), so a header per request gives each simulated person an address of their own.

/**
 * Person i's address, in the shared address space 100.64.0.0/10 (RFC 6598): not a trusted proxy range, so
 * the ingest takes it as the client, and ~4 million distinct addresses before one repeats.
 */
export const personAddress = (i) => `100.${64 + ((i >>> 16) & 63)}.${(i >>> 8) & 255}.${i & 255}`;
