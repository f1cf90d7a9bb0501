// How MongoDB and FerretDB report the errors the repositories expect and step over, in one place.

/** E11000 on MongoDB and FerretDB alike (FerretDB omits keyPattern/keyValue, so only the code is relied on). */
export function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;
}

/** True when every write error of a bulk insert is a duplicate key (the documents were there already). */
export function onlyDuplicateKeys(err: unknown): boolean {
  const e = err as { writeErrors?: unknown; code?: unknown };
  const errors = Array.isArray(e.writeErrors) ? e.writeErrors : e.writeErrors ? [e.writeErrors] : [];
  if (errors.length === 0) return isDuplicateKey(err);
  return errors.every((we) => (we as { code?: unknown }).code === 11000);
}

/** createCollection on a collection that exists (NamespaceExists, code 48): the state we wanted. */
export function ignoreExists(err: unknown): void {
  if ((err as { codeName?: string }).codeName === 'NamespaceExists' || (err as { code?: number }).code === 48) return;
  throw err;
}
