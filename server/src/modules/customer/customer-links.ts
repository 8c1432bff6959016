/** Absolute H5 links for notification buttons; the H5 uses hash routing. */
export function customerLink(publicUrl: string, route: string): string {
  return `${publicUrl.replace(/\/$/, '')}/#${route}`;
}
