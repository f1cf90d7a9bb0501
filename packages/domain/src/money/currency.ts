/**
 * ISO 4217 active currency codes and their minor-unit digits (the standard's "E" column). Most have 2; the
 * exceptions are listed. Funds codes and metals (XAU, XDR, …) are not currencies anyone is reimbursed in.
 */
const TWO_DIGITS =
  'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF CHF ' +
  'CNY COP CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF ' +
  'IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR ' +
  'MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD ' +
  'SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD UZS VES WST XCD YER ZAR ZMW ' +
  'ZWG';
const ZERO_DIGITS = 'BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX VND VUV XAF XOF XPF';
const THREE_DIGITS = 'BHD IQD JOD KWD LYD OMR TND';

const DIGITS: ReadonlyMap<string, number> = new Map([
  ...TWO_DIGITS.split(' ').map((c) => [c, 2] as const),
  ...ZERO_DIGITS.split(' ').map((c) => [c, 0] as const),
  ...THREE_DIGITS.split(' ').map((c) => [c, 3] as const),
]);

export const CURRENCY_CODES: readonly string[] = [...DIGITS.keys()].sort();

export function isCurrency(code: string): boolean {
  return DIGITS.has(code);
}

/** Minor-unit digits of a currency (2 for USD, 0 for JPY, 3 for KWD); throws for a code that is not one. */
export function currencyMinorDigits(code: string): number {
  const digits = DIGITS.get(code);
  if (digits === undefined) throw new RangeError(`${code} is not an ISO 4217 currency`);
  return digits;
}
