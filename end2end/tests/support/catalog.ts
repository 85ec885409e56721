// The catalogue as a phone reads it: a service by its code.
import { APIRequestContext, expect } from '@playwright/test';

export async function catalogService(request: APIRequestContext, code: string) {
  const catalog = await (await request.get('/api/v1/catalog')).json();
  for (const a of catalog.agencies)
    for (const u of a.units) for (const s of u.services) if (s.code === code) return s;
  throw new Error(`no service ${code}`);
}

/** A response to `s` (a service of the catalogue) as a phone sends it, scored
 *  `scores`, answered now; `extra` adds or overrides fields. */
export function phoneResponse(s: { id: string; questionnaire_id: string; questionnaire_version: number }, scores: Record<string, number>, extra: object = {}) {
  return {
    id: crypto.randomUUID(),
    service_id: s.id,
    questionnaire_id: s.questionnaire_id,
    questionnaire_version: s.questionnaire_version,
    answered_at: new Date().toISOString(),
    channel: 'phone',
    scores,
    device_id: crypto.randomUUID(),
    ...extra,
  };
}

/** One phone response to service `code` per score, each scoring U1–U3 alike. */
export async function rateService(request: APIRequestContext, code: string, scores: number[]) {
  const s = await catalogService(request, code);
  const responses = scores.map((n) => phoneResponse(s, { U1: n, U2: n, U3: n }));
  const r = await request.post('/api/v1/responses', { data: { responses } });
  expect(r.status()).toBe(200);
}
