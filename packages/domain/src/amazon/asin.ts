/**
 * The ASIN of an Amazon product URL: the ten letters and digits after `/dp/`, `/gp/product/`, `/gp/aw/d/`
 * or `/product/` (as in `https://www.amazon.com/Glow-Serum/dp/B0CX7Q2M1N?th=1`), upper-cased; null for a URL
 * that names none (a search or a storefront).
 */
export function asinOfProductUrl(url: string): string | null {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return null;
  }
  const parts = path.split('/').filter((p) => p !== '');
  for (let i = 0; i < parts.length - 1; i++) {
    const marker = (parts[i] as string).toLowerCase();
    const previous = (parts[i - 1] ?? '').toLowerCase();
    if (marker === 'dp' || marker === 'product' || (marker === 'd' && previous === 'aw')) {
      const candidate = (parts[i + 1] as string).toUpperCase();
      if (candidate.length === 10 && [...candidate].every((c) => (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
        return candidate;
      }
    }
  }
  return null;
}
