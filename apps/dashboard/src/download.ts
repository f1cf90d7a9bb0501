/**
 * Hands a fetched file to the browser as a download. A plain link cannot carry the Authorization header, so
 * files are fetched with the key and given to the browser as a Blob; the name comes from the API's
 * Content-Disposition, else `fallbackName`.
 */
export async function downloadResponse(res: Response, fallbackName: string): Promise<string> {
  const blob = await res.blob();
  const named = /filename="?([^";]+)"?/i.exec(res.headers.get('Content-Disposition') ?? '');
  const filename = named?.[1] ?? fallbackName;
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Give the download a moment to start before the Blob is released.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return filename;
}
