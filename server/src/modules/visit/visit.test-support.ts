import sharp from 'sharp';
import { createCustomerRequestSchema } from '@shared/api/customer.js';
import type { TestServer } from '../../test-support/test-server.js';
import { loadActor } from '../org/org.service.js';
import { createCustomer } from '../customer/customer-profile.service.js';

/** Factories for the visit tests: customers owned by a demo rep, photos of each format. */

let customerSeq = 0;

/** Creates a library (no credit code needed) in Nanjing owned by `ownerPlatformId`, optionally with a GCJ-02 location. */
export async function createTestCustomer(
  server: TestServer,
  ownerPlatformId: string,
  options: { name?: string; location?: { lat: number; lng: number } | null; contacts?: { name: string; mobile: string }[] } = {},
): Promise<{ id: number; name: string }> {
  customerSeq += 1;
  const actor = await loadActor(server.db, await server.userId(ownerPlatformId));
  if (!actor) throw new Error(`demo user ${ownerPlatformId} is not synced`);

  const input = createCustomerRequestSchema.parse({
    name: options.name ?? `测试图书馆${customerSeq}号馆`,
    type: 'library',
    regionCode: '320102',
    location: options.location === undefined ? { lat: 32.0603, lng: 118.7969 } : options.location,
    contacts: options.contacts ?? [],
  });
  const customer = await createCustomer(server.db, actor, input, new Date());
  return { id: customer.id, name: customer.name };
}

export async function photoBytes(format: 'jpeg' | 'png' | 'webp' | 'avif', size = { width: 800, height: 600 }): Promise<Buffer> {
  const image = sharp({ create: { width: size.width, height: size.height, channels: 3, background: { r: 40, g: 120, b: 200 } } });
  return image.toFormat(format).toBuffer();
}

/** Builds the first bytes of an iPhone HEIC file: an ISO-BMFF `ftyp` box with the `heic` brand. */
export function heicHeaderBytes(): Buffer {
  const box = Buffer.alloc(24);
  box.writeUInt32BE(24, 0);
  box.write('ftypheic', 4, 'latin1');
  box.writeUInt32BE(0, 12);
  box.write('mif1heic', 16, 'latin1');
  return Buffer.concat([box, Buffer.alloc(4000, 1)]);
}

/** Uploads photo bytes as multipart, the way the H5 does. */
export async function uploadPhoto(server: TestServer, token: string, visitId: number, bytes: Buffer, type = 'image/jpeg') {
  const form = new FormData();
  form.append('photo', new Blob([new Uint8Array(bytes)], { type }), 'photo.jpg');
  form.append('takenAt', new Date().toISOString());
  const response = await fetch(`${server.url}/api/visits/${visitId}/photos`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
}

/** Nanjing Library's neighbourhood: a point `metersNorth` north of the default test location (GCJ-02). */
export function pointNorthOf(origin: { lat: number; lng: number }, metersNorth: number) {
  return { latitude: origin.lat + metersNorth / 111_195, longitude: origin.lng, accuracyMeters: 15, coordinateSystem: 'gcj02' as const, address: null };
}
