import { describe, expect, it } from 'vitest';
import { asinOfProductUrl } from './asin.js';

describe('asinOfProductUrl', () => {
  it('finds the ASIN in the URL forms Amazon uses', () => {
    expect(asinOfProductUrl('https://www.amazon.com/Glow-Serum/dp/B0CX7Q2M1N?th=1')).toBe('B0CX7Q2M1N');
    expect(asinOfProductUrl('https://www.amazon.de/dp/b0cx7q2m1n/ref=sr_1_1')).toBe('B0CX7Q2M1N');
    expect(asinOfProductUrl('https://www.amazon.co.uk/gp/product/B0CX7Q2M1N')).toBe('B0CX7Q2M1N');
    expect(asinOfProductUrl('https://www.amazon.com/gp/aw/d/B0CX7Q2M1N')).toBe('B0CX7Q2M1N');
  });
  it('answers null where there is none', () => {
    expect(asinOfProductUrl('https://www.amazon.com/s?k=serum')).toBeNull();
    expect(asinOfProductUrl('https://www.amazon.com/dp/B0CX7Q2M')).toBeNull();
    expect(asinOfProductUrl('not a url')).toBeNull();
  });
});
