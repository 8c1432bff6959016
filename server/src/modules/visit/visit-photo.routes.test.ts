import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Visit, VisitPhoto } from '@shared/api/visit.js';
import { PHOTO_MAX_BYTES, PHOTOS_PER_VISIT_MAX } from '@shared/visit-rules.js';
import { sha256Hex } from '../../lib/hash.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { createTestCustomer, heicHeaderBytes, photoBytes, pointNorthOf, uploadPhoto } from './visit.test-support.js';

let server: TestServer;
let zhangwei: string;
let wanglei: string;
let sunli: string;
let keySeq = 0;
const origin = { lat: 32.0603, lng: 118.7969 };

beforeAll(async () => {
  server = await startTestServer();
  zhangwei = await server.login('zhangwei01');
  wanglei = await server.login('wanglei01');
  sunli = await server.login('sunli01');
});

afterAll(async () => {
  await server?.close();
});

async function newVisit(): Promise<Visit> {
  const customer = await createTestCustomer(server, 'zhangwei01', { name: `照片测试书店${(keySeq += 1)}` });
  const response = await server.request<Visit>('POST', '/api/visits', {
    token: zhangwei,
    body: { customerId: customer.id, location: pointNorthOf(origin, 80) },
    headers: { 'idempotency-key': `photo-test-${Date.now()}-${keySeq}` },
  });
  return response.body;
}

async function fetchPhoto(token: string, url: string) {
  const response = await fetch(`${server.url}${url}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, type: response.headers.get('content-type'), bytes: Buffer.from(await response.arrayBuffer()) };
}

describe('POST /api/visits/:id/photos', () => {
  it.each(['jpeg', 'png', 'webp'] as const)('%s photo stored with watermarked copy', async (format) => {
    const visit = await newVisit();
    const bytes = await photoBytes(format);

    const upload = await uploadPhoto(server, zhangwei, visit.id, bytes, `image/${format}`);
    const photo = upload.body as unknown as VisitPhoto;
    const original = await fetchPhoto(zhangwei, photo.originalUrl);
    const watermarked = await fetchPhoto(zhangwei, photo.url);
    const thumbnail = await fetchPhoto(zhangwei, photo.thumbnailUrl);

    expect(upload.status).toBe(201);
    expect(photo).toMatchObject({ width: 800, height: 600, sizeBytes: bytes.length });
    expect(original.bytes.equals(bytes)).toBe(true);
    expect(original.type).toBe(`image/${format}`);
    const stored = path.join(server.config.DATA_DIR, 'photos', 'original', sha256Hex(bytes).slice(0, 2));
    expect(fs.readdirSync(stored)).toContain(`${sha256Hex(bytes)}.${format === 'jpeg' ? 'jpg' : format}`);
    expect(watermarked.type).toBe('image/jpeg');
    expect(watermarked.bytes.equals(bytes)).toBe(false);
    expect(await sharp(watermarked.bytes).metadata()).toMatchObject({ format: 'jpeg', width: 800, height: 600 });
    expect(await sharp(thumbnail.bytes).metadata()).toMatchObject({ width: 360, height: 360 });
  });

  it('watermark band only at the bottom', async () => {
    const visit = await newVisit();
    const photo = (await uploadPhoto(server, zhangwei, visit.id, await photoBytes('png'))).body as unknown as VisitPhoto;

    const watermarked = await fetchPhoto(zhangwei, photo.url);
    // stats() reads its input, not the pipeline, so each region is cut out first.
    const region = async (top: number, height: number) => sharp(await sharp(watermarked.bytes).extract({ left: 0, top, width: 800, height }).toBuffer()).stats();
    const band = await region(460, 140);
    const sky = await region(0, 100);

    // The band darkens the blue background and carries white text; the top of the picture stays flat blue.
    expect(band.channels[2]!.mean).toBeLessThan(sky.channels[2]!.mean - 40);
    expect(band.channels[0]!.stdev).toBeGreaterThan(10);
    expect(sky.channels[0]!.stdev).toBeLessThan(3);
  });

  it('repeated upload stored once', async () => {
    const visit = await newVisit();
    const bytes = await photoBytes('jpeg');

    const first = await uploadPhoto(server, zhangwei, visit.id, bytes);
    const second = await uploadPhoto(server, zhangwei, visit.id, bytes);

    expect(second.body!.id).toBe(first.body!.id);
    const rows = await server.db.selectFrom('visit_photo').select('id').where('visit_id', '=', visit.id).execute();
    expect(rows).toHaveLength(1);
  });

  it('HEIC rejected with camera hint', async () => {
    const visit = await newVisit();

    const response = await uploadPhoto(server, zhangwei, visit.id, heicHeaderBytes(), 'image/heic');

    expect(response.status).toBe(415);
    expect(response.body).toMatchObject({ error: { code: 'heic_not_supported', message: expect.stringContaining('HEIC') } });
  });

  it('other formats rejected by content', async () => {
    const visit = await newVisit();

    const avif = await uploadPhoto(server, zhangwei, visit.id, await photoBytes('avif'), 'image/jpeg');
    const pdf = await uploadPhoto(server, zhangwei, visit.id, Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n'), 'image/jpeg');

    expect(avif.status).toBe(415);
    expect(avif.body).toMatchObject({ error: { code: 'unsupported_photo_type', message: expect.stringContaining('JPEG、PNG 或 WebP') } });
    expect(pdf.status).toBe(415);
  });

  it('oversize photo gets 413', async () => {
    const visit = await newVisit();

    const response = await uploadPhoto(server, zhangwei, visit.id, Buffer.alloc(PHOTO_MAX_BYTES + 1, 0xff));

    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({ error: { code: 'photo_too_large', message: expect.stringContaining('8 MB') } });
  });

  it(`photo ${PHOTOS_PER_VISIT_MAX + 1} of a visit rejected`, async () => {
    const visit = await newVisit();
    for (let index = 0; index < PHOTOS_PER_VISIT_MAX; index += 1) {
      const bytes = await sharp({ create: { width: 300, height: 200, channels: 3, background: { r: index * 20, g: 10, b: 10 } } }).jpeg().toBuffer();
      expect((await uploadPhoto(server, zhangwei, visit.id, bytes)).status).toBe(201);
    }

    const response = await uploadPhoto(server, zhangwei, visit.id, await photoBytes('jpeg'));

    expect(response.status).toBe(409);
  });

  it('raw image body accepted', async () => {
    const visit = await newVisit();
    const bytes = await photoBytes('jpeg', { width: 640, height: 480 });

    const response = await fetch(`${server.url}/api/visits/${visit.id}/photos`, { method: 'POST', headers: { authorization: `Bearer ${zhangwei}`, 'content-type': 'image/jpeg' }, body: new Uint8Array(bytes) });

    expect(response.status).toBe(201);
  });
});

describe('photo access', () => {
  it('photos follow visit visibility', async () => {
    const visit = await newVisit();
    const photo = (await uploadPhoto(server, zhangwei, visit.id, await photoBytes('jpeg'))).body as unknown as VisitPhoto;

    const manager = await fetchPhoto(wanglei, photo.url);
    const managerUpload = await uploadPhoto(server, wanglei, visit.id, await photoBytes('png'));
    const otherTeam = await Promise.all([photo.url, photo.thumbnailUrl, photo.originalUrl].map((url) => fetchPhoto(sunli, url)));
    const otherTeamUpload = await uploadPhoto(server, sunli, visit.id, await photoBytes('png'));
    const anonymous = await fetch(`${server.url}${photo.url}`);

    expect(manager.status).toBe(200);
    expect(managerUpload.status).toBe(403);
    expect(otherTeam.map((response) => response.status)).toEqual([404, 404, 404]);
    expect(otherTeamUpload.status).toBe(404);
    expect(anonymous.status).toBe(401);
  });

  it('lost derived copy rebuilt', async () => {
    const visit = await newVisit();
    const bytes = await photoBytes('jpeg');
    const photo = (await uploadPhoto(server, zhangwei, visit.id, bytes)).body as unknown as VisitPhoto;
    fs.rmSync(path.join(server.config.DATA_DIR, 'photos', 'watermarked', String(visit.id)), { recursive: true });

    const response = await fetchPhoto(zhangwei, photo.url);

    expect(response.status).toBe(200);
    expect(response.type).toBe('image/jpeg');
  });
});
