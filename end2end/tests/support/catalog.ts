// The catalogue as a phone reads it: a service by its code.
import { APIRequestContext } from '@playwright/test';

export async function catalogService(request: APIRequestContext, code: string) {
  const catalog = await (await request.get('/api/v1/catalog')).json();
  for (const a of catalog.agencies)
    for (const u of a.units) for (const s of u.services) if (s.code === code) return s;
  throw new Error(`no service ${code}`);
}
