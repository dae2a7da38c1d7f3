// Export as a browser download: the renderer hands over bytes and a suggested name, never a path;
// where the file goes is the user's choice (the browser's, or Electron's save dialog).

/** Offers `value` as a pretty-printed JSON file named `fileName`. */
export function downloadJson(fileName: string, value: unknown): void {
  const blob = new Blob([`${JSON.stringify(value, null, 2)}\n`], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started from the object URL by now; release it after the click settles.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
